/**
 * VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017, "Neural Discrete Representation Learning",
 * https://arxiv.org/abs/1711.00937), small convolutional version for MNIST.
 *
 *   encoder   x [B,784] → z_e [B,7,7,D]                                   (layers/conv-nets)
 *   quantise  k*(i) = argmin_k ‖z_e,i − e_k‖²,  z_q,i = e_{k*(i)}           codebook e [K,D]
 *   decoder   z_e + sg[z_q − z_e] → ℓ [B,784]        (straight-through: forward z_q, ∂ to z_e)
 *
 *   per image (sums over pixels / positions / D, means over images):
 *     recon      = −log p(x | z_q)        (Bernoulli on ℓ, or Gaussian N(sigmoid ℓ, σ²), nats)
 *     codebook   = ‖sg[z_e] − z_q‖²                   (trains e; dropped with EMA updates)
 *     commitment = ‖z_e − sg[z_q]‖²                   (keeps z_e near its codes)
 *   objective:  recon + codebook + β·commitment       (β = 0.25 in the paper)
 * The Keras example's loss, MSE/var(x) + vq terms (all means over elements, 7·7·16 = 784 = P),
 * is 1/784 of ours with the Gaussian likelihood at σ² = var(x)/2 (C = 1/var(x)), up to a constant.
 * Options: EMA codebook (decay γ, Laplace-smoothed counts; paper appendix A.1), k-means
 * initialisation from the first batch's encoder outputs (Łańcucki et al. 2020), and dead-code
 * restart from current encoder outputs (the trainer calls maintain() every 200 steps) (Dhariwal et al. 2020).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../ops/register-gradients';
import { reconstructionNll } from '../ops/reconstruction';
import type { Likelihood, TrainConfig } from '../contracts/config';
import { oneHotFloat } from '../ops/one-hot';
import {
  createEmaState,
  disposeEmaState,
  emaUpdate,
  kmeansInit,
  kmeansInitAsync,
  quantize,
  restartDeadCodes,
  straightThrough,
  vqLosses,
  type EmaState,
} from '../ops/vector-quantize';
import type { CodeAssignment, LatentModel, LossContext, LossOutput } from './latent-model';
import { ConvDecoder, ConvEncoder, GRID } from './layers/conv-nets';
import { withLiveSettings } from './live-config';

export interface VqVaeConfig {
  /** K: number of codes. */
  codebookSize: number;
  /** D: size of each code vector. */
  codeDim: number;
  /** Channels of the first hidden conv layer (the second has twice as many). */
  hidden: number;
  /** p(x | z_q): Bernoulli, or Gaussian with fixed σ (C·‖x − x̂‖², C = 1/(2σ²)). */
  likelihood: Likelihood;
  sigma: number;
  /** β: weight of the commitment loss (paper: 0.25). */
  commitment: number;
  /** Update the codebook by exponential moving averages instead of the codebook loss. */
  ema: boolean;
  /** γ of the EMA update (paper: 0.99). */
  emaDecay: number;
  /** Initialise the codebook by k-means on the first batch's encoder outputs. */
  kmeansInit: boolean;
  /** Restart codes used fewer than this many times since the last check (0 = never). */
  deadCodeThreshold: number;
  seed: number;
}

export const VQ_VAE_DEFAULTS: VqVaeConfig = {
  codebookSize: 64,
  codeDim: 16,
  hidden: 32,
  likelihood: 'bernoulli',
  sigma: 0.1,
  commitment: 0.25,
  ema: false,
  emaDecay: 0.99,
  kmeansInit: true,
  deadCodeThreshold: 1,
  seed: 1,
};

let vqCount = 0;

export class VqVae implements LatentModel {
  config: VqVaeConfig;
  private readonly encoder: ConvEncoder;
  private readonly decoder: ConvDecoder;
  readonly codebook: tf.Variable<tf.Rank.R2>; // [K, D]
  private readonly ema: EmaState | null;
  /** Assignments of the last training step, kept for the EMA update in afterStep. */
  private lastStep: { ze: tf.Tensor2D; oneHot: tf.Tensor2D } | null = null;
  /** Code counts since the last maintain() and since the last takeCodeUsage().     [K] each */
  private readonly usageSinceCheck: tf.Variable<tf.Rank.R1>;
  private readonly usageSinceTake: tf.Variable<tf.Rank.R1>;

  constructor(config: Partial<VqVaeConfig> = {}) {
    const c = { ...VQ_VAE_DEFAULTS, ...config };
    this.config = c;
    const s = c.seed * 16;
    const id = `vq${vqCount++}`;
    this.encoder = new ConvEncoder(c.hidden, c.codeDim, s + 1, `${id}/enc`);
    this.decoder = new ConvDecoder(c.codeDim, c.hidden, s + 7, `${id}/dec`);
    const limit = 1 / c.codebookSize;
    this.codebook = tf.tidy(() =>
      tf.variable(
        tf.randomUniform([c.codebookSize, c.codeDim], -limit, limit, 'float32', s + 13),
        !c.ema,
        `${id}/codebook`,
      ),
    ) as tf.Variable<tf.Rank.R2>;
    this.ema = c.ema ? createEmaState(this.codebook) : null;
    // In a tidy, so that the zeros the variables start from are not left behind.
    const counter = (name: string) =>
      tf.tidy(() =>
        tf.variable(tf.zeros([c.codebookSize]), false, `${id}/${name}`),
      ) as tf.Variable<tf.Rank.R1>;
    this.usageSinceCheck = counter('usage');
    this.usageSinceTake = counter('usageTake');
  }

