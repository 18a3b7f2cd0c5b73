/**
 * Bounded curves: a series of steps with one value per step for each of several terms, kept at
 * no more than `capacity` points however long training runs. The latest `exact` points are kept
 * as they are; when the series overflows, everything older is compacted by min/max decimation
 * over equal step windows: each window keeps its first and last step, with each term's lowest
 * and highest value in the order they occurred. Spikes and dips survive every compaction (the
 * curve's envelope is kept), the first step stays the first, the older part has one resolution
 * throughout, and the work per append is bounded by the capacity. Pure: no imports.
 */

/** Steps and, by term name, one value per step (a term may be shorter: a prefix of the steps). */
export interface Curves {
  steps: number[];
  terms: Record<string, number[]>;
}

export interface CurveBounds {
  /** Most points kept (at least 2 × exact + 4). */
  capacity: number;
  /** The latest points, always kept exactly. */
  exact: number;
}

/** The lowest and highest values of v[a..b), in the order they occur; NaN only if all are. */
function extremes(v: readonly number[], a: number, b: number): [number, number] {
  let lo = NaN;
  let hi = NaN;
  let loAt = -1;
  let hiAt = -1;
  for (let i = a; i < b; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    if (loAt < 0 || x < lo) {
      lo = x;
      loAt = i;
    }
    if (hiAt < 0 || x > hi) {
      hi = x;
      hiAt = i;
    }
  }
  if (loAt < 0) return [NaN, NaN]; // a diverged stretch stays a gap
  return loAt <= hiAt ? [lo, hi] : [hi, lo];
}

/**
 * Points [0, m) of `s` in at most `target` points: the step range is cut into target / 2 equal
 * windows and each window's points become two (its first and last step, each term's extremes in
 * the order they occurred); a window of one or two points is kept as it is. Equal windows give
 * the older part one resolution however it was compacted before. Points from m on are copied.
 */
function compactOlder(s: Curves, m: number, target: number): Curves {
  const n = s.steps.length;
  const windows = Math.max(1, Math.floor(target / 2));
  const x0 = s.steps[0]!;
  const width = Math.max(1e-9, (s.steps[m - 1]! - x0) / windows);
  const windowOf = (i: number) => Math.min(windows - 1, Math.floor((s.steps[i]! - x0) / width));
  const buckets: [number, number][] = [];
  for (let a = 0; a < m;) {
    const w = windowOf(a);
    let b = a + 1;
    while (b < m && windowOf(b) === w) b++;
    buckets.push([a, b]);
    a = b;
  }
  const steps: number[] = [];
  for (const [a, b] of buckets) {
    if (b - a <= 2) for (let i = a; i < b; i++) steps.push(s.steps[i]!);
    else steps.push(s.steps[a]!, s.steps[b - 1]!);
  }
  for (let i = m; i < n; i++) steps.push(s.steps[i]!);
  const terms: Record<string, number[]> = {};
  for (const [key, v] of Object.entries(s.terms)) {
    const out: number[] = [];
    for (const [a, b] of buckets) {
      const end = Math.min(b, v.length); // a term may be a prefix of the steps
      if (end <= a) break;
      if (b - a <= 2 || end - a === 1) for (let i = a; i < end; i++) out.push(v[i]!);
      else out.push(...extremes(v, a, end));
    }
    for (let i = m; i < v.length; i++) out.push(v[i]!);
    terms[key] = out;
  }
  return { steps, terms };
}

/**
 * `s` with the new points appended (a new object: `s` is not changed), its older points
 * compacted when it would hold more than `bounds.capacity`. Terms missing from `terms` are dropped, as a
 * series holds the terms the model reports now.
 */
export function appendBounded(
  s: Curves,
  steps: readonly number[],
  terms: Record<string, readonly number[]>,
  bounds: CurveBounds,
): Curves {
  const next: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(terms)) next[k] = (s.terms[k] ?? []).concat(v);
  const out: Curves = { steps: s.steps.concat(steps), terms: next };
  const exact = Math.max(0, Math.floor(bounds.exact));
  const capacity = Math.max(2 * exact + 4, Math.floor(bounds.capacity));
  if (out.steps.length <= capacity) return out;
  // The older part shrinks to half of what is left beside the exact points, so that the next
  // (capacity − exact) / 2 appends need no work.
  return compactOlder(out, out.steps.length - exact, Math.floor((capacity - exact) / 2));
}

/**
 * A curve for display without the inside points of its flat stretches (the first and last point
 * of every run of equal values stay), e.g. a KL weight that sits at β for most of training: the
 * same line from far fewer points.
 */
export function withoutFlatRuns(
  xs: readonly number[],
  ys: readonly number[],
): { x: number[]; y: number[] } {
  const n = Math.min(xs.length, ys.length);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = ys[i]!;
    const inside = i > 0 && i < n - 1 && Object.is(ys[i - 1], v) && Object.is(ys[i + 1], v);
    if (inside) continue;
    x.push(xs[i]!);
    y.push(v);
  }
  return { x, y };
}
