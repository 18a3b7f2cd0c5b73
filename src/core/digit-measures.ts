/**
 * Properties of a digit computed from its pixels, to split digits into two groups at the median
 * (editing by latent directions). Intensities I_p ∈ [0, 1] on an H×W grid, row r, column c,
 * with y = −r pointing up so that a positive slant leans right, like italics:
 *
 *   ink    = Σ_p I_p                                               (ink mass)
 *   slant  = Σ I (x − x̄)(y − ȳ) / Σ I (y − ȳ)²                      (second moments of ink: the
 *            shear that would stand the digit upright, x̄, ȳ the ink's centre)
 *   width  = ink / (perimeter / 2)                                   (stroke width: ink per stroke
 *            length; a stroke of length L and width w has ink ≈ L·w and perimeter ≈ 2L; the
 *            perimeter counts edges between pixels above and below ½, the border outside)
 */

export type DigitMeasure = 'slant' | 'width' | 'ink';

export const MEASURE_NAMES: Record<DigitMeasure, string> = {
  slant: 'slant',
  width: 'stroke width',
  ink: 'ink mass',
};

/** Σ_p I_p of image `i` of a batch (count × H·W). */
export function inkMass(pixels: ArrayLike<number>, offset: number, P: number): number {
  let s = 0;
  for (let p = 0; p < P; p++) s += pixels[offset + p]!;
  return s;
}

/** The shear x ≈ slant·y of the ink about its centre (0 for an upright or empty digit). */
export function slant(
  pixels: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
): number {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const v = pixels[offset + r * width + c]!;
      m += v;
      sx += v * c;
      sy += v * -r;
    }
  if (m <= 0) return 0;
  const cx = sx / m;
  const cy = sy / m;
  let sxy = 0;
  let syy = 0;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const v = pixels[offset + r * width + c]!;
      sxy += v * (c - cx) * (-r - cy);
      syy += v * (-r - cy) ** 2;
    }
  return syy > 0 ? sxy / syy : 0;
}

/** Ink per half perimeter of the digit thresholded at ½ (0 for an empty digit). */
export function strokeWidth(
  pixels: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
): number {
  const on = (r: number, c: number) =>
    r >= 0 && r < height && c >= 0 && c < width && pixels[offset + r * width + c]! > 0.5;
  let edges = 0;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      if (!on(r, c)) continue;
      if (!on(r - 1, c)) edges++;
      if (!on(r + 1, c)) edges++;
      if (!on(r, c - 1)) edges++;
      if (!on(r, c + 1)) edges++;
    }
  return edges > 0 ? inkMass(pixels, offset, height * width) / (edges / 2) : 0;
}

/** The measure of every image of a batch (count × H·W intensities).   → [count] */
export function measureDigits(
  measure: DigitMeasure,
  pixels: ArrayLike<number>,
  count: number,
  height: number,
  width: number,
): Float64Array {
  const P = height * width;
  return Float64Array.from({ length: count }, (_, i) =>
    measure === 'ink'
      ? inkMass(pixels, i * P, P)
      : measure === 'slant'
        ? slant(pixels, i * P, height, width)
        : strokeWidth(pixels, i * P, height, width),
  );
}

/**
 * Splits indices at the median value: `low` the ⌊n/2⌋ smallest, `high` the rest (ties broken by
 * index, so the split is stable).
 */
export function medianSplit(values: ArrayLike<number>): { low: number[]; high: number[] } {
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => values[a]! - values[b]! || a - b,
  );
  const half = Math.floor(order.length / 2);
  return { low: order.slice(0, half), high: order.slice(half) };
}
