/**
 * PCA as a latent model: the exact d-dimensional principal subspace of the training images,
 * fitted in one closed-form step (the `fit` hook, no gradients).
 *
 *   μ = (1/N) Σₙ xₙ                                               [P]
 *   C = (1/N) (X − μ)ᵀ(X − μ), built on the device in chunks      [P, P]
 *   C = U Λ Uᵀ; W = the top-d eigenvectors (core/eigen topEigen)   [P, d], orthonormal columns
 *   encode  z = (x − μ) W                                          [B, d]
 *   decode  x̂ = μ + z Wᵀ                                           [B, P]
 *   squaredError per image = Σ_p (x_p − x̂_p)², pixels in [0, 1]; on the training set its mean is
 *   exactly tr C − Σ_{i ≤ d} λᵢ (the variance the d components leave out).
 * Sampling: a Gaussian fitted to the codes (diagonal, variances λᵢ), decoded like any code.
 */
import * as tf from '@tensorflow/tfjs-core';
import { orthonormalize, symmetricEigen, topEigen } from '../core/eigen';
import { fitGaussian, sampleGaussian, type GaussianFit } from '../core/gaussian-fit';
import { mulberry32 } from '../core/rng';
import type { TrainConfig } from '../contracts/config';
import type { FitContext, FitResult, LatentModel, LossContext, LossOutput } from './latent-model';

export interface PcaConfig {
  inputDim: number;
  latentDim: number;
  /** Seeds the unfitted start: a random orthonormal basis (as an untrained network is random). */
  seed: number;
}

/** Rows of X per covariance chunk: a [CHUNK, P] slice and one [P, P] product at a time. */
const CHUNK = 4096;
/** The eigensolver stops at ‖C u − λ u‖ ≤ TOL·λ₁ (far below what the squared error can show). */
const TOL = 1e-7;
/** Up to this many images the N×N Gram matrix is decomposed instead (exact, by Jacobi). */
const GRAM_MAX_ROWS = 200;

/** The principal subspace of N×P data, plain numbers (Float64), for the model and the panels. */
export interface PrincipalSubspace {
  mean: Float32Array; // [P]
  /** Orthonormal columns, row-major, largest variance first; signs fixed (largest entry > 0). */
  basis: Float64Array; // [P, d]
  /** Variance along each column: the top-d eigenvalues of C.   [d] */
  variances: Float64Array;
  /** tr C: the total variance per image (Σ over pixels). */
  totalVariance: number;
}

/**
 * Mean, covariance (on the device, in chunks: no row loops in JS) and top-d eigenvectors of x
 * [N, P]. Reads the [P, P] covariance back once (asynchronously); the eigensolver runs in JS.
 */
export async function principalSubspace(x: tf.Tensor2D, d: number): Promise<PrincipalSubspace> {
  const [n, p] = x.shape;
  if (n <= GRAM_MAX_ROWS && n < p) return fromGram(x, d);
  const mu = tf.mean(x, 0) as tf.Tensor1D; // [P]
  let cov = tf.zeros([p, p]) as tf.Tensor2D;
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const next = tf.tidy(() => {
      const xc = tf.sub(tf.slice(x, [start, 0], [size, p]), mu) as tf.Tensor2D; // [c, P]
      return tf.add(cov, tf.matMul(xc, xc, true, false)) as tf.Tensor2D; // += xcᵀ xc
    });
    cov.dispose();
    cov = next;
  }
  const [covData, meanData] = await Promise.all([cov.data(), mu.data()]);
  tf.dispose([cov, mu]);
  const c = Float64Array.from(covData, (v) => v / n);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < i; j++) c[i * p + j] = c[j * p + i] = (c[i * p + j]! + c[j * p + i]!) / 2;
  let totalVariance = 0;
  for (let i = 0; i < p; i++) totalVariance += c[i * p + i]!;
  const { values, vectors } = topEigen(c, p, d, { tol: TOL });
  fixSigns(vectors, p, d);
  return { mean: meanData as Float32Array, basis: vectors, variances: values, totalVariance };
}

/**
 * Few images (N ≤ GRAM_MAX_ROWS, N < P): the same subspace from the N×N Gram matrix
 * G = (1/N) X̃ X̃ᵀ = V Λ Vᵀ (X̃ = X − μ), whose non-zero eigenvalues are C's, with
 * uᵢ = X̃ᵀ vᵢ / √(N λᵢ); directions beyond the data's rank get a zero column (no variance).
 */
async function fromGram(x: tf.Tensor2D, d: number): Promise<PrincipalSubspace> {
  const [n, p] = x.shape;
  const mu = tf.mean(x, 0) as tf.Tensor1D;
  const xc = tf.sub(x, mu) as tf.Tensor2D; // [N, P]
  const gram = tf.tidy(() => tf.div(tf.matMul(xc, xc, false, true), n)); // [N, N]
  const [g, meanData] = await Promise.all([gram.data(), mu.data()]);
  gram.dispose();
  const { values, vectors } = symmetricEigen(g, n);
  let totalVariance = 0;
  for (let i = 0; i < n; i++) totalVariance += g[i * n + i]!;
  const scaled = new Float32Array(n * d); // vᵢ / √(N λᵢ)   [N, d]
  const variances = new Float64Array(d);
  for (let j = 0; j < Math.min(d, n); j++) {
    const lambda = values[j]!;
    if (!(lambda > 1e-9 * values[0]!)) continue;
    variances[j] = lambda;
    for (let i = 0; i < n; i++) scaled[i * d + j] = vectors[i * n + j]! / Math.sqrt(n * lambda);
  }
  const u = tf.tidy(() => tf.matMul(xc, tf.tensor2d(scaled, [n, d]), true, false)); // [P, d]
  const basis = Float64Array.from(await u.data());
  tf.dispose([u, xc, mu]);
  fixSigns(basis, p, d);
  return { mean: meanData as Float32Array, basis, variances, totalVariance };
}

