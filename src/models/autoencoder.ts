/**
 * Deterministic autoencoder, the baseline before the VAE; MLP as below or convolutional.
 *
 *   encoder  x [B,P] → act(x W₁ + b₁) [B,H] → z = · W₂ + b₂          [B,D]
 *   decoder  z → act(z W₃ + b₃) [B,H] → ℓ = · W₄ + b₄                  [B,P]
 *   loss per image (nats): recon = −log p(x | ẑ), Bernoulli on ℓ or Gaussian with fixed σ.
 * With activation = linear and the Gaussian likelihood this is a linear autoencoder: its mean is
 * the decoder's output itself, x̂ = ℓ (no sigmoid; images shown clipped to [0, 1]), so the loss
 * is C·‖x − x̂‖² + const and the optimum spans the same subspace as PCA with D components
 * (Baldi & Hornik 1989); affineDecoder() gives its columns to compare with PCA's.
 * Sampling: fit a Gaussian to the training codes and decode draws from it (see core/gaussian-fit).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitGaussian, sampleGaussian, type GaussianFit } from '../core/gaussian-fit';
import { mulberry32 } from '../core/rng';
import '../ops/register-gradients';
import { gaussianNllOfMean } from '../ops/gaussian-likelihood';
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

  /** Linear layers and a Gaussian likelihood: the decoder's output is the mean itself. */
  get isLinear(): boolean {
    return this.config.activation === 'linear' && this.config.likelihood === 'gaussian';
  }

  /** The mean image in [0, 1] from decoder outputs ℓ: sigmoid(ℓ), or ℓ clipped when linear. */
  private meanOf(l: tf.Tensor2D): tf.Tensor2D {
    return (this.isLinear ? tf.clipByValue(l, 0, 1) : tf.sigmoid(l)) as tf.Tensor2D;
  }

  private perImageRecon(x: tf.Tensor2D): tf.Tensor1D {
    const { likelihood, sigma } = this.config;
    return tf.tidy(() => {
      const l = this.decode(this.encode(x));
      return this.isLinear
        ? gaussianNllOfMean(l, x, sigma)
        : reconstructionNll(l, x, likelihood, sigma);
    });
  }

  /** Linear AE: x̂ = b + z W with b = dec(0), row j of W = dec(e_j) − dec(0).   W [D, P], b [P] */
  affineDecoder(): { weight: tf.Tensor2D; bias: tf.Tensor1D } | null {
    if (!this.isLinear || this.config.arch !== 'mlp') return null;
    const D = this.config.latentDim;
    return tf.tidy(() => {
      const out = this.decode(tf.concat([tf.zeros([1, D]), tf.eye(D)]) as tf.Tensor2D); // [D+1, P]
      const bias = tf.slice(out, [0, 0], [1, -1]);
      const weight = tf.sub(tf.slice(out, [1, 0], [D, -1]), bias) as tf.Tensor2D;
      return { weight, bias: tf.reshape(bias, [-1]) as tf.Tensor1D };
    });
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
    return tf.tidy(() => this.meanOf(this.decode(this.encode(x))));
  }

  /** Latent size D (the inspector's continuous latent). */
  get latentDim(): number {
    return this.config.latentDim;
  }

  /** Mean image at codes: sigmoid(ℓ), or ℓ clipped when linear.   z [B,D] → [B,P] in [0, 1] */
  decodeLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.meanOf(this.decode(z)));
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
    return tf.tidy(() => this.meanOf(this.decode(tf.tensor2d(z, [count, this.config.latentDim]))));
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
