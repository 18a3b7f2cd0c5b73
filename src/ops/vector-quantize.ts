/**
 * The vector-quantisation bottleneck of the VQ-VAE (van den Oord et al. 2017, "Neural Discrete
 * Representation Learning", https://arxiv.org/abs/1711.00937): nearest-code lookup, the
 * straight-through gradient, the codebook and commitment losses, the EMA codebook update,
 * k-means initialisation and dead-code restarts.
 *
 * Shapes: M = number of latent positions in the batch (B images × P positions per image,
 * flattened: ze [B, H, W, D] → [B·H·W, D]), K = codebook size, D = code dimension.
 * ze = encoder outputs, e = codebook rows, zq = quantised outputs (the chosen code per position).
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot';
import { stopGradient } from './stop-gradient';
import { deadCodes } from '../core/codebook-stats';
import { mulberry32, permutation } from '../core/rng';

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// Nearest code and quantisation

/**
 * Squared Euclidean distances between every encoder output and every code:
 *   d[i, k] = ‖ze_i − e_k‖² = ‖ze_i‖² − 2·ze_i·e_kᵀ + ‖e_k‖²      ze [M, D], e [K, D] → [M, K]
 * The expanded form needs one [M, D]×[D, K] matMul instead of an [M, K, D] difference tensor.
 */
export function squaredDistances(ze: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const zeNormSq = tf.sum(tf.square(ze), 1, true); //                                  [M, 1]
    const codeNormSq = tf.reshape(tf.sum(tf.square(codebook), 1), [1, -1]); //           [1, K]
    const cross = tf.matMul(ze, codebook, false, true); //                               [M, K]
    return tf.add(tf.sub(zeNormSq, tf.mul(cross, 2)), codeNormSq);
  });
}

/**
 * k*(i) = argmin_k ‖ze_i − e_k‖²   (ties → the lowest k, as tf.argMin does)    → int32 [M]
 * Not differentiable: the inputs pass through sg[·] so a surrounding gradient tape does not
 * walk back through the distance computation (argMin's gradient is zero anyway).
 */
export function nearestCode(ze: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.argMin(squaredDistances(stopGradient(ze), stopGradient(codebook)), 1));
}

export type Quantized = {
  /** zq_i = e_{k*(i)}, computed as oneHot · codebook so the codebook gets gradient.  [M, D] */
  zq: tf.Tensor2D;
  /** k*(i), int32.                                                                      [M] */
  indices: tf.Tensor1D;
  /** one-hot of k*(i), float32 (rows of the assignment matrix).                      [M, K] */
  oneHot: tf.Tensor2D;
};

/**
 * Replaces each encoder output by its nearest code.
 * zq = oneHot(k*) · codebook   [M, K]×[K, D] → [M, D]
 * Why not tf.gather(codebook, k*): inside a gradient tape TF.js's gather gradient rejects int32
 * indices ("gradient of input indices must have 'float32' dtype"); the one-hot matMul is
 * differentiable in the codebook: ∂zq/∂e_k = Σ_{i: k*(i)=k} (row i).
 * Needs K ≥ 2 (tf.oneHot's depth limit).
 */
export function quantize(ze: tf.Tensor2D, codebook: tf.Tensor2D): Quantized {
  return tf.tidy(() => {
    const K = codebook.shape[0];
    const indices = nearestCode(ze, codebook);
    const oneHot = oneHotFloat(indices, K) as tf.Tensor2D;
    const zq = tf.matMul(oneHot, codebook) as tf.Tensor2D;
    return { zq, indices, oneHot };
  });
}

/** The straight-through estimator z_e + sg[z_q − z_e] (van den Oord et al. 2017, §3.2). */
export { straightThrough } from './stop-gradient';

// ---------------------------------------------------------------------------------------------
// Losses

export type VqLosses = {
  /** ‖sg[ze] − zq‖²: moves the codes towards the encoder outputs.            scalar, per image */
  codebookLoss: tf.Scalar;
  /** ‖ze − sg[zq]‖²: keeps the encoder near its codes (weighted by β).       scalar, per image */
  commitmentLoss: tf.Scalar;
};

