/**
 * Tick positions and labels for the canvas line chart (LineChart.tsx). Pure: no DOM.
 *
 * Linear axes: the smallest "nice" step s = m × 10^k (m ∈ {1, 2, 5}) that puts at most `maxCount`
 * ticks in [min, max]; the ticks are the multiples of s inside the range.
 * Log axes (values > 0): the decades 10^k, with 2 × 10^k and 5 × 10^k between them while the range
 * spans few decades (Plotly's look); every n-th decade over many decades (every n-th 1-2-5 value
 * when fewer than two decades are in range); and, inside less than a decade, where 1-2-5 would
 * leave fewer than two ticks, linear nice ticks.
 * Labels are compact: 1200 → "1.2k", 3000000 → "3M", 0.05 → "0.05", 2e-5 → "2e-5".
 */

/** The multipliers of a nice step. */
const NICE = [1, 2, 5] as const;

/** The smallest nice step (m × 10^k) that is at least `raw` (> 0). */
export function niceStep(raw: number): number {
  let p = Math.pow(10, Math.floor(Math.log10(raw)));
  // Guards against log10 rounding (e.g. log10(1000) = 2.9999…).
  if (p * 10 <= raw) p *= 10;
  if (p > raw) p /= 10;
  for (const m of NICE) if (m * p >= raw * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** The next nice step above `step` (1 → 2 → 5 → 10 …). */
const nextNice = (step: number) => niceStep(step * 1.0001);

/** The multiples of `step` in [min, max], rounded to the step's own precision. */
export function multiples(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let k = first; k <= last; k++) out.push(Number((k * step).toFixed(Math.min(digits, 20))));
  return out;
}

/**
 * Linear ticks: multiples of the smallest nice step giving at most `maxCount` (≥ 2) ticks in
 * [min, max]. A degenerate range gives its one value.
 */
export function linearTicks(min: number, max: number, maxCount = 6): number[] {
  if (!isFinite(min) || !isFinite(max)) return [];
  if (max <= min) return [min];
  const count = Math.max(2, maxCount);
  // Every nice step below span / (count + 1) gives more than `count` ticks: start there.
  let step = niceStep((max - min) / (count + 1));
  while (multiples(min, max, step).length > count) step = nextNice(step);
  return multiples(min, max, step);
}

/** Ticks at multiples of a fixed step (an axis's `dtick`), at most 200 of them. */
export function fixedTicks(min: number, max: number, dtick: number): number[] {
  if (!(dtick > 0) || !isFinite(min) || !isFinite(max)) return [];
  if ((max - min) / dtick > 200) return linearTicks(min, max);
  return multiples(min, max, dtick);
}

/**
 * Log-axis ticks in [min, max] (both > 0): 1, 2, 5 × 10^k while at most `maxCount` of them fit,
 * else decades (every n-th one if need be); linear ticks inside less than a decade.
 */
export function logTicks(min: number, max: number, maxCount = 8): number[] {
  if (!(min > 0) || !(max > 0) || !isFinite(min) || !isFinite(max)) return [];
  if (max <= min) return [min];
  const k0 = Math.floor(Math.log10(min));
  const k1 = Math.ceil(Math.log10(max));
  const inRange = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const withFives: number[] = [];
  for (let k = k0; k <= k1; k++)
    for (const m of NICE) {
      const v = Number((m * Math.pow(10, k)).toPrecision(12));
      if (inRange(v)) withFives.push(v);
    }
  if (withFives.length < 2) {
    const lin = linearTicks(min, max, Math.min(maxCount, 5));
    return lin.length >= 2 ? lin : withFives;
  }
  if (withFives.length <= maxCount) return withFives;
  const decades: number[] = [];
  for (let k = k0; k <= k1; k++) {
    const v = Number(Math.pow(10, k).toPrecision(12));
    if (inRange(v)) decades.push(v);
  }
  // Under two decades in range: every n-th of the 1-2-5 values instead.
  const pick = decades.length >= 2 ? decades : withFives;
  const every = Math.max(1, Math.ceil(pick.length / Math.max(2, maxCount)));
  return pick.filter((_, i) => i % every === 0);
}

const SUFFIXES: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Up to `digits` significant digits, trailing zeros dropped. */
function trim(v: number, digits: number): string {
  return String(Number(v.toPrecision(digits)));
}

/**
 * A compact label for a tick or a read-out value: thousands as "k", millions as "M", small
 * values with up to 4 significant digits, tiny ones in e-notation ("2e-5").
 */
export function formatTick(v: number, digits = 4): string {
  if (!isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  for (const [size, suffix] of SUFFIXES)
    if (a >= size) return sign + trim(a / size, digits) + suffix;
  if (a < 1e-4) {
    const [mant, exp] = a.toExponential(Math.max(0, digits - 1)).split('e');
    return `${sign}${String(Number(mant))}e${Number(exp)}`;
  }
  return sign + trim(a, digits);
}

/**
 * The labels of an axis's ticks: formatTick's, with more significant digits (up to 12) where
 * that is what tells neighbouring ticks apart (τ over 0.9995 … 1 must not read "1, 1, 1").
 */
export function tickLabels(ticks: readonly number[]): string[] {
  let labels = ticks.map((v) => formatTick(v));
  for (let digits = 5; digits <= 12 && new Set(labels).size < labels.length; digits++)
    labels = ticks.map((v) => formatTick(v, digits));
  return labels;
}
