/**
 * Bernoulli likelihood for pixels in [0, 1], parameterised by logits ℓ (the decoder output).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * −log p(x | ℓ) summed over pixels, one value per image, in nats:
 *   Σ_p [ softplus(ℓ_p) − x_p ℓ_p ] = Σ_p [ max(ℓ_p, 0) − x_p ℓ_p + log(1 + e^{−|ℓ_p|}) ]   [B]
 * The second form is the numerically stable one (no overflow for large |ℓ|). For grey x it is
 * the binary cross-entropy, as in the PyTorch VAE example (BCE with reduction="sum").
 */
export function bernoulliNllFromLogits(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel = tf.add(
      tf.sub(tf.relu(logits), tf.mul(x, logits)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return tf.sum(perPixel, 1);
  });
}
