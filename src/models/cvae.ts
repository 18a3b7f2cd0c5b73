/**
 * Conditional variational autoencoder (Sohn, Lee & Yan 2015, "Learning Structured Output
 * Representation using Deep Conditional Generative Models"): the VAE of vae.ts with the label
 * y ∈ {0 … K−1}, as a one-hot e_y [B,K], given to the encoder and to the decoder.
 *
 *   MLP  encoder [x, e_y] [B,P+K] → act(· W₁ + b₁) [B,H] → (μ, log σ²)             [B,D] each
 *   conv encoder x → conv features [B,3136] (layers/conv-image-nets), then [·, e_y] [B,3136+K]
 *        → (μ, log σ²): the one-hot joins after flattening (the convolutions see pixels only)
 *   sample   z = μ + exp(log σ² / 2) · ε,  ε ~ N(0, I)                                [B,D]
 *   decoder  [z, e_y] [B,D+K] → the VAE's decoder (MLP or conv) → ℓ                   [B,P]
 *
 *   per image, in nats:  recon = −log p(x | z, y)
 *                        kl    = Σ_d KL(N(μ_d, σ_d²) ‖ N(0, 1))   (prior p(z | y) = N(0, I))
 *                        −ELBO = recon + kl ≥ −log p(x | y)
 *   objective:           recon + w(t) · Σ_d max(λ, KL_d), as the VAE (β, warm-up, free bits)
 * Every term is conditional on the label: −ELBO bounds −log p(x | y), not −log p(x). Since the
 * decoder is told the class, z only has to carry what the label does not: the style.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../ops/register-gradients';
import { gaussianKlPerDimension, reparameterize } from '../ops/gaussian';
import { oneHotFloat } from '../ops/one-hot';
import { reconstructionNll } from '../ops/reconstruction';
import type { TrainConfig } from '../contracts/config';
import { klWeightFor } from './kl-weight';
import { vaeLoss, vaeTermsPerImage } from './vae-terms';
import { withLiveSettings } from './live-config';
import type { LatentModel, LossContext, LossOutput } from './latent-model';
import { Dense } from './layers/dense';
import { decoderNet, encoderBody, type Net } from './layers/bodies';
import { VAE_DEFAULTS, type VaeConfig } from './vae';

export interface CvaeConfig extends VaeConfig {
  /** K: label classes (the one-hot's length), from the dataset. */
  labelClasses: number;
}

export const CVAE_DEFAULTS: CvaeConfig = { ...VAE_DEFAULTS, labelClasses: 10 };

/** [a, b] along the features.   [B,m], [B,n] → [B,m+n] */
const join = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.concat([a, b], 1);

/** The labels, or a clear error where a caller has none to give. */
function given(labels: tf.Tensor1D | undefined): tf.Tensor1D {
  if (!labels) throw new Error('the conditional VAE needs the label of every image');
  return labels;
}

export class Cvae implements LatentModel {
  config: CvaeConfig;
  private readonly body: Net; // MLP [x, e_y] [B,P+K] → [B,H];  conv x [B,P] → [B,3136]
  private readonly mu: Dense; // [H(+K), D]
  private readonly logVar: Dense; // [H(+K), D]
  private readonly decoder: Net; // [z, e_y] [B,D+K] → logits [B,P]

  constructor(config: Partial<CvaeConfig> = {}) {
    const c = { ...CVAE_DEFAULTS, ...config };
    if (!(Number.isInteger(c.labelClasses) && c.labelClasses >= 2))
      throw new Error(`the conditional VAE needs at least 2 label classes (got ${c.labelClasses})`);
    this.config = c;
    const K = c.labelClasses;
    const s = c.seed * 16;
    const conv = c.arch === 'conv';
    const { net, width } = encoderBody(
      conv ? c : { ...c, inputDim: c.inputDim + K },
      s + 1,
      'cvae/enc',
    );
    this.body = net;
    const head = conv ? width + K : width;
    this.mu = new Dense(head, c.latentDim, s + 3, 'cvae/enc/mu');
    this.logVar = new Dense(head, c.latentDim, s + 5, 'cvae/enc/logVar');
    this.decoder = decoderNet(c, c.latentDim + K, s + 7, 'cvae/dec');
  }

