/**
 * The Gaussian-latent VAE's loss terms from the encoder's (μ, log σ²) and the reconstruction
 * term, shared by the VAE and the conditional VAE (which differ only in what their networks read):
 *   per image   kl = Σ_d KL(N(μ_d, σ_d²) ‖ N(0, 1)),   −ELBO = recon + kl             [B]
 *   objective   mean recon + w · Σ_d max(λ, KL_d), KL_d the batch mean of dimension d
 */
import * as tf from '@tensorflow/tfjs-core';
import { gaussianKl, gaussianKlPerDimension } from '../ops/gaussian';

/** The model's LossOutput, as a type alias so tf.tidy may return it. */
type VaeLoss = { terms: Record<string, tf.Scalar>; total: tf.Scalar };

/** Batch means: { negElbo, recon, kl } and the objective with KL weight w and free bits λ. */
export function vaeLoss(
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
  reconPerImage: tf.Tensor1D,
  klWeight: number,
  freeBits: number,
): VaeLoss {
  return tf.tidy(() => {
    const recon = tf.mean(reconPerImage) as tf.Scalar;
    const klPerDim = tf.mean(gaussianKlPerDimension(mu, logVar), 0); // [D] batch means
    const kl = tf.sum(klPerDim) as tf.Scalar;
    const klObjective = freeBits > 0 ? tf.sum(tf.maximum(klPerDim, freeBits)) : kl;
    return {
      terms: { negElbo: tf.add(recon, kl) as tf.Scalar, recon, kl },
      total: tf.add(recon, tf.mul(klObjective, klWeight)) as tf.Scalar,
    };
  });
}

/** Per-image { negElbo, recon, kl }.   [B] each */
export function vaeTermsPerImage(
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
  recon: tf.Tensor1D,
): Record<string, tf.Tensor1D> {
  return tf.tidy(() => {
    const kl = gaussianKl(mu, logVar);
    return { negElbo: tf.add(recon, kl) as tf.Tensor1D, recon: recon.clone(), kl };
  });
}
