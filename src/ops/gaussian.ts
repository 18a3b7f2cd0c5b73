/**
 * Diagonal-Gaussian pieces of the VAE: the reparameterisation trick and the closed-form KL
 * to the standard-normal prior. Shapes: B = batch, D = latent size.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * z = μ + exp(log σ² / 2) · ε,  ε ~ N(0, I)                                   [B, D]
 * Gradients flow to μ and log σ² through this deterministic map (Kingma & Welling 2014, §2.4).
 */
export function reparameterize(
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
  eps: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)));
}

/**
 * KL( N(μ, σ²) ‖ N(0, 1) ) for each dimension, in nats:
 *   ½ (μ² + σ² − 1 − log σ²)                                                 [B, D]
 */
export function gaussianKlPerDimension(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() =>
    tf.mul(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 0.5),
  );
}

/** KL summed over latent dimensions: one value per image, in nats.                [B] */
export function gaussianKl(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(gaussianKlPerDimension(mu, logVar), 1));
}
