/**
 * Principal angles between two subspaces of ℝⁿ, each given by spanning columns (Björck & Golub
 * 1973): with Q₁, Q₂ orthonormal bases, cos θᵢ are the singular values of Q₁ᵀQ₂, i.e. the square
 * roots of the eigenvalues of the small matrix (Q₁ᵀQ₂)ᵀ(Q₁ᵀQ₂). Pure: imports only core.
 *
 *   a [n, p], b [n, q]  →  min(p, q) angles in radians, smallest first (0 = shared direction)
 */
import { orthonormalize, symmetricEigen, transposeMatMul } from './eigen';

export function principalAngles(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  p: number,
  q: number,
): number[] {
  const qa = orthonormalize(a, n, p);
  const qb = orthonormalize(b, n, q);
  // Make the smaller side the columns so that MᵀM is [r, r] with r = min(p, q).
  const [left, right, pl, pr] = p >= q ? [qa, qb, p, q] : [qb, qa, q, p];
  const m = transposeMatMul(left, right, n, pl, pr); // [pl, pr]
  const mtm = transposeMatMul(m, m, pl, pr, pr); // [pr, pr]
  const { values } = symmetricEigen(mtm, pr);
  // Largest cosine first = smallest angle first.
  return Array.from(values, (v) => Math.acos(Math.min(1, Math.sqrt(Math.max(0, v)))));
}
