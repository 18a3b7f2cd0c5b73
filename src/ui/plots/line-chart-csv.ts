/**
 * The canvas line chart's curves as CSV (its "CSV" button, LineChart.tsx): one row per x value
 * of the shown traces (ascending), the x column first, then one column per shown trace, empty
 * where that trace has no point at that x. Values are written in full precision.
 */
import { allSteps, isShown, type LineTrace } from './line-chart-scale';

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
export const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function curvesCsv(
  xTitle: string,
  traces: readonly LineTrace[],
  hidden: ReadonlySet<number>,
): string {
  const shown = traces.filter((t, i) => isShown(t, i, hidden));
  const byX = shown.map((t) => {
    const m = new Map<number, number>();
    const n = Math.min(t.x.length, t.y.length);
    for (let k = 0; k < n; k++) m.set(t.x[k]!, t.y[k]!);
    return m;
  });
  const lines = [[xTitle, ...shown.map((t) => t.name)].map(csvField).join(',')];
  for (const x of allSteps(traces, hidden)) {
    const row = byX.map((m) => {
      const v = m.get(x);
      return v === undefined ? '' : String(v);
    });
    lines.push([String(x), ...row].join(','));
  }
  return lines.join('\n') + '\n';
}