/** Number of images in ze: B for [B, H, W, D]; M / P for [M, D] with P positions per image. */
function imageCount(shape: number[], positionsPerImage: number | undefined): number {
  if (shape.length === 4) {
    const [B, H, W] = shape as [number, number, number, number];
    if (positionsPerImage !== undefined && positionsPerImage !== H * W) {
      throw new Error(`vqLosses: positionsPerImage ${positionsPerImage} ≠ H·W = ${H * W}`);
    }
    return B;
  }
  if (shape.length === 2) {
    const M = shape[0]!;
    if (positionsPerImage === undefined || !(positionsPerImage >= 1) || M % positionsPerImage) {
      throw new Error(`vqLosses: [M, D] input needs positionsPerImage dividing M = ${M}`);
    }
    return M / positionsPerImage;
  }
  throw new Error(`vqLosses: expected [M, D] or [B, H, W, D], got [${shape}]`);
}

/**
 * The two auxiliary VQ-VAE terms (van den Oord et al. 2017, eq. 3):
 *   codebook   = Σ_positions Σ_D (sg[ze] − zq)²
 *   commitment = Σ_positions Σ_D (ze − sg[zq])²
 * Reduction: SUM over D and over the P positions of one image, then MEAN over the B images, so
 * both are "per image" like the reconstruction NLL (nats per image, summed over pixels) and β
 * keeps a batch-size-independent meaning. (A mean over positions and D, as in some reference
 * code, would equal these divided by P·D.) The forward values of the two terms are equal; they
 * differ only in which side gets the gradient:
 *   ∂codebook/∂zq = (2/B)(zq − ze),   ∂codebook/∂ze = 0;
 *   ∂commitment/∂ze = (2/B)(ze − zq), ∂commitment/∂zq = 0.
 * Inputs: ze, zq [B, H, W, D], or [M, D] with positionsPerImage = P (M = B·P).
 */
export function vqLosses(ze: tf.Tensor, zq: tf.Tensor, positionsPerImage?: number): VqLosses {
  if (!tf.util.arraysEqual(ze.shape, zq.shape)) {
    throw new Error(`vqLosses: ze ${ze.shape} and zq ${zq.shape} differ in shape`);
  }
  const images = imageCount(ze.shape, positionsPerImage);
  return tf.tidy(() => ({
    codebookLoss: tf.div(tf.sum(tf.square(tf.sub(stopGradient(ze), zq))), images) as tf.Scalar,
    commitmentLoss: tf.div(tf.sum(tf.square(tf.sub(ze, stopGradient(zq)))), images) as tf.Scalar,
  }));
}

// ---------------------------------------------------------------------------------------------
// EMA codebook update (van den Oord et al. 2017, appendix A.1; Razavi et al. 2019, "Generating
// Diverse High-Fidelity Images with VQ-VAE-2", https://arxiv.org/abs/1906.00446)

export type EmaState = {
  /** N_k: exponentially averaged number of positions assigned to code k.                 [K] */
  clusterSize: tf.Variable<tf.Rank.R1>;
  /** m_k: exponentially averaged sum of the encoder outputs assigned to code k.       [K, D] */
  embedSum: tf.Variable<tf.Rank.R2>;
};

/**
 * Fresh EMA state consistent with the current codebook: N_k = initialCount, m_k = initialCount·e_k
 * (so m_k / N_k = e_k). Non-trainable variables; free them with disposeEmaState.
 */
export function createEmaState(codebook: tf.Tensor2D, initialCount = 1): EmaState {
  return tf.tidy(() => ({
    clusterSize: tf.variable(tf.fill([codebook.shape[0]], initialCount), false),
    embedSum: tf.variable(tf.mul(codebook, initialCount) as tf.Tensor2D, false),
  }));
}

export function disposeEmaState(state: EmaState): void {
  state.clusterSize.dispose();
  state.embedSum.dispose();
}

