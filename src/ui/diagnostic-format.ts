/** Number formats of the diagnostic panels (kept in step with the status line's). */

/** A schedule value (τ, KL weight, β) as the status line prints it: 3 significant digits. */
export function scheduleValue(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(3)));
}

/** Codebook perplexity, in codes, to one decimal: "37.2". */
export function perplexityValue(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1);
}

/** A probability or relaxed-sample entry: 3 decimals, or scientific notation below 0.001. */
export function probability(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  return Math.abs(v) < 1e-3 ? v.toExponential(1) : v.toFixed(3);
}

/** A signed real (logits, Gumbel noise) with a true minus sign: "−1.23". */
export function signed(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '–';
  const s = Math.abs(v).toFixed(digits);
  return v < 0 && Number(s) !== 0 ? `−${s}` : s;
}
