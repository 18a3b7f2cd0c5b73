/**
 * Colours for K code indices (categories without an order). Up to 9 codes get Paul Tol's
 * "light" qualitative scheme; more codes get viridis (colour-blind safe, monotone in
 * lightness) sampled at golden-ratio steps, so neighbouring indices look far apart. With many
 * codes colours repeat approximately, so the code map also writes each index in its cell.
 */

const TOL_LIGHT = [
  '#77AADD',
  '#EE8866',
  '#EEDD88',
  '#FFAABB',
  '#99DDFF',
  '#44BB99',
  '#BBCC33',
  '#AAAA00',
  '#DDDDDD',
] as const;

/** viridis at t = 0, 1/9, …, 1. */
const VIRIDIS = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
] as const;

const GOLDEN = (Math.sqrt(5) - 1) / 2;

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: [number, number, number]): string {
  return `#${((1 << 24) | (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(b)).toString(16).slice(1)}`;
}

/** viridis at t ∈ [0, 1], linearly interpolated between its ten stops. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = rgb(VIRIDIS[i]!);
  const b = rgb(VIRIDIS[i + 1]!);
  return hex([a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])]);
}

/** The colour of code k of a K-code codebook. */
export function codeColour(k: number, K: number): string {
  if (K <= TOL_LIGHT.length) return TOL_LIGHT[k % TOL_LIGHT.length]!;
  return viridis((k * GOLDEN) % 1);
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever contrasts more with the background colour. */
export function inkOn(background: string): '#000000' | '#ffffff' {
  const L = luminance(background);
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#000000' : '#ffffff';
}