  get variables(): tf.Variable[] {
    const nets = [...this.encoder.variables, ...this.decoder.variables];
    return this.config.ema ? nets : [...nets, this.codebook];
  }

  /** A checkpoint keeps the codebook also when EMA (not the optimiser) updates it. */
  get savedVariables(): tf.Variable[] {
    return [...this.encoder.variables, ...this.decoder.variables, this.codebook];
  }

  /** EMA statistics and usage counters: what else a resumed run needs to continue exactly. */
  get stateVariables(): tf.Variable[] {
    const ema = this.ema ? [this.ema.clusterSize, this.ema.embedSum] : [];
    return [...ema, this.usageSinceCheck, this.usageSinceTake];
  }

  /** z_e flattened over positions: x [B,784] → [B·49, D] */
  private encodeFlat(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(
      () => tf.reshape(this.encoder.apply(x), [-1, this.config.codeDim]) as tf.Tensor2D,
    );
  }

  private forward(x: tf.Tensor2D) {
    const B = x.shape[0];
    const { codeDim: D } = this.config;
    const ze = this.encodeFlat(x); // [B·49, D]
    const q = quantize(ze, this.codebook); // z_q [B·49, D], indices [B·49], oneHot [B·49, K]
    const zIn = tf.reshape(straightThrough(ze, q.zq), [B, GRID, GRID, D]) as tf.Tensor4D;
    const { likelihood, sigma } = this.config;
    const recon = reconstructionNll(this.decoder.apply(zIn), x, likelihood, sigma); // [B]
    return { ze, q, recon };
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const { ze, q, recon: reconPerImage } = this.forward(x);
      const { codebookLoss, commitmentLoss } = vqLosses(ze, q.zq, GRID * GRID);
      const recon = tf.mean(reconPerImage) as tf.Scalar;
      if (ctx.training) {
        this.disposeLastStep();
        this.lastStep = { ze: tf.keep(ze), oneHot: tf.keep(q.oneHot) };
      }
      const aux = tf.mul(commitmentLoss, this.config.commitment);
      const total = this.config.ema ? tf.add(recon, aux) : tf.add(tf.add(recon, codebookLoss), aux);
      return {
        terms: { recon, codebook: codebookLoss, commitment: commitmentLoss },
        total: total as tf.Scalar,
      };
    });
  }

  evaluate(x: tf.Tensor2D, _ctx: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => {
      const B = x.shape[0];
      const { ze, q, recon } = this.forward(x);
      // Per-image squared distances: both auxiliary terms have this value in the forward pass.
      const perImage = tf.sum(
        tf.reshape(tf.sum(tf.square(tf.sub(ze, q.zq)), 1), [B, GRID * GRID]),
        1,
      ) as tf.Tensor1D;
      return { recon, codebook: perImage, commitment: tf.clone(perImage) };
    });
  }

  initialize(x: tf.Tensor2D): void {
    if (!this.config.kmeansInit) return;
    tf.tidy(() => {
      const ze = this.encodeFlat(x);
      this.useInitialCodes(kmeansInit(ze, this.config.codebookSize, 10, this.config.seed));
    });
  }

  /** initialize() with an asynchronous read-back: the same codebook for the same batch. */
  async initializeAsync(x: tf.Tensor2D): Promise<void> {
    if (!this.config.kmeansInit) return;
    const ze = tf.tidy(() => this.encodeFlat(x));
    try {
      const init = await kmeansInitAsync(ze, this.config.codebookSize, 10, this.config.seed);
      tf.tidy(() => this.useInitialCodes(init));
      init.dispose();
    } finally {
      ze.dispose();
    }
  }

  private useInitialCodes(init: tf.Tensor2D): void {
    this.codebook.assign(init);
    if (this.ema) {
      this.ema.embedSum.assign(init);
      this.ema.clusterSize.assign(tf.onesLike(this.ema.clusterSize));
    }
  }

  afterStep(): void {
    const last = this.lastStep;
    if (!last) return;
    tf.tidy(() => {
      const counts = tf.sum(last.oneHot, 0);
      this.usageSinceCheck.assign(tf.add(this.usageSinceCheck, counts));
      this.usageSinceTake.assign(tf.add(this.usageSinceTake, counts));
    });
    if (this.ema) emaUpdate(this.ema, this.codebook, last.ze, last.oneHot, this.config.emaDecay);
    this.disposeLastStep();
  }

  async maintain(x: tf.Tensor2D, step: number): Promise<string[]> {
    const { deadCodeThreshold } = this.config;
    if (deadCodeThreshold <= 0) return [];
    const counts = await this.usageSinceCheck.data();
    tf.tidy(() => this.usageSinceCheck.assign(tf.zerosLike(this.usageSinceCheck)));
    const ze = this.encodeFlat(x);
    const restarted = restartDeadCodes(
      this.codebook,
      counts,
      ze,
      deadCodeThreshold,
      this.config.seed + step,
      this.ema ?? undefined,
    );
    ze.dispose();
    if (restarted.length === 0) return [];
    return [
      `step ${step}: restarted ${restarted.length} dead code${restarted.length === 1 ? '' : 's'} (${restarted.join(', ')}) from current encoder outputs`,
    ];
  }

  async takeCodeUsage(): Promise<Float32Array> {
    const counts = (await this.usageSinceTake.data()) as Float32Array;
    tf.tidy(() => this.usageSinceTake.assign(tf.zerosLike(this.usageSinceTake)));
    return counts;
  }

  codes(x: tf.Tensor2D): CodeAssignment {
    return {
      indices: tf.tidy(() => {
        const q = quantize(this.encodeFlat(x), this.codebook);
        return tf.reshape(q.indices, [x.shape[0], GRID * GRID]) as tf.Tensor2D;
      }),
      size: this.config.codebookSize,
    };
  }

  /** The codes in one PCA view later; for the scatter: each image's mean z_q over positions.  [B, D] */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const q = quantize(this.encodeFlat(x), this.codebook);
      return tf.mean(
        tf.reshape(q.zq, [x.shape[0], GRID * GRID, this.config.codeDim]),
        1,
      ) as tf.Tensor2D;
    });
  }

  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const q = quantize(this.encodeFlat(x), this.codebook);
      const z = tf.reshape(q.zq, [x.shape[0], GRID, GRID, this.config.codeDim]) as tf.Tensor4D;
      return tf.sigmoid(this.decoder.apply(z)) as tf.Tensor2D;
    });
  }

  /** Decodes a grid of uniformly random codes (the prior the VQ-VAE is trained with).  → [count, 784] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { codebookSize: K, codeDim: D } = this.config;
      const idx = tf.cast(
        tf.floor(tf.randomUniform([count * GRID * GRID], 0, K, 'float32', seed)),
        'int32',
      );
      const zq = tf.matMul(oneHotFloat(idx, K) as tf.Tensor2D, this.codebook);
      return tf.sigmoid(
        this.decoder.apply(tf.reshape(zq, [count, GRID, GRID, D]) as tf.Tensor4D),
      ) as tf.Tensor2D;
    });
  }

  /** A 7×7 grid of positions, K codes each. */
  get codeLayout() {
    return {
      positions: GRID * GRID,
      gridHeight: GRID,
      gridWidth: GRID,
      size: this.config.codebookSize,
    };
  }

  /** Decodes given codes: z_q = one_hot(k) · e → decoder → sigmoid.   int32 [B,49] → [B,784] */
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { codebookSize: K, codeDim: D } = this.config;
      const B = indices.shape[0];
      const zq = tf.matMul(oneHotFloat(tf.reshape(indices, [-1]), K) as tf.Tensor2D, this.codebook);
      return this.decodeImages(tf.reshape(zq, [B, GRID, GRID, D]) as tf.Tensor4D);
    });
  }

  /** z_e before quantisation, flattened per image.   x [B,784] → [B, 49·D] */
  encodeContinuous(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.reshape(this.encoder.apply(x), [x.shape[0], -1]) as tf.Tensor2D);
  }

  /** Decodes z [B, 49·D], snapped to the nearest codes first (z_q) when `quantise`.   → [B,784] */
  decodeContinuous(z: tf.Tensor2D, quantise: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const D = this.config.codeDim;
      const flat = tf.reshape(z, [-1, D]) as tf.Tensor2D; //                         [B·49, D]
      const zIn = quantise ? quantize(flat, this.codebook).zq : flat;
      return this.decodeImages(tf.reshape(zIn, [z.shape[0], GRID, GRID, D]) as tf.Tensor4D);
    });
  }

  /** The codebook e (a copy the caller disposes).   → [K, D] */
  codebookVectors(): tf.Tensor2D {
    return tf.clone(this.codebook);
  }

  /** z_e at every position, before quantisation.   x [B,784] → [B·49, D] (row b·49 + i) */
  encoderVectors(x: tf.Tensor2D): tf.Tensor2D {
    return this.encodeFlat(x);
  }

  /** Decoder output as intensities in [0, 1], as reconstruct() maps it.   [B,7,7,D] → [B,784] */
  private decodeImages(z: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.apply(z)) as tf.Tensor2D);
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  /** σ, commitment β, EMA decay γ and the dead-code threshold apply from the next step on. */
  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('vqvae', this.config, c);
  }

  private disposeLastStep(): void {
    if (this.lastStep) tf.dispose([this.lastStep.ze, this.lastStep.oneHot]);
    this.lastStep = null;
  }

  dispose(): void {
    this.disposeLastStep();
    for (const v of [...this.encoder.variables, ...this.decoder.variables, this.codebook])
      v.dispose();
    if (this.ema) disposeEmaState(this.ema);
    this.usageSinceCheck.dispose();
    this.usageSinceTake.dispose();
  }
}
