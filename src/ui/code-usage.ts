/**
 * Codebook usage as the diagnostic panels show it: codes by how often the probe digits chose
 * them, the text alternative of that histogram, and the dead-code restart events to mark.
 */

export interface CodeCount {
  code: number;
  count: number;
}

/** Codes by how many positions chose them, most used first (ties by code index). */
export function usageByCount(counts: ArrayLike<number>): CodeCount[] {
  const out: CodeCount[] = [];
  for (let k = 0; k < counts.length; k++) out.push({ code: k, count: counts[k]! });
  return out.sort((a, b) => b.count - a.count || a.code - b.code);
}

/** Text alternative of the usage histogram: how many codes are used and the most used ones. */
export function usageSummary(counts: ArrayLike<number>, top = 3): string {
  const sorted = usageByCount(counts);
  const total = sorted.reduce((s, c) => s + c.count, 0);
  const used = sorted.filter((c) => c.count > 0).length;
  const K = counts.length;
  if (total === 0) return `No code assignments yet (${K} codes).`;
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  const head = sorted
    .slice(0, Math.min(top, used))
    .map((c) => `code ${c.code} (${c.count.toLocaleString('en')}, ${pct(c.count)})`)
    .join(', ');
  return (
    `${used} of ${K} codes used by ${total.toLocaleString('en')} positions of the test digits; ` +
    `most used: ${head}; ${K - used} never chosen.`
  );
}

export interface RestartMarks {
  steps: number[];
  texts: string[];
}

/** The model events that restarted dead codes, as marks for a chart over training steps. */
export function restartMarks(events: readonly { step: number; text: string }[]): RestartMarks {
  const hits = events.filter((e) => /restart/i.test(e.text));
  return { steps: hits.map((e) => e.step), texts: hits.map((e) => e.text) };
}

/** A code map of one digit in words, row by row: "row 1: 5, 5, 12; row 2: …". */
export function codeRowsText(indices: ArrayLike<number>, gh: number, gw: number): string {
  const rows: string[] = [];
  for (let r = 0; r < gh; r++) {
    const cells: number[] = [];
    for (let c = 0; c < gw; c++) cells.push(indices[r * gw + c]!);
    rows.push(`row ${r + 1}: ${cells.join(', ')}`);
  }
  return rows.join('; ');
}
