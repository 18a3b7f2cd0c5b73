/**
 * Discrete VAE with the Gumbel-softmax relaxation, as in DALL·E's first stage (Ramesh et al.
 * 2021, "Zero-Shot Text-to-Image Generation", §2.1 and appendix A), small and convolutional.
 *
 *   encoder  x [B,784] → ℓ [B,7,7,K]             logits of q(c | x) at each of the 49 positions
 *   relax    y = softmax((ℓ + g)/τ),  g ~ Gumbel  [B,7,7,K]     (hard: one-hot forward, soft ∂)
 *   embed    z = Σ_k y_k e_k = y · E              [B,7,7,D]      E [K,D] learned
 *   decoder  z → logits [B,784]
 *
 *   per image, in nats:  recon = −log p(x | z)                        (Bernoulli)
 *                        kl    = Σ_positions KL(q(c | x) ‖ Uniform(K))
 *                        −ELBO = recon + kl
 *   objective: recon + w(t)·kl, w(t) = β × warm-up ramp (DALL·E ramps its KL weight too).
 * τ(t) follows the configured schedule (Jang et al.'s exp decay or DALL·E's cosine anneal).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../ops/register-gradients';
import { bernoulliNllFromLogits } from '../ops/bernoulli';
import { oneHotFloat } from '../ops/one-hot';
import {
  categoricalKlToUniform,
  gumbelSoftmax,
  mostLikelyCodes,
  gumbelSoftmaxHard,
  sampleGumbel,
} from '../ops/gumbel';
import type { TrainConfig } from '../contracts/config';
import { klWeightFor } from './kl-weight';
import { withLiveSettings } from './live-config';
import type { CodeAssignment, LatentModel, LossContext, LossOutput } from './latent-model';
import { temperatureAt, type TemperatureOptions } from './gumbel-temperature';
import { ConvDecoder, ConvEncoder, GRID } from './layers/conv-nets';

export interface DvaeConfig extends TemperatureOptions {
  /** K: categories per position. */
  codebookSize: number;
  /** D: size of each code embedding. */
  codeDim: number;
  hidden: number;
  /** Straight-through: exactly one-hot samples forward, soft gradients backward. */
  hard: boolean;
  beta: number;
  warmup: TrainConfig['warmup'];
  warmupSteps: number;
  seed: number;
}

export const DVAE_DEFAULTS: DvaeConfig = {
  codebookSize: 64,
  codeDim: 16,
  hidden: 32,
  hard: false,
  beta: 1,
  warmup: 'none',
  warmupSteps: 5000,
  tauSchedule: 'cosine',
  tauEnd: 1 / 16,
  tauSteps: 10_000,
  tauRate: 1e-4,
  seed: 1,
};

let dvaeCount = 0;

export class Dvae implements LatentModel {
  config: DvaeConfig;
  private readonly encoder: ConvEncoder;
  private readonly decoder: ConvDecoder;
  private readonly embedding: tf.Variable; // E [K, D]

  constructor(config: Partial<DvaeConfig> = {}) {
    const c = { ...DVAE_DEFAULTS, ...config };
    this.config = c;
    const s = c.seed * 16;
    const id = `dvae${dvaeCount++}`;
    this.encoder = new ConvEncoder(c.hidden, c.codebookSize, s + 1, `${id}/enc`);
    this.decoder = new ConvDecoder(c.codeDim, c.hidden, s + 7, `${id}/dec`);
    this.embedding = tf.tidy(() =>
      tf.variable(
        tf.randomNormal([c.codebookSize, c.codeDim], 0, 1, 'float32', s + 13),
        true,
        `${id}/E`,
      ),
    );
  }

  get variables(): tf.Variable[] {
    return [...this.encoder.variables, ...this.decoder.variables, this.embedding];
  }

  /** ℓ as [B, 49, K] */
  private logits(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(
      () =>
        tf.reshape(this.encoder.apply(x), [
          x.shape[0],
          GRID * GRID,
          this.config.codebookSize,
        ]) as tf.Tensor3D,
    );
  }