  get variables(): tf.Variable[] {
    return [
      ...this.body.variables,
      ...this.mu.variables,
      ...this.logVar.variables,
      ...this.decoder.variables,
    ];
  }

  /** K label classes of the one-hot. */
  get labelClasses(): number {
    return this.config.labelClasses;
  }

  /** e_y: labels int32 [B] → one-hot float32 [B,K], checked against x's batch. */
  oneHot(labels: tf.Tensor1D, batch: number): tf.Tensor2D {
    if (labels.shape[0] !== batch) throw new Error(`${labels.shape[0]} labels for ${batch} images`);
    return oneHotFloat(labels, this.config.labelClasses) as tf.Tensor2D;
  }

  /** q(z|x,y) = N(μ, diag σ²).  x [B,P], labels [B] → μ, log σ² [B,D] */
  encode(x: tf.Tensor2D, labels: tf.Tensor1D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const y = this.oneHot(labels, x.shape[0]);
      const h =
        this.config.arch === 'conv' ? join(this.body.apply(x), y) : this.body.apply(join(x, y));
      return { mu: this.mu.apply(h), logVar: this.logVar.apply(h) };
    });
  }

  /** p(x|z,y): z [B,D], labels [B] → logits [B,P] */
  decode(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => this.decoder.apply(join(z, this.oneHot(labels, z.shape[0]))));
  }

  klWeight(step: number): number {
    return klWeightFor(this.config, step);
  }

  /** ε ~ N(0, I) from `seed`, or ε = 0 (z = μ) when `deterministic`. */
  private forward(
    x: tf.Tensor2D,
    labels: tf.Tensor1D | undefined,
    seed: number,
    deterministic = false,
  ) {
    const y = given(labels);
    const { mu, logVar } = this.encode(x, y);
    const logits = this.decode(
      deterministic
        ? mu
        : reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, 'float32', seed)),
      y,
    );
    const { likelihood, sigma } = this.config;
    return { mu, logVar, recon: reconstructionNll(logits, x, likelihood, sigma) };
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const { mu, logVar, recon } = this.forward(x, ctx.labels, ctx.seed, ctx.deterministic);
      return vaeLoss(mu, logVar, recon, this.klWeight(ctx.step), this.config.freeBits);
    });
  }

  evaluate(x: tf.Tensor2D, ctx: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => {
      const { mu, logVar, recon } = this.forward(x, ctx.labels, ctx.seed, ctx.deterministic);
      return vaeTermsPerImage(mu, logVar, recon);
    });
  }

  klPerDimension(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x, given(labels));
      return tf.mean(gaussianKlPerDimension(mu, logVar), 0) as tf.Tensor1D;
    });
  }

  /** x = sigmoid(decoder([z, e_y])), z ~ N(0, I).   labels int32 [B] → [B,P] */
  sampleGiven(labels: tf.Tensor1D, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const shape: [number, number] = [labels.shape[0], this.config.latentDim];
      const z = tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor2D;
      return tf.sigmoid(this.decode(z, labels)) as tf.Tensor2D;
    });
  }

  /** Samples of every class in turn: image i has label i mod K.   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const K = this.config.labelClasses;
      const labels = tf.tensor1d(
        Int32Array.from({ length: count }, (_, i) => i % K),
        'int32',
      );
      return this.sampleGiven(labels, seed);
    });
  }

  /** Posterior means μ of q(z|x,y).   x [B,P], labels [B] → [B,D] */
  embed(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => this.encode(x, given(labels)).mu);
  }

  /** Mean image of p(x|z,y).   z [B,D], labels [B] → [B,P] in [0, 1] */
  decodeLatentGiven(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(z, labels)) as tf.Tensor2D);
  }

  /** Decodes the posterior mean with the image's own label.   x [B,P], labels [B] → [B,P] */
  reconstruct(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const y = given(labels);
      return this.decodeLatentGiven(this.encode(x, y).mu, y);
    });
  }

  scheduleValues(step: number): Record<string, number> {
    return { beta: this.config.beta, klWeight: this.klWeight(step) };
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('cvae', this.config, c);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