/**
 * One EMA step with decay γ (paper: 0.99) and Laplace smoothing ε (commonly 1e-5):
 *   n_k = Σ_i oneHot[i, k]                        batch counts                        [K]
 *   s_k = Σ_{i: k*(i)=k} ze_i = (oneHotᵀ · ze)_k   batch sums                       [K, D]
 *   N_k ← γ N_k + (1 − γ) n_k
 *   m_k ← γ m_k + (1 − γ) s_k
 *   Ñ_k = (N_k + ε) / (N + K ε) · N,   N = Σ_k N_k    (keeps unused codes from dividing by 0)
 *   e_k ← m_k / Ñ_k
 * Assigns state.clusterSize, state.embedSum and codebook in place; all temporaries are
 * disposed. Call it outside any gradient tape; with EMA the codebook is not trained by the
 * optimiser (drop the codebook loss, keep the commitment loss).
 * ze [M, D], oneHot [M, K] (from quantize), codebook [K, D].
 */
export function emaUpdate(
  state: EmaState,
  codebook: tf.Variable<tf.Rank.R2>,
  ze: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  decay: number,
  epsilon = 1e-5,
): void {
  if (!(decay >= 0 && decay < 1)) throw new Error(`emaUpdate: decay ${decay} not in [0, 1)`);
  if (!(epsilon >= 0)) throw new Error(`emaUpdate: epsilon ${epsilon} must be ≥ 0`);
  const K = codebook.shape[0];
  tf.tidy(() => {
    const batchCounts = tf.sum(oneHot, 0); //                                                 [K]
    const batchSums = tf.matMul(oneHot, ze, true, false); //                              [K, D]
    const clusterSize = tf.add(
      tf.mul(state.clusterSize, decay),
      tf.mul(batchCounts, 1 - decay),
    ) as tf.Tensor1D;
    const embedSum = tf.add(
      tf.mul(state.embedSum, decay),
      tf.mul(batchSums, 1 - decay),
    ) as tf.Tensor2D;
    const total = tf.sum(clusterSize);
    const smoothed = tf.mul(
      tf.div(tf.add(clusterSize, epsilon), tf.add(total, K * epsilon)),
      total,
    );
    const codes = tf.div(embedSum, tf.reshape(smoothed, [K, 1])) as tf.Tensor2D;
    state.clusterSize.assign(clusterSize);
    state.embedSum.assign(embedSum);
    codebook.assign(codes);
  });
}

// ---------------------------------------------------------------------------------------------
// Initialisation and dead-code restarts

/**
 * Codebook initialisation by k-means on a sample of encoder outputs (Łańcucki et al. 2020,
 * "Robust Training of Vector Quantized Bottleneck Models", https://arxiv.org/abs/2005.08520):
 *  1. k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one
 *     with probability ∝ D(x)², the squared distance to the nearest chosen centre (uniformly if
 *     all D(x) = 0, e.g. M < K). Done in plain JS on the samples read back once.
 *  2. `iterations` Lloyd steps on the backend: assign to the nearest centre, move each centre to
 *     the mean of its cluster (an empty cluster keeps its centre).
 * samples [M, D] → codebook [K, D] (a new tensor owned by the caller). Deterministic per seed.
 */
export function kmeansInit(
  samples: tf.Tensor2D,
  K: number,
  iterations: number,
  seed: number,
): tf.Tensor2D {
  checkKmeansShapes(samples, K);
  return kmeansFromValues(samples, samples.dataSync(), K, iterations, seed);
}

/**
 * kmeansInit with the samples read back asynchronously (`await data()`): the same centres for
 * the same seed. On WebGPU a blocking dataSync inside a worker can lose the device, so the
 * trainer uses this one before the first step (Trainer.prepare).
 */
export async function kmeansInitAsync(
  samples: tf.Tensor2D,
  K: number,
  iterations: number,
  seed: number,
): Promise<tf.Tensor2D> {
  checkKmeansShapes(samples, K);
  const values = (await samples.data()) as Float32Array;
  return kmeansFromValues(samples, values, K, iterations, seed);
}

function checkKmeansShapes(samples: tf.Tensor2D, K: number): void {
  const [M] = samples.shape;
  if (M < 1 || K < 2) throw new Error(`kmeansInit: need M ≥ 1 samples and K ≥ 2 (M=${M}, K=${K})`);
}

