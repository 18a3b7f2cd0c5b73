/**
 * Bernoulli likelihood for pixels in [0, 1], parameterised by logits ℓ (the decoder output).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * −log p(x | ℓ) summed over pixels, one value per image, in nats:
 *   Σ_p [ softplus(ℓ_p) − x_p ℓ_p ] = Σ_p [ max(ℓ_p, 0) − x_p ℓ_p + log(1 + e^{−|ℓ_p|}) ]   [B]
 * The second form is the numerically stable one (no overflow for large |ℓ|). For grey x it is
 * the binary cross-entropy, as in the PyTorch VAE example (BCE with reduction="sum").
 *
 * Its gradient is given in closed form, ∂/∂ℓ_p = σ(ℓ_p) − x_p and ∂/∂x_p = −ℓ_p (each times the
 * image's upstream gradient), rather than taped through relu, abs, exp and log1p: two
 * element-wise kernels over [B, P] instead of about ten, every training step.
 */
export function bernoulliNllFromLogits(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, xs, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([l, xs]);
    const value = tf.tidy(() =>
      tf.sum(tf.add(tf.sub(tf.relu(l), tf.mul(xs, l)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))), 1),
    );
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ls, xv] = saved as [tf.Tensor2D, tf.Tensor2D];
        const d = tf.expandDims(dy, 1); //  [B] → [B, 1]
        return [tf.mul(d, tf.sub(tf.sigmoid(ls), xv)), tf.mul(d, tf.neg(ls))];
      },
    };
  });
  return op(logits, x) as tf.Tensor1D;
}