/** Each column's sign chosen so that its largest entry is positive (eigenvectors are ± u). */
function fixSigns(basis: Float64Array, p: number, d: number): void {
  for (let j = 0; j < d; j++) {
    let big = 0;
    for (let i = 0; i < p; i++)
      if (Math.abs(basis[i * d + j]!) > Math.abs(big)) big = basis[i * d + j]!;
    if (big < 0) for (let i = 0; i < p; i++) basis[i * d + j] = -basis[i * d + j]!;
  }
}

export class Pca implements LatentModel {
  readonly config: PcaConfig;
  private readonly mean: tf.Variable; // μ   [1, P]
  private readonly basis: tf.Variable; // W   [P, d]
  private readonly variances: tf.Variable; // λ₁…λ_d   [d]
  private readonly total: tf.Variable; // tr C   [1]
  private latentFit: GaussianFit | null = null;

  /** Until fit() runs: μ = 0 and W a random orthonormal basis drawn from the seed. */
  constructor(config: PcaConfig) {
    this.config = config;
    const { inputDim: p, latentDim: d } = config;
    const rng = mulberry32(config.seed * 16 + 7);
    const start = orthonormalize(
      Float64Array.from({ length: p * d }, () => rng() - 0.5),
      p,
      d,
    );
    this.mean = tf.variable(tf.zeros([1, p]), false);
    this.basis = tf.variable(tf.tensor2d(Float32Array.from(start), [p, d]), false);
    this.variances = tf.variable(tf.zeros([d]), false);
    this.total = tf.variable(tf.zeros([1]), false);
  }

  /** Everything a checkpoint stores (nothing is trained by an optimiser). */
  get variables(): tf.Variable[] {
    return [this.mean, this.basis, this.variances, this.total];
  }

  /** The closed-form fit on the whole training set; converged after this one step. */
  async fit(train: tf.Tensor2D, _ctx: FitContext): Promise<FitResult> {
    const { inputDim: p, latentDim: d } = this.config;
    const s = await principalSubspace(train, d);
    tf.tidy(() => {
      this.mean.assign(tf.tensor2d(s.mean, [1, p]));
      this.basis.assign(tf.tensor2d(Float32Array.from(s.basis), [p, d]));
      this.variances.assign(tf.tensor1d(Float32Array.from(s.variances)));
      this.total.assign(tf.tensor1d([s.totalVariance]));
    });
    const kept = s.variances.reduce((a, v) => a + v, 0);
    return { terms: { squaredError: s.totalVariance - kept }, converged: true };
  }

  loss(): LossOutput {
    throw new Error('PCA is fitted in closed form (fit), not by gradient steps');
  }

  /** z = (x − μ) W   [B, P] → [B, d] */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(tf.sub(x, this.mean), this.basis) as tf.Tensor2D);
  }

  /** x̂ = μ + z Wᵀ, not clipped   [B, d] → [B, P] */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(this.mean, tf.matMul(z, this.basis, false, true)) as tf.Tensor2D);
  }

  /** Σ_p (x_p − x̂_p)² per image, with the unclipped x̂ (PCA's own error).   [B] */
  evaluate(x: tf.Tensor2D, _ctx: LossContext): Record<string, tf.Tensor1D> {
    return {
      squaredError: tf.tidy(() => tf.sum(tf.squaredDifference(x, this.decode(this.encode(x))), 1)),
    };
  }

  embed(x: tf.Tensor2D): tf.Tensor2D {
    return this.encode(x);
  }

  /** For display: x̂ clipped to [0, 1].   [B, P] → [B, P] */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.clipByValue(this.decode(this.encode(x)), 0, 1) as tf.Tensor2D);
  }

  get latentDim(): number {
    return this.config.latentDim;
  }

  /** μ + z Wᵀ clipped to [0, 1].   z [B, d] → [B, P] */
  decodeLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.clipByValue(this.decode(z), 0, 1) as tf.Tensor2D);
  }

  /** x̂ = μ + z Wᵀ: weight Wᵀ [d, P], bias μ [P] (new tensors). */
  affineDecoder(): { weight: tf.Tensor2D; bias: tf.Tensor1D } {
    return tf.tidy(() => ({
      weight: tf.transpose(this.basis) as tf.Tensor2D,
      bias: tf.reshape(this.mean, [-1]) as tf.Tensor1D,
    }));
  }

  /** The fitted subspace as plain numbers (panels): μ, W [P, d], λ [d], tr C. */
  async subspace(): Promise<PrincipalSubspace> {
    const [mean, basis, variances, total] = await Promise.all(this.variables.map((v) => v.data()));
    return {
      mean: mean as Float32Array,
      basis: Float64Array.from(basis!),
      variances: Float64Array.from(variances!),
      totalVariance: total![0]!,
    };
  }

  async fitLatentGaussian(x: tf.Tensor2D): Promise<void> {
    const z = this.encode(x);
    const data = await z.data();
    z.dispose();
    this.latentFit = fitGaussian(data, x.shape[0], this.config.latentDim);
  }

  sample(count: number, seed: number): tf.Tensor2D {
    if (!this.latentFit) throw new Error('fit a Gaussian to the codes first (fitLatentGaussian)');
    const z = sampleGaussian(this.latentFit, count, mulberry32(seed));
    return tf.tidy(() => this.decodeLatent(tf.tensor2d(z, [count, this.config.latentDim])));
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  applyLiveConfig(_c: TrainConfig): void {}

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
