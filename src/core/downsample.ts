/**
 * Bucket-mean downsampling of a curve for display: at most `maxPoints` points, each the mean of
 * consecutive x and y values. Keeps the plot cost flat however long training runs.
 * Pure: no imports.
 */
export function downsampleMean(
  xs: readonly number[],
  ys: readonly number[],
  maxPoints: number,
): { x: number[]; y: number[] } {
  const n = Math.min(xs.length, ys.length);
  if (n <= maxPoints) return { x: xs.slice(0, n), y: ys.slice(0, n) };
  const bucket = Math.ceil(n / maxPoints);
  const x: number[] = [];
  const y: number[] = [];
  for (let start = 0; start < n; start += bucket) {
    const end = Math.min(n, start + bucket);
    let sx = 0;
    let sy = 0;
    for (let i = start; i < end; i++) {
      sx += xs[i]!;
      sy += ys[i]!;
    }
    x.push(sx / (end - start));
    y.push(sy / (end - start));
  }
  return { x, y };
}
