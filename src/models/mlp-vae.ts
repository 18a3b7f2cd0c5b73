/**
 * MLP variational autoencoder (Kingma & Welling 2014) for 28×28 images.
 *
 *   encoder  x [B,784] → h = ReLU(x W₁ + b₁) [B,H] → μ = h W_μ + b_μ,  log σ² = h W_σ + b_σ   [B,D]
 *   sample   z = μ + exp(log σ² / 2) · ε                                                         [B,D]
 *   decoder  z → ReLU(z W₃ + b₃) [B,H] → ℓ = · W₄ + b₄  (Bernoulli logits)                       [B,784]
 *
 *   loss per image (nats):  recon = −log p(x|z) = BCE summed over pixels
 *                           kl    = KL(q(z|x) ‖ N(0, I))        (closed form)
 *                           −ELBO = recon + kl;   total (what is minimised) = recon + β · kl
 * All terms are means over the batch of per-image sums, so they read as "nats per image".
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/register-gradients';
import { bernoulliNllFromLogits } from '../tf/bernoulli';
import { gaussianKl, reparameterize } from '../tf/gaussian';

export interface MlpVaeConfig {
  /** Pixels per image (28 × 28). */
  inputDim: number;
  /** Hidden units in the encoder and decoder layers. */
  hiddenDim: number;
  /** Latent size D; 2 lets the latent space be drawn directly. */
  latentDim: number;
  /** Seed for the weight initialisation. */
  seed: number;
}

export const MLP_VAE_DEFAULTS: MlpVaeConfig = {
  inputDim: 784,
  hiddenDim: 512,
  latentDim: 2,
  seed: 1,
};

/** Named loss terms, each a scalar in nats per image (batch mean of per-image sums). */
export interface VaeLossTerms {
  recon: tf.Scalar;
  kl: tf.Scalar;
  /** recon + kl: the negative evidence lower bound. */
  negElbo: tf.Scalar;
  /** recon + β·kl: the objective that is minimised. */
  total: tf.Scalar;
}

/** Per-image evaluation results. */
export interface VaeEvaluation {
  recon: tf.Tensor1D; // [B]
  kl: tf.Tensor1D; // [B]
  mu: tf.Tensor2D; // [B, D]
}

/** Glorot-uniform weights [fanIn, fanOut], seeded. */
function glorot(fanIn: number, fanOut: number, seed: number, name: string): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  // tidy frees the initial value; the variable (never tidied) keeps its own reference.
  return tf.tidy(() =>
    tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', seed), true, name),
  );
}

/** PyTorch's nn.Linear bias init: U(−1/√fanIn, 1/√fanIn), seeded. */
function bias(fanIn: number, size: number, seed: number, name: string): tf.Variable {
  const limit = 1 / Math.sqrt(fanIn);
  return tf.tidy(() =>
    tf.variable(tf.randomUniform([size], -limit, limit, 'float32', seed), true, name),
  );
}

let instanceCount = 0;

export class MlpVae {
  readonly config: MlpVaeConfig;
  private readonly w1: tf.Variable; // [784, H]
  private readonly b1: tf.Variable; // [H]
  private readonly wMu: tf.Variable; // [H, D]
  private readonly bMu: tf.Variable; // [D]
  private readonly wLogVar: tf.Variable; // [H, D]
  private readonly bLogVar: tf.Variable; // [D]
  private readonly w3: tf.Variable; // [D, H]
  private readonly b3: tf.Variable; // [H]
  private readonly w4: tf.Variable; // [H, 784]
  private readonly b4: tf.Variable; // [784]

  constructor(config: Partial<MlpVaeConfig> = {}) {
    const c = { ...MLP_VAE_DEFAULTS, ...config };
    this.config = c;
    const { inputDim: P, hiddenDim: H, latentDim: D, seed: s } = c;
    // Variable names must be unique in the engine; a counter keeps several models apart.
    const id = `vae${instanceCount++}`;
    this.w1 = glorot(P, H, s * 16 + 1, `${id}/enc/w1`);
    this.b1 = bias(P, H, s * 16 + 2, `${id}/enc/b1`);
    this.wMu = glorot(H, D, s * 16 + 3, `${id}/enc/wMu`);
    this.bMu = bias(H, D, s * 16 + 4, `${id}/enc/bMu`);
    this.wLogVar = glorot(H, D, s * 16 + 5, `${id}/enc/wLogVar`);
    this.bLogVar = bias(H, D, s * 16 + 6, `${id}/enc/bLogVar`);
    this.w3 = glorot(D, H, s * 16 + 7, `${id}/dec/w3`);
    this.b3 = bias(D, H, s * 16 + 8, `${id}/dec/b3`);
    this.w4 = glorot(H, P, s * 16 + 9, `${id}/dec/w4`);
    this.b4 = bias(H, P, s * 16 + 10, `${id}/dec/b4`);
  }

  get variables(): tf.Variable[] {
    return [
      this.w1,
      this.b1,
      this.wMu,
      this.bMu,
      this.wLogVar,
      this.bLogVar,
      this.w3,
      this.b3,
      this.w4,
      this.b4,
    ];
  }

  /** q(z|x) = N(μ, diag σ²).  x [B,784] → μ, log σ² [B,D] */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, this.w1), this.b1)) as tf.Tensor2D;
      const mu = tf.add(tf.matMul(h, this.wMu), this.bMu) as tf.Tensor2D;
      const logVar = tf.add(tf.matMul(h, this.wLogVar), this.bLogVar) as tf.Tensor2D;
      return { mu, logVar };
    });
  }

  /** p(x|z): z [B,D] → Bernoulli logits [B,784] */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(z, this.w3), this.b3)) as tf.Tensor2D;
      return tf.add(tf.matMul(h, this.w4), this.b4) as tf.Tensor2D;
    });
  }

  /**
   * Named loss terms for a batch. `eps` [B,D] is the reparameterisation noise (pass it for
   * reproducible or finite-difference checks); `beta` weights the KL in `total` only.
   */
  lossTerms(x: tf.Tensor2D, eps: tf.Tensor2D, beta = 1): VaeLossTerms {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x);
      const z = reparameterize(mu, logVar, eps);
      const logits = this.decode(z);
      const recon = tf.mean(bernoulliNllFromLogits(logits, x)) as tf.Scalar;
      const kl = tf.mean(gaussianKl(mu, logVar)) as tf.Scalar;
      return {
        recon,
        kl,
        negElbo: tf.add(recon, kl) as tf.Scalar,
        total: tf.add(recon, tf.mul(kl, beta)) as tf.Scalar,
      };
    });
  }

  /** Per-image loss terms and posterior means (one-sample estimate with the given ε). */
  evaluate(x: tf.Tensor2D, eps: tf.Tensor2D): VaeEvaluation {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x);
      const logits = this.decode(reparameterize(mu, logVar, eps));
      return { recon: bernoulliNllFromLogits(logits, x), kl: gaussianKl(mu, logVar), mu };
    });
  }

  /** Decodes the posterior mean: pixel probabilities in [0, 1].   x [B,784] → [B,784] */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(this.encode(x).mu)) as tf.Tensor2D);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
