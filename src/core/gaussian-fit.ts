/**
 * A full-covariance Gaussian fitted to points, and samples from it: how a deterministic
 * autoencoder generates ("fit a Gaussian in the latent space, sample and generate").
 *   μ = mean(z),  Σ = cov(z) + εI,  Σ = L Lᵀ (Cholesky),  z' = μ + L ε,  ε ~ N(0, I)
 * Pure: no imports except the seeded RNG.
 */
import type { Rng } from './rng';

export interface GaussianFit {
  dims: number;
  mean: Float64Array; // [D]
  /** Lower-triangular Cholesky factor of the covariance, row-major.   [D, D] */
  cholesky: Float64Array;
}

/** `points` row-major N×D; `jitter` is added to the diagonal so Σ stays positive definite. */
export function fitGaussian(
  points: ArrayLike<number>,
  n: number,
  d: number,
  jitter = 1e-6,
): GaussianFit {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += points[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = points[i * d + a]! - mean[a]!;
      for (let b = 0; b <= a; b++) cov[a * d + b]! += (da * (points[i * d + b]! - mean[b]!)) / n;
    }
  }
  for (let a = 0; a < d; a++) cov[a * d + a]! += jitter;
  // Cholesky–Banachiewicz on the lower triangle.
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = cov[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (sum <= 0) throw new Error('fitGaussian: covariance is not positive definite');
        L[i * d + i] = Math.sqrt(sum);
      } else {
        L[i * d + j] = sum / L[j * d + j]!;
      }
    }
  }
  return { dims: d, mean, cholesky: L };
}

/** Standard normal by Box–Muller. */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** `count` samples z = μ + L ε, row-major count×D. */
export function sampleGaussian(fit: GaussianFit, count: number, rng: Rng): Float32Array {
  const d = fit.dims;
  const out = new Float32Array(count * d);
  const eps = new Float64Array(d);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < d; j++) eps[j] = standardNormal(rng);
    for (let i = 0; i < d; i++) {
      let v = fit.mean[i]!;
      for (let k = 0; k <= i; k++) v += fit.cholesky[i * d + k]! * eps[k]!;
      out[s * d + i] = v;
    }
  }
  return out;
}
