/**
 * Symmetric eigenproblems in plain numbers (Float64, row-major). Pure: imports only core.
 *
 *   symmetricEigen(A)   all of A = U Λ Uᵀ by cyclic Jacobi rotations (small matrices: ≲ 150)
 *   topEigen(A, k)      the k largest of a larger A (PCA's 784×784 covariance) by subspace
 *                       iteration with Rayleigh–Ritz: V ← orth(A V), H = Vᵀ A V = U Θ Uᵀ,
 *                       Ritz vectors X = V U; stops when ‖A xᵢ − θᵢ xᵢ‖ ≤ tol·θ₁ for i < k,
 *                       or when Σ_{i<k} θᵢ grows by less than tol²·Σθᵢ in an iteration.
 *   orthonormalize(V)   the columns of V [n, m] made orthonormal (Gram–Schmidt, twice)
 * Eigenvalues come sorted from largest to smallest; eigenvector j is column j of an [n, m] array.
 */
import { mulberry32 } from './rng';

export interface Eigen {
  /** Eigenvalues, largest first.   [m] */
  values: Float64Array;
  /** Eigenvectors as columns, row-major: vectors[i·m + j] is entry i of vector j.   [n, m] */
  vectors: Float64Array;
}

/** All eigenpairs of the symmetric n×n `a` (not modified), by cyclic Jacobi sweeps. */
export function symmetricEigen(a: ArrayLike<number>, n: number, maxSweeps = 100): Eigen {
  const s = Float64Array.from(a);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) u[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        const v = s[p * n + q]! ** 2;
        total += v;
        if (p !== q) off += v;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        // The rotation (c, s) in the (p, q) plane that zeroes s_pq (Golub & Van Loan §8.5).
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q: S ← S J
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q: S ← Jᵀ S
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < n; k++) {
          const ukp = u[k * n + p]!;
          const ukq = u[k * n + q]!;
          u[k * n + p] = c * ukp - sn * ukq;
          u[k * n + q] = sn * ukp + c * ukq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => s[j * n + j]! - s[i * n + i]!,
  );
  const values = Float64Array.from(order, (i) => s[i * n + i]!);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < n; j++) vectors[r * n + j] = u[r * n + order[j]!]!;
  return { values, vectors };
}

/**
 * Orthonormal columns spanning those of `v` [n, m] (modified Gram–Schmidt, run twice for
 * accuracy). A column that depends on the earlier ones becomes zero (the span has rank < m).
 */
export function orthonormalize(v: ArrayLike<number>, n: number, m: number): Float64Array {
  const q = Float64Array.from(v);
  const scale = Math.sqrt(q.reduce((acc, x) => acc + x * x, 0)) || 1;
  for (let j = 0; j < m; j++) {
    const before = columnNorm(q, n, m, j);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[r * m + i]! * q[r * m + j]!;
        for (let r = 0; r < n; r++) q[r * m + j]! -= dot * q[r * m + i]!;
      }
    }
    const norm = columnNorm(q, n, m, j);
    // Nothing left but rounding: the column lies in the span of the earlier ones.
    const keep = norm > 1e-10 * Math.max(before, 1e-300) && norm > 1e-14 * scale;
    for (let r = 0; r < n; r++) q[r * m + j] = keep ? q[r * m + j]! / norm : 0;
  }
  return q;
}

function columnNorm(q: Float64Array, n: number, m: number, j: number): number {
  let s = 0;
  for (let r = 0; r < n; r++) s += q[r * m + j]! ** 2;
  return Math.sqrt(s);
}

/** [n, k] · [k, m] → [n, m], row-major. */
export function matMul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  k: number,
  m: number,
) {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return out;
}

/** Aᵀ B for A [n, k], B [n, m] → [k, m], row-major. */
export function transposeMatMul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  k: number,
  m: number,
) {
  const out = new Float64Array(k * m);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const ari = a[r * k + i]!;
      if (ari === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ari * b[r * m + j]!;
    }
  }
  return out;
}

export interface TopEigenOptions {
  /** Extra block columns beyond k that speed convergence (default max(8, k)). */
  oversample?: number;
  /** Relative residual at which to stop (default 1e-9). */
  tol?: number;
  maxIterations?: number;
  seed?: number;
}

/** The k largest eigenpairs of the symmetric n×n `a`, and the iterations it took. */
export function topEigen(
  a: ArrayLike<number>,
  n: number,
  k: number,
  options: TopEigenOptions = {},
): Eigen & { iterations: number } {
  const { tol = 1e-9, maxIterations = 1000, seed = 1 } = options;
  const m = Math.min(n, k + (options.oversample ?? Math.max(8, k)));
  if (m === n) {
    const all = symmetricEigen(a, n);
    return { ...top(all, n, n, k), iterations: 0 };
  }
  const rng = mulberry32(seed);
  let v = orthonormalize(
    Float64Array.from({ length: n * m }, () => rng() - 0.5),
    n,
    m,
  );
  let iterations = 0;
  let previous = -Infinity;
  for (;;) {
    iterations++;
    const w = matMul(a, v, n, n, m); // A V   [n, m]
    const h = transposeMatMul(v, w, n, m, m); // Vᵀ A V   [m, m]
    for (let i = 0; i < m; i++)
      for (let j = 0; j < i; j++) h[i * m + j] = h[j * m + i] = (h[i * m + j]! + h[j * m + i]!) / 2;
    const ritz = symmetricEigen(h, m);
    const x = matMul(v, ritz.vectors, n, m, m); // Ritz vectors   [n, m]
    const ax = matMul(w, ritz.vectors, n, m, m); // A X   [n, m]
    let worst = 0;
    for (let j = 0; j < k; j++) {
      let r = 0;
      for (let i = 0; i < n; i++) r += (ax[i * m + j]! - ritz.values[j]! * x[i * m + j]!) ** 2;
      worst = Math.max(worst, Math.sqrt(r));
    }
    const scale = Math.max(Math.abs(ritz.values[0]!), 1e-300);
    // Also stop once Σ θ₁…θ_k (the variance the subspace captures) no longer grows: near-equal
    // eigenvalues at the cut make single vectors converge slowly but leave the sum unchanged.
    let sum = 0;
    for (let j = 0; j < k; j++) sum += ritz.values[j]!;
    const stalled = sum - previous <= tol * tol * Math.abs(sum);
    previous = sum;
    if (worst <= tol * scale || stalled || iterations >= maxIterations)
      return { ...top({ values: ritz.values, vectors: x }, n, m, k), iterations };
    v = orthonormalize(ax, n, m);
  }
}

/** The first k of m eigenpairs. */
function top(e: Eigen, n: number, m: number, k: number): Eigen {
  const vectors = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) vectors[i * k + j] = e.vectors[i * m + j]!;
  return { values: e.values.slice(0, k), vectors };
}
