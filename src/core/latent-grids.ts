/**
 * Sets of latent points for the inspect questions, as row-major Float64Arrays (count × L).
 * Pure: imports only the PCA type from core.
 *
 *   plane → latent   z = m + x·c₁ + y·c₂          (the scatter's PCA plane; identity when L = 2)
 *   bilinear         z(u, v) = (1−v)[(1−u)TL + u·TR] + v[(1−u)BL + u·BR],  u, v ∈ [0, 1]
 *   traversal        z = z₀ with z_d replaced by each value, for each dimension d in turn
 */
import type { Pca } from './pca';

/** n evenly spaced values from a to b inclusive (a alone when n = 1). */
export function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}

/**
 * Plane points [x0, y0, x1, y1, …] → latent points [count, L]: z = mean + x·c₁ + y·c₂ with the
 * PCA's mean and first two components; with no PCA (L = 2) the point is z itself.
 */
export function planeToLatent(plane: Pca | null, points: ArrayLike<number>): Float64Array {
  const count = points.length / 2;
  if (!plane) return Float64Array.from(points);
  const L = plane.mean.length;
  const [c1, c2] = plane.components;
  const out = new Float64Array(count * L);
  for (let i = 0; i < count; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    for (let j = 0; j < L; j++)
      out[i * L + j] = plane.mean[j]! + x * (c1?.[j] ?? 0) + y * (c2?.[j] ?? 0);
  }
  return out;
}

/** Per-dimension mean and standard deviation (1/N) of N points of size L, row-major. */
export function columnMeanStd(
  points: ArrayLike<number>,
  n: number,
  L: number,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(L);
  const std = new Float64Array(L);
  for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) mean[j]! += points[i * L + j]! / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < L; j++) std[j]! += (points[i * L + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < L; j++) std[j] = Math.sqrt(std[j]!);
  return { mean, std };
}

/**
 * n×n bilinear grid between four corners of size L (top-left, top-right, bottom-left,
 * bottom-right), row-major from the top row: u = c/(n−1) across, v = r/(n−1) down.   [n², L]
 */
export function bilinearGrid(
  corners: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  n: number,
): Float64Array {
  const [tl, tr, bl, br] = corners;
  const L = tl.length;
  const out = new Float64Array(n * n * L);
  for (let r = 0; r < n; r++) {
    const v = n === 1 ? 0 : r / (n - 1);
    for (let c = 0; c < n; c++) {
      const u = n === 1 ? 0 : c / (n - 1);
      const o = (r * n + c) * L;
      for (let j = 0; j < L; j++) {
        const top = (1 - u) * tl[j]! + u * tr[j]!;
        const bottom = (1 - u) * bl[j]! + u * br[j]!;
        out[o + j] = (1 - v) * top + v * bottom;
      }
    }
  }
  return out;
}

/** Copies of z₀ with z_d = value for each d in dims (outer) and value in values (inner).   [|dims|·|values|, L] */
export function traversalGrid(
  z0: ArrayLike<number>,
  dims: readonly number[],
  values: readonly number[],
): Float64Array {
  const L = z0.length;
  const out = new Float64Array(dims.length * values.length * L);
  dims.forEach((d, i) =>
    values.forEach((value, s) => {
      const o = (i * values.length + s) * L;
      for (let j = 0; j < L; j++) out[o + j] = z0[j]!;
      out[o + d] = value;
    }),
  );
  return out;
}
