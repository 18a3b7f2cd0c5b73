/**
 * The canvas line chart's geometry (LineChart.tsx): its traces and axes, the plot area inside the
 * margins, data ↔ pixel mapping on linear and log axes, automatic ranges, and the lookups behind
 * the hover read-out (nearest step, each trace's value there). Pure: no DOM.
 *
 * Mapping: linear p = p0 + (v − d0) / (d1 − d0) × (p1 − p0); log the same in log10 v.
 */

export interface LineTrace {
  name: string;
  /** Ascending x values (steps). */
  x: readonly number[];
  y: readonly number[];
  /** CSS colour; black ('#000', '#000000') is drawn in the theme's text colour. */
  colour: string;
  /** Line width in CSS px (0: markers only). */
  width: number;
  dash?: 'dot' | 'dash';
  markers?: 'diamond' | 'circle';
  opacity?: number;
  /** 'y2': against the right-hand axis. */
  axis?: 'y' | 'y2';
  /** 'hv': a step line (each value held until the next x). */
  shape?: 'hv';
  /** A legend entry only (a key), never drawn. */
  legendOnly?: boolean;
}

export interface AxisSpec {
  title: string;
  type?: 'linear' | 'log';
  /** Fixed range in data units; none: fitted to the shown traces. */
  range?: readonly [number, number];
  /** Fixed tick spacing (linear axes). */
  dtick?: number;
}

export interface Scale {
  type: 'linear' | 'log';
  /** Data range (log axes: values, not their logs). */
  d0: number;
  d1: number;
  /** Pixels of d0 and d1. */
  p0: number;
  p1: number;
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const tr = (s: Scale, v: number) => (s.type === 'log' ? Math.log10(v) : v);

/** Data value → pixel (NaN for v ≤ 0 on a log axis). */
export function toPixel(s: Scale, v: number): number {
  const a = tr(s, s.d0);
  const b = tr(s, s.d1);
  return s.p0 + ((tr(s, v) - a) / (b - a)) * (s.p1 - s.p0);
}

/** Pixel → data value (the inverse of toPixel). */
export function fromPixel(s: Scale, p: number): number {
  const a = tr(s, s.d0);
  const b = tr(s, s.d1);
  const t = a + ((p - s.p0) / (s.p1 - s.p0)) * (b - a);
  return s.type === 'log' ? Math.pow(10, t) : t;
}

/** The plot area of a chart `width` × `height` CSS px, margins as Plotly's (scaled with the font). */
export function plotArea(width: number, height: number, fontPx: number, y2: boolean): PlotArea {
  const f = fontPx / 12;
  const left = Math.round(60 * f);
  const right = width - Math.round((y2 ? 60 : 16) * f);
  const top = 8;
  const bottom = height - Math.round(48 * f);
  return { left, top, right: Math.max(left + 1, right), bottom: Math.max(top + 1, bottom) };
}

/** Whether a trace is drawn: not a key-only entry, not hidden. */
export const isShown = (t: LineTrace, i: number, hidden: ReadonlySet<number>) =>
  t.legendOnly !== true && !hidden.has(i);

/**
 * The range of the shown traces' values on one axis ('x', 'y' or 'y2'): [min, max] of the finite
 * values (> 0 only, on a log axis), or null when there are none.
 */
export function extent(
  traces: readonly LineTrace[],
  hidden: ReadonlySet<number>,
  which: 'x' | 'y' | 'y2',
  log = false,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  traces.forEach((t, i) => {
    if (!isShown(t, i, hidden)) return;
    if (which !== 'x' && (t.axis ?? 'y') !== which) return;
    const vs = which === 'x' ? t.x : t.y;
    const n = Math.min(t.x.length, t.y.length);
    for (let k = 0; k < n; k++) {
      const v = vs[k]!;
      if (!isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  });
  return lo <= hi ? [lo, hi] : null;
}

/**
 * An axis's range: its fixed one, else the data's, padded by 5 % of the span on each side (in
 * log10 units on a log axis) or from zero (`fromZero`); a flat or empty one is widened.
 */
export function autoRange(
  data: [number, number] | null,
  type: 'linear' | 'log',
  fromZero: boolean,
  pad = 0.05,
): [number, number] {
  if (type === 'log') {
    if (!data) return [1, 10];
    const a = Math.log10(data[0]);
    const b = Math.log10(data[1]);
    const span = b - a || 1;
    return [Math.pow(10, a - span * pad), Math.pow(10, b + span * pad)];
  }
  if (!data) return [0, 1];
  let [lo, hi] = data;
  if (fromZero) {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  if (hi === lo)
    return fromZero && lo === 0 ? [0, 1] : [lo - Math.abs(lo || 1) / 2, hi + Math.abs(hi || 1) / 2];
  const span = hi - lo;
  return [fromZero && lo === 0 ? 0 : lo - span * pad, fromZero && hi === 0 ? 0 : hi + span * pad];
}

/** Index of the value in ascending `xs` nearest to `x` (ties: the earlier), or −1 when empty. */
export function nearestIndex(xs: readonly number[], x: number): number {
  const n = xs.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  // xs[lo] is the first ≥ x (or the last); its left neighbour may be nearer.
  if (lo > 0 && x - xs[lo - 1]! <= xs[lo]! - x) return lo - 1;
  return lo;
}

/** Index of the last value in ascending `xs` that is ≤ x, or −1 when none is. */
export function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Every x of the shown traces, ascending, without repeats: the steps the read-out moves along. */
export function allSteps(traces: readonly LineTrace[], hidden: ReadonlySet<number>): number[] {
  const set = new Set<number>();
  traces.forEach((t, i) => {
    if (!isShown(t, i, hidden)) return;
    const n = Math.min(t.x.length, t.y.length);
    for (let k = 0; k < n; k++) if (isFinite(t.x[k]!)) set.add(t.x[k]!);
  });
  return [...set].sort((a, b) => a - b);
}

export interface Reading {
  name: string;
  /** The trace's point read (its own x, which may differ from the step asked). */
  x: number;
  y: number;
  colour: string;
}

/**
 * Each shown trace's value at `step`: its point nearest to it (a step line: its last point at
 * or before it). Traces with no such point are left out.
 */
export function readAt(
  traces: readonly LineTrace[],
  hidden: ReadonlySet<number>,
  step: number,
): Reading[] {
  const out: Reading[] = [];
  traces.forEach((t, i) => {
    if (!isShown(t, i, hidden)) return;
    const xs = t.x.length > t.y.length ? t.x.slice(0, t.y.length) : t.x;
    const k = t.shape === 'hv' ? lastAtOrBefore(xs, step) : nearestIndex(xs, step);
    if (k < 0) return;
    out.push({ name: t.name, x: xs[k]!, y: t.y[k]!, colour: t.colour });
  });
  return out;
}
