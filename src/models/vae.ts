/**
 * Variational autoencoder (Kingma & Welling 2014), MLP as below or convolutional (layers/bodies).
 *
 *   encoder  x [B,P] → act(x W₁ + b₁) [B,H] → (μ, log σ²)                          [B,D] each
 *   sample   z = μ + exp(log σ² / 2) · ε,  ε ~ N(0, I)                             [B,D]
 *   decoder  z → act(z W₃ + b₃) [B,H] → ℓ                                            [B,P]
 *
 *   per image, in nats:  recon = −log p(x | z)   (Bernoulli on ℓ, or Gaussian N(sigmoid ℓ, σ²))
 *                        kl    = Σ_d KL(N(μ_d, σ_d²) ‖ N(0, 1))                 (closed form)
 *                        −ELBO = recon + kl
 *   objective:           recon + w(t) · Σ_d max(λ, KL_d)      w(t) = β × warm-up ramp
 * KL_d in the free-bits floor is the batch mean of dimension d (Kingma et al. 2016, "Improved
 * Variational Inference with Inverse Autoregressive Flow", §C.8); λ = 0 turns it off.
 * Reported terms are batch means of per-image sums ("nats per image"); the objective is not
 * the −ELBO when β ≠ 1, warm-up is running, or free bits bind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../ops/register-gradients';
import { gaussianKlPerDimension, reparameterize } from '../ops/gaussian';
import { reconstructionNll } from '../ops/reconstruction';
import type {
  Activation,
  Architecture,
  Likelihood,
  TrainConfig,
  Warmup,
} from '../contracts/config';
import { klWeightFor } from './kl-weight';
import { vaeLoss, vaeTermsPerImage } from './vae-terms';
import { withLiveSettings } from './live-config';
import type { LatentModel, LossContext, LossOutput } from './latent-model';
import { Dense } from './layers/dense';
import { decoderNet, encoderBody, type Net } from './layers/bodies';

export interface VaeConfig {
  /** MLP or convolutional encoder and decoder. */
  arch: Architecture;
  /** Pixels per image (28 × 28). */
  inputDim: number;
  /** Hidden units of the encoder and decoder. */
  hiddenDim: number;
  /** Latent size D; 2 lets the latent space be drawn directly. */
  latentDim: number;
  activation: Activation;
  likelihood: Likelihood;
  /** σ of the Gaussian likelihood (ignored for Bernoulli). */
  sigma: number;
  /** β: final weight of the KL in the objective (Higgins et al. 2017). */
  beta: number;
  warmup: Warmup;
  warmupSteps: number;
  /** Free-bits floor λ per latent dimension, in nats. */
  freeBits: number;
  /** Seed for the weight initialisation. */
  seed: number;
}

export const VAE_DEFAULTS: VaeConfig = {
  arch: 'mlp',
  inputDim: 784,
  hiddenDim: 512,
  latentDim: 2,
  activation: 'relu',
  likelihood: 'bernoulli',
  sigma: 0.1,
  beta: 1,
  warmup: 'none',
  warmupSteps: 5000,
  freeBits: 0,
  seed: 1,
};

export class Vae implements LatentModel {
  config: VaeConfig;
  private readonly body: Net; // x [B,P] → h [B,H] (MLP) or [B,3136] (conv)
  private readonly mu: Dense; // [H, D]
  private readonly logVar: Dense; // [H, D]
  private readonly decoder: Net; // z [B,D] → logits [B,P]

  constructor(config: Partial<VaeConfig> = {}) {
    const c = { ...VAE_DEFAULTS, ...config };
    this.config = c;
    const s = c.seed * 16;
    const { net, width } = encoderBody(c, s + 1, 'vae/enc');
    this.body = net;
    this.mu = new Dense(width, c.latentDim, s + 3, 'vae/enc/mu');
    this.logVar = new Dense(width, c.latentDim, s + 5, 'vae/enc/logVar');
    this.decoder = decoderNet(c, c.latentDim, s + 7, 'vae/dec');
  }

  get variables(): tf.Variable[] {
    return [
      ...this.body.variables,
      ...this.mu.variables,
      ...this.logVar.variables,
      ...this.decoder.variables,
    ];
  }