/** k-means++ seeding on the host copy `data` of `samples`, then Lloyd steps on the backend. */
function kmeansFromValues(
  samples: tf.Tensor2D,
  data: Float32Array | tf.TypedArray,
  K: number,
  iterations: number,
  seed: number,
): tf.Tensor2D {
  const [M, D] = samples.shape;
  const rng = mulberry32(seed);
  const centres = new Float32Array(K * D);
  const minDistSq = new Float64Array(M).fill(Infinity);

  const chooseCentre = (c: number, row: number) => {
    centres.set(data.subarray(row * D, row * D + D), c * D);
    for (let i = 0; i < M; i++) {
      let d2 = 0;
      for (let j = 0; j < D; j++) {
        const diff = data[i * D + j]! - data[row * D + j]!;
        d2 += diff * diff;
      }
      if (d2 < minDistSq[i]!) minDistSq[i] = d2;
    }
  };

  chooseCentre(0, Math.floor(rng() * M));
  for (let c = 1; c < K; c++) {
    let total = 0;
    for (let i = 0; i < M; i++) total += minDistSq[i]!;
    let row = 0;
    if (total > 0) {
      let target = rng() * total;
      for (let i = 0; i < M; i++) {
        const weight = minDistSq[i]!;
        if (weight <= 0) continue; // never re-pick a chosen point
        row = i; // the last positive-weight row is the fallback if rounding leaves target ≥ 0
        target -= weight;
        if (target < 0) break;
      }
    } else {
      row = Math.floor(rng() * M);
    }
    chooseCentre(c, row);
  }

  let codebook = tf.tensor2d(centres, [K, D]);
  for (let it = 0; it < iterations; it++) {
    const previous = codebook;
    codebook = tf.tidy(() => {
      const oneHot = oneHotFloat(nearestCode(samples, previous), K); //    [M, K]
      const counts = tf.reshape(tf.sum(oneHot, 0), [K, 1]); //                            [K, 1]
      const sums = tf.matMul(oneHot, samples, true, false); //                            [K, D]
      const means = tf.div(sums, tf.maximum(counts, 1));
      return tf.where(tf.greater(counts, 0), means, previous) as tf.Tensor2D;
    });
    previous.dispose();
  }
  return codebook;
}

/**
 * Dead-code restart (as in Dhariwal et al. 2020, "Jukebox", https://arxiv.org/abs/2005.00341):
 * every code k with usageCounts[k] < threshold is replaced by a randomly chosen current encoder
 * output (distinct rows of ze while there are enough, drawn by a seeded permutation); live
 * codes are untouched. With an EMA state, the restarted codes' statistics restart too
 * (N_k = 1, m_k = new e_k) so the next emaUpdate does not pull them back.
 * codebook [K, D] (assigned in place), usageCounts [K], ze [M, D].
 * Returns the restarted code indices, ascending (one UI event each).
 */
export function restartDeadCodes(
  codebook: tf.Variable<tf.Rank.R2>,
  usageCounts: ArrayLike<number>,
  ze: tf.Tensor2D,
  threshold: number,
  seed: number,
  emaState?: EmaState,
): number[] {
  const [K] = codebook.shape;
  const M = ze.shape[0];
  if (usageCounts.length !== K) {
    throw new Error(`restartDeadCodes: ${usageCounts.length} usage counts for K = ${K} codes`);
  }
  const dead = deadCodes(usageCounts, threshold);
  if (dead.length === 0) return dead;
  if (M < 1) throw new Error('restartDeadCodes: no encoder outputs to restart from');

  const order = permutation(M, mulberry32(seed));
  const sourceRow = new Int32Array(K); // row of ze copied into code k (0 for live codes)
  const isDead = new Uint8Array(K);
  dead.forEach((k, j) => {
    sourceRow[k] = order[j % M]!;
    isDead[k] = 1;
  });

  tf.tidy(() => {
    const replacement = tf.gather(ze, tf.tensor1d(sourceRow, 'int32')); //                [K, D]
    const deadRows = tf.tensor2d(isDead, [K, 1], 'bool'); //                             [K, 1]
    codebook.assign(tf.where(deadRows, replacement, codebook) as tf.Tensor2D);
    if (emaState) {
      const deadFlat = tf.reshape(deadRows, [K]);
      emaState.clusterSize.assign(
        tf.where(deadFlat, tf.onesLike(emaState.clusterSize), emaState.clusterSize),
      );
      emaState.embedSum.assign(tf.where(deadRows, replacement, emaState.embedSum) as tf.Tensor2D);
    }
  });
  return dead;
}
