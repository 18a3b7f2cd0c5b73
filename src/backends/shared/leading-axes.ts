/**
 * The one rule for "a sum over the leading axes" that our Sum kernels (cpu, wasm, webgl) take
 * their fast route on: a bias gradient ∂b = Σ_{b,y,x} dY[b,y,x,:] reduces axes [0, r) of x and
 * keeps the rest, so x read in memory order is R rows of L contiguous values,
 *   out[j] = Σ_{i<R} x[i·L + j]     R = ∏ shape[0:r], L = ∏ shape[r:]
 *
 * Edge cases, each of which goes to the stock kernel (null):
 * - no axes ([]): nothing is reduced;
 * - every axis (also axis undefined, and rank 1): a full reduction, already contiguous;
 * - repeated axes ([0, 0]): TF.js does not define them; the stock kernel decides;
 * - an axis outside [−rank, rank): the stock kernel throws its own message;
 * - an empty tensor (a 0 in the shape).
 * Negative axes count from the end, and the order of the axes does not matter ([1, 0] is [0, 1]).
 * keepDims only changes the output's shape (reducedShape).
 */

/** r, the number of leading axes `axis` reduces, or null when it is not a leading block. */
export function leadingAxes(
  axis: number | number[] | null | undefined,
  shape: readonly number[],
): number | null {
  const rank = shape.length;
  if (axis == null || shape.some((d) => d === 0)) return null;
  const list = typeof axis === 'number' ? [axis] : axis;
  if (list.some((a) => !Number.isInteger(a) || a < -rank || a >= rank)) return null;
  const axes = list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const r = axes.length;
  if (r === 0 || r >= rank || axes.some((a, i) => a !== i)) return null;
  return r;
}

/** The output shape of a sum over the r leading axes of `shape`: [1 × r, …rest] with keepDims. */
export function reducedShape(shape: readonly number[], r: number, keepDims: boolean): number[] {
  const kept = shape.slice(r);
  return keepDims ? [...new Array<number>(r).fill(1), ...kept] : kept;
}