  /** q(z|x) = N(μ, diag σ²).  x [B,P] → μ, log σ² [B,D] */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const h = this.body.apply(x);
      return { mu: this.mu.apply(h), logVar: this.logVar.apply(h) };
    });
  }

  /** p(x|z): z [B,D] → logits [B,P] */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.apply(z);
  }

  /** The weight w(t) on the KL term: β times the warm-up ramp. */
  klWeight(step: number): number {
    return klWeightFor(this.config, step);
  }

  /** ε ~ N(0, I) from `seed`, or ε = 0 (z = μ) when `deterministic`. */
  private forward(x: tf.Tensor2D, seed: number, deterministic = false) {
    const { mu, logVar } = this.encode(x);
    const logits = this.decode(
      deterministic
        ? mu
        : reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, 'float32', seed)),
    );
    const { likelihood, sigma } = this.config;
    return { mu, logVar, recon: reconstructionNll(logits, x, likelihood, sigma) };
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const { mu, logVar, recon } = this.forward(x, ctx.seed, ctx.deterministic);
      return vaeLoss(mu, logVar, recon, this.klWeight(ctx.step), this.config.freeBits);
    });
  }

  evaluate(x: tf.Tensor2D, ctx: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => {
      const { mu, logVar, recon } = this.forward(x, ctx.seed, ctx.deterministic);
      return vaeTermsPerImage(mu, logVar, recon);
    });
  }

  /**
   * −log p̂_K(x), the importance-weighted bound (Burda et al. 2015) per image, in nats:
   *   log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x),   z_k = μ + σ ε_k
   *           = −recon_k − ½ Σ_d (z_kd² − ε_kd² − log σ_d²)           (the 2π terms cancel)
   *   −log p̂_K(x) = −(logsumexp_k log w_k − log K) ≤ −ELBO(x), tighter as K grows.     [B]
   */
  negIwBound(x: tf.Tensor2D, k: number, seed: number): tf.Tensor1D {
    return tf.tidy(() => {
      const B = x.shape[0];
      const { mu, logVar } = this.encode(x);
      const D = mu.shape[1];
      const tileK = (t: tf.Tensor2D) =>
        tf.reshape(tf.tile(tf.expandDims(t, 0), [k, 1, 1]), [k * B, t.shape[1]]) as tf.Tensor2D;
      const muK = tileK(mu); // [K·B, D], sample k of image b at row k·B + b
      const logVarK = tileK(logVar);
      const eps = tf.randomNormal([k * B, D], 0, 1, 'float32', seed) as tf.Tensor2D;
      const z = reparameterize(muK, logVarK, eps);
      const { likelihood, sigma } = this.config;
      const recon = reconstructionNll(this.decode(z), tileK(x) as tf.Tensor2D, likelihood, sigma); // [K·B]
      const logPriorOverQ = tf.mul(
        tf.sum(tf.sub(tf.sub(tf.square(z), tf.square(eps)), logVarK), 1),
        -0.5,
      );
      const logW = tf.reshape(tf.sub(logPriorOverQ, recon), [k, B]);
      return tf.neg(tf.sub(tf.logSumExp(logW, 0), Math.log(k))) as tf.Tensor1D;
    });
  }

  klPerDimension(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x);
      return tf.mean(gaussianKlPerDimension(mu, logVar), 0) as tf.Tensor1D;
    });
  }

  /** x = sigmoid(decoder(z)), z ~ N(0, I).   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const z = tf.randomNormal(
        [count, this.config.latentDim],
        0,
        1,
        'float32',
        seed,
      ) as tf.Tensor2D;
      return tf.sigmoid(this.decode(z)) as tf.Tensor2D;
    });
  }

  /** Posterior means μ [B,D]. */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.encode(x).mu);
  }

  /** Latent size D (the inspector's continuous latent). */
  get latentDim(): number {
    return this.config.latentDim;
  }

  /**
   * Mean image of p(x|z) at latent points: sigmoid(ℓ) for both likelihoods (the Gaussian's
   * mean is sigmoid(ℓ) too, see tf/gaussian-likelihood).   z [B,D] → [B,P] in [0, 1]
   */
  decodeLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(z)) as tf.Tensor2D);
  }

  /** Decodes the posterior mean: pixel intensities in [0, 1].   x [B,P] → [B,P] */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(this.encode(x).mu)) as tf.Tensor2D);
  }

  scheduleValues(step: number): Record<string, number> {
    return { beta: this.config.beta, klWeight: this.klWeight(step) };
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('vae', this.config, c);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
