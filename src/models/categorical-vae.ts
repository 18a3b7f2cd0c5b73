/**
 * Categorical VAE of Jang, Gu & Poole 2016 ("Categorical Reparameterization with
 * Gumbel-Softmax", §4.2), the classic Gumbel-softmax benchmark on MNIST:
 *
 *   encoder  x [B,784] → 512 → 256 (ReLU) → ℓ [B, N·K] → [B,N,K]
 *   relax    y = softmax((ℓ + g)/τ)        [B,N,K]      (hard: one-hot forward, soft ∂)
 *   decoder  y [B, N·K] → 256 → 512 (ReLU) → logits [B,784]
 *   per image, in nats: recon = −log p(x|y) (Bernoulli), kl = Σ_n KL(q(c_n|x) ‖ Uniform(K)),
 *   −ELBO = recon + kl; objective recon + w(t)·kl. Paper: N = 20, K = 10, τ = max(0.5, e^{−rt}).
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
import type { CodeAssignment, LatentModel, LossContext, LossOutput } from './latent-model';
import { temperatureAt, type TemperatureOptions } from './gumbel-temperature';
import { Dense } from './layers/dense';
import { withLiveSettings } from './live-config';

export interface CategoricalVaeConfig extends TemperatureOptions {
  inputDim: number;
  /** N categorical variables … */
  categorical: number;
  /** … of K classes. */
  classes: number;
  hard: boolean;
  /** Weight of the KL (no warm-up in the paper). */
  beta: number;
  seed: number;
}

export const CATEGORICAL_VAE_DEFAULTS: CategoricalVaeConfig = {
  inputDim: 784,
  categorical: 20,
  classes: 10,
  hard: false,
  beta: 1,
  tauSchedule: 'exp',
  tauEnd: 0.5,
  tauSteps: 10_000,
  tauRate: 1e-5,
  seed: 1,
};

export class CategoricalVae implements LatentModel {
  config: CategoricalVaeConfig;
  private readonly layers: Dense[];

  constructor(config: Partial<CategoricalVaeConfig> = {}) {
    const c = { ...CATEGORICAL_VAE_DEFAULTS, ...config };
    this.config = c;
    const s = c.seed * 16;
    const NK = c.categorical * c.classes;
    const sizes = [c.inputDim, 512, 256, NK, 256, 512, c.inputDim];
    this.layers = sizes
      .slice(1)
      .map((out, i) => new Dense(sizes[i]!, out, s + 2 * i, `catvae/l${i}`));
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.variables);
  }

  /** Layers a..b−1 with ReLU between them (none after the last). */
  private run(h: tf.Tensor2D, a: number, b: number): tf.Tensor2D {
    return tf.tidy(() => {
      let out = h;
      for (let i = a; i < b; i++) {
        out = this.layers[i]!.apply(out);
        if (i < b - 1) out = tf.relu(out);
      }
      return out;
    });
  }

  private logits(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(
      () =>
        tf.reshape(this.run(x, 0, 3), [
          x.shape[0],
          this.config.categorical,
          this.config.classes,
        ]) as tf.Tensor3D,
    );
  }

  private decodeAssignments(y: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => this.run(tf.reshape(y, [y.shape[0], -1]) as tf.Tensor2D, 3, 6));
  }

  /** y = softmax((ℓ + g)/τ), g ~ Gumbel from ctx.seed (straight-through one-hot when hard).  [B,N,K] */
  private relaxed(logits: tf.Tensor3D, ctx: LossContext): tf.Tensor3D {
    const g = sampleGumbel<tf.Rank.R3>(logits.shape, ctx.seed);
    const tau = temperatureAt(this.config, ctx.step);
    return this.config.hard ? gumbelSoftmaxHard(logits, tau, g) : gumbelSoftmax(logits, tau, g);
  }

  private forward(x: tf.Tensor2D, ctx: LossContext) {
    const logits = this.logits(x);
    const y = ctx.deterministic ? mostLikelyCodes(logits) : this.relaxed(logits, ctx);
    return {
      recon: bernoulliNllFromLogits(this.decodeAssignments(y), x),
      kl: categoricalKlToUniform(logits),
    };
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const f = this.forward(x, ctx);
      const recon = tf.mean(f.recon) as tf.Scalar;
      const kl = tf.mean(f.kl) as tf.Scalar;
      return {
        terms: { negElbo: tf.add(recon, kl) as tf.Scalar, recon, kl },
        total: tf.add(recon, tf.mul(kl, this.config.beta)) as tf.Scalar,
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
      size: this.config.classes,
    };
  }

  /** N categorical variables of K classes, drawn as one row of N positions. */
  get codeLayout() {
    const { categorical: N, classes: K } = this.config;
    return { positions: N, gridHeight: 1, gridWidth: N, size: K };
  }

  /** Decodes given classes: one_hot(c) → decoder → sigmoid.   int32 [B,N] → [B,784] */
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const y = oneHotFloat(indices, this.config.classes) as tf.Tensor3D; // [B,N,K]
      return tf.sigmoid(this.decodeAssignments(y)) as tf.Tensor2D;
    });
  }

  /** Decodes code distributions y (rows on the simplex): y → decoder → sigmoid.   [B,N,K] → [B,784] */
  decodeSoft(y: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decodeAssignments(y)) as tf.Tensor2D);
  }

  /** log q(c | x): the encoder logits, log-softmax normalised.   x [B,784] → [B,N,K] */
  codeLogits(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.logSoftmax(this.logits(x), -1) as tf.Tensor3D);
  }

  /** For the scatter: the flattened class probabilities q(c|x) [B, N·K] (shown via PCA). */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.reshape(tf.softmax(this.logits(x)), [x.shape[0], -1]) as tf.Tensor2D);
  }

  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const hard = oneHotFloat(tf.argMax(this.logits(x), 2), this.config.classes) as tf.Tensor3D;
      return tf.sigmoid(this.decodeAssignments(hard)) as tf.Tensor2D;
    });
  }

  /** Decodes uniformly random one-hot codes (the uniform prior).   → [count, 784] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const K = this.config.classes;
      const idx = tf.cast(
        tf.floor(tf.randomUniform([count, this.config.categorical], 0, K, 'float32', seed)),
        'int32',
      );
      return tf.sigmoid(this.decodeAssignments(oneHotFloat(idx, K) as tf.Tensor3D)) as tf.Tensor2D;
    });
  }

  scheduleValues(step: number): Record<string, number> {
    return { beta: this.config.beta, tau: temperatureAt(this.config, step) };
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('catvae', this.config, c);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
