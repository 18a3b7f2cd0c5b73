/**
 * Deterministic autoencoder, the baseline before the VAE; MLP as below or convolutional.
 *
 *   encoder  x [B,P] → act(x W₁ + b₁) [B,H] → z = · W₂ + b₂          [B,D]
 *   decoder  z → act(z W₃ + b₃) [B,H] → ℓ = · W₄ + b₄                  [B,P]
 *   loss per image (nats): recon = −log p(x | ẑ), Bernoulli on ℓ or Gaussian with fixed σ.
 * With activation = linear and the Gaussian likelihood this is a linear autoencoder, whose
 * optimum spans the same subspace as PCA with D components (Baldi & Hornik 1989).
 * Sampling: fit a Gaussian to the training codes and decode draws from it (see core/gaussian-fit).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitGaussian, sampleGaussian, type GaussianFit } from '../core/gaussian-fit';
import { mulberry32 } from '../core/rng';
import '../ops/register-gradients';
import { reconstructionNll } from '../ops/reconstruction';
import type { Activation, Architecture, Likelihood, TrainConfig } from '../contracts/config';
import type { LatentModel, LossContext, LossOutput } from './latent-model';
import { decoderNet, encoderBody, type Net } from './layers/bodies';
import { Dense } from './layers/dense';
import { withLiveSettings } from './live-config';

export interface AutoencoderConfig {
  arch: Architecture;
  inputDim: number;
  hiddenDim: number;
  latentDim: number;
  activation: Activation;
  likelihood: Likelihood;
  sigma: number;
  seed: number;
}

export const AUTOENCODER_DEFAULTS: AutoencoderConfig = {
  arch: 'mlp',
  inputDim: 784,
  hiddenDim: 512,
  latentDim: 2,
  activation: 'relu',
  likelihood: 'bernoulli',
  sigma: 0.1,
  seed: 1,
};

export class Autoencoder implements LatentModel {
  config: AutoencoderConfig;
  private readonly body: Net;
  private readonly head: Dense;
  private readonly decoder: Net;
  private latentFit: GaussianFit | null = null;

  constructor(config: Partial<AutoencoderConfig> = {}) {
    const c = { ...AUTOENCODER_DEFAULTS, ...config };
    this.config = c;
    const { net, width } = encoderBody(c, c.seed * 16 + 1, 'ae/enc');
    this.body = net;
    this.head = new Dense(width, c.latentDim, c.seed * 16 + 3, 'ae/enc/head');
    this.decoder = decoderNet(c, c.latentDim, c.seed * 16 + 5, 'ae/dec');
  }

  get variables(): tf.Variable[] {
    return [...this.body.variables, ...this.head.variables, ...this.decoder.variables];
  }

  /** x [B,P] → z [B,D] */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.head.apply(this.body.apply(x)));
  }

  /** z [B,D] → logits [B,P] */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.apply(z);
  }

  private perImageRecon(x: tf.Tensor2D): tf.Tensor1D {
    const { likelihood, sigma } = this.config;
    return tf.tidy(() => reconstructionNll(this.decode(this.encode(x)), x, likelihood, sigma));
  }

  loss(x: tf.Tensor2D, _ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const recon = tf.mean(this.perImageRecon(x)) as tf.Scalar;
      return { terms: { recon }, total: recon };
    });
  }

  evaluate(x: tf.Tensor2D, _ctx: LossContext): Record<string, tf.Tensor1D> {
    return { recon: this.perImageRecon(x) };
  }

  embed(x: tf.Tensor2D): tf.Tensor2D {
    return this.encode(x);
  }

  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(this.encode(x))) as tf.Tensor2D);
  }

  /** Latent size D (the inspector's continuous latent). */
  get latentDim(): number {
    return this.config.latentDim;
  }

  /** Mean image at codes: sigmoid(ℓ) for both likelihoods.   z [B,D] → [B,P] in [0, 1] */
  decodeLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(z)) as tf.Tensor2D);
  }

  /** Fits N(μ, Σ) to the codes of x (read back once; D ≤ 64, so the fit is cheap in JS). */
  async fitLatentGaussian(x: tf.Tensor2D): Promise<void> {
    const z = this.encode(x);
    const data = await z.data();
    z.dispose();
    this.latentFit = fitGaussian(data, x.shape[0], this.config.latentDim);
  }

  /** Decodes draws from the fitted Gaussian.   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    if (!this.latentFit) throw new Error('fit a Gaussian to the codes first (fitLatentGaussian)');
    const z = sampleGaussian(this.latentFit, count, mulberry32(seed));
    return tf.tidy(
      () => tf.sigmoid(this.decode(tf.tensor2d(z, [count, this.config.latentDim]))) as tf.Tensor2D,
    );
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('ae', this.config, c);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
