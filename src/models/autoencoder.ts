/**
 * Deterministic autoencoder (MLP), the baseline before the VAE.
 *
 *   encoder  x [B,P] → act(x W₁ + b₁) [B,H] → z = · W₂ + b₂          [B,D]
 *   decoder  z → act(z W₃ + b₃) [B,H] → ℓ = · W₄ + b₄                  [B,P]
 *   loss per image (nats): recon = −log p(x | ẑ), Bernoulli on ℓ or Gaussian with fixed σ.
 * With activation = linear and the Gaussian likelihood this is a linear autoencoder, whose
 * optimum spans the same subspace as PCA with D components (Baldi & Hornik 1989).
 * Sampling: fit a Gaussian to the training codes and decode draws from it (see core/gaussian-fit).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/register-gradients';
import { reconstructionNll } from '../tf/reconstruction';
import type { Activation, Likelihood } from '../train/config';
import type { LatentModel, LossContext, LossOutput } from './latent-model';
import { Mlp } from './layers/mlp';

export interface AutoencoderConfig {
  inputDim: number;
  hiddenDim: number;
  latentDim: number;
  activation: Activation;
  likelihood: Likelihood;
  sigma: number;
  seed: number;
}

export const AUTOENCODER_DEFAULTS: AutoencoderConfig = {
  inputDim: 784,
  hiddenDim: 512,
  latentDim: 2,
  activation: 'relu',
  likelihood: 'bernoulli',
  sigma: 0.1,
  seed: 1,
};

export class Autoencoder implements LatentModel {
  readonly config: AutoencoderConfig;
  private readonly encoder: Mlp;
  private readonly decoder: Mlp;

  constructor(config: Partial<AutoencoderConfig> = {}) {
    const c = { ...AUTOENCODER_DEFAULTS, ...config };
    this.config = c;
    this.encoder = new Mlp(
      c.inputDim,
      c.hiddenDim,
      c.latentDim,
      c.activation,
      c.seed * 16 + 1,
      'ae/enc',
    );
    this.decoder = new Mlp(
      c.latentDim,
      c.hiddenDim,
      c.inputDim,
      c.activation,
      c.seed * 16 + 5,
      'ae/dec',
    );
  }

  get variables(): tf.Variable[] {
    return [...this.encoder.variables, ...this.decoder.variables];
  }

  /** x [B,P] → z [B,D] */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return this.encoder.apply(x);
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

  scheduleValues(): Record<string, number> {
    return {};
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