  /** y [B,49,K] → z [B,7,7,D] → decoder logits [B,784] */
  private decodeAssignments(y: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const B = y.shape[0];
      const { codebookSize: K, codeDim: D } = this.config;
      const z = tf.matMul(tf.reshape(y, [B * GRID * GRID, K]), this.embedding as tf.Tensor2D);
      return this.decoder.apply(tf.reshape(z, [B, GRID, GRID, D]) as tf.Tensor4D);
    });
  }

  temperature(step: number): number {
    return temperatureAt(this.config, step);
  }

  klWeight(step: number): number {
    return klWeightFor(this.config, step);
  }

  /** y = softmax((ℓ + g)/τ), g ~ Gumbel from ctx.seed (straight-through one-hot when hard).  [B,N,K] */
  private relaxed(logits: tf.Tensor3D, ctx: LossContext): tf.Tensor3D {
    const g = sampleGumbel<tf.Rank.R3>(logits.shape, ctx.seed);
    const tau = this.temperature(ctx.step);
    return this.config.hard ? gumbelSoftmaxHard(logits, tau, g) : gumbelSoftmax(logits, tau, g);
  }

  private forward(x: tf.Tensor2D, ctx: LossContext) {
    const logits = this.logits(x);
    const y = ctx.deterministic ? mostLikelyCodes(logits) : this.relaxed(logits, ctx);
    const recon = bernoulliNllFromLogits(this.decodeAssignments(y), x); // [B]
    return { recon, kl: categoricalKlToUniform(logits) }; // [B] each
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const f = this.forward(x, ctx);
      const recon = tf.mean(f.recon) as tf.Scalar;
      const kl = tf.mean(f.kl) as tf.Scalar;
      return {
        terms: { negElbo: tf.add(recon, kl) as tf.Scalar, recon, kl },
        total: tf.add(recon, tf.mul(kl, this.klWeight(ctx.step))) as tf.Scalar,
      };
    });
  }

  evaluate(x: tf.Tensor2D, ctx: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => {
      const f = this.forward(x, ctx);
      return { negElbo: tf.add(f.recon, f.kl) as tf.Tensor1D, recon: f.recon, kl: f.kl };
    });
  }

  codes(x: tf.Tensor2D): CodeAssignment {
    return {
      indices: tf.tidy(() => tf.argMax(this.logits(x), 2) as tf.Tensor2D),
      size: this.config.codebookSize,
    };
  }

  /** A 7×7 grid of positions, K categories each. */
  get codeLayout() {
    return {
      positions: GRID * GRID,
      gridHeight: GRID,
      gridWidth: GRID,
      size: this.config.codebookSize,
    };
  }

  /** Decodes given codes: one_hot(c) · E → decoder → sigmoid.   int32 [B,49] → [B,784] */
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const y = oneHotFloat(indices, this.config.codebookSize) as tf.Tensor3D; // [B,49,K]
      return tf.sigmoid(this.decodeAssignments(y)) as tf.Tensor2D;
    });
  }

  /** Decodes code distributions y (rows on the simplex): y · E → decoder → sigmoid.   [B,49,K] → [B,784] */
  decodeSoft(y: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decodeAssignments(y)) as tf.Tensor2D);
  }

  /** log q(c | x): the encoder logits, log-softmax normalised.   x [B,784] → [B,49,K] */
  codeLogits(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.logSoftmax(this.logits(x), -1) as tf.Tensor3D);
  }

  /** The embedding E (a copy the caller disposes).   → [K, D] */
  codebookVectors(): tf.Tensor2D {
    return tf.clone(this.embedding) as tf.Tensor2D;
  }

  /**
   * The expected embedding at every position, z̄ = Σ_k q(k|x) e_k = softmax(ℓ) · E: the mean of
   * the hard sample one_hot(c) · E, c ~ q (τ → 0), with no Gumbel noise, so it is deterministic.
   *   x [B,784] → [B·49, D] (row b·49 + i)
   */
  encoderVectors(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const q = tf.softmax(tf.reshape(this.logits(x), [-1, this.config.codebookSize])); // [B·49, K]
      return tf.matMul(q as tf.Tensor2D, this.embedding as tf.Tensor2D);
    });
  }

  /** For the scatter: each image's mean embedding of its most likely codes.   [B, D] */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const hard = oneHotFloat(
        tf.argMax(this.logits(x), 2),
        this.config.codebookSize,
      ) as tf.Tensor3D;
      const B = x.shape[0];
      const z = tf.matMul(tf.reshape(hard, [B * GRID * GRID, -1]), this.embedding as tf.Tensor2D);
      return tf.mean(tf.reshape(z, [B, GRID * GRID, this.config.codeDim]), 1) as tf.Tensor2D;
    });
  }

  /** Decodes the most likely code at each position (no noise).   [B,784] → [B,784] */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const hard = tf.cast(
        oneHotFloat(tf.argMax(this.logits(x), 2), this.config.codebookSize),
        'float32',
      ) as tf.Tensor3D;
      return tf.sigmoid(this.decodeAssignments(hard)) as tf.Tensor2D;
    });
  }

  /** Decodes uniformly random one-hot codes (the uniform prior).   → [count, 784] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const K = this.config.codebookSize;
      const idx = tf.cast(
        tf.floor(tf.randomUniform([count, GRID * GRID], 0, K, 'float32', seed)),
        'int32',
      );
      return tf.sigmoid(this.decodeAssignments(oneHotFloat(idx, K) as tf.Tensor3D)) as tf.Tensor2D;
    });
  }

  scheduleValues(step: number): Record<string, number> {
    return { beta: this.config.beta, klWeight: this.klWeight(step), tau: this.temperature(step) };
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('dvae', this.config, c);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
