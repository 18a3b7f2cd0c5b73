/**
 * Fixed-variance Gaussian likelihood p(x | z) = N(x; x̂, σ² I) with mean x̂ = sigmoid(ℓ).
 */
import * as tf from '@tensorflow/tfjs-core';

/** C = 1/(2σ²): the weight of the squared error in the loss C·‖x − x̂‖² + const. */
export function squaredErrorWeight(sigma: number): number {
  return 1 / (2 * sigma * sigma);
}

/**
 * −log N(x; x̂, σ²I) per image, in nats:
 *   Σ_p [ (x_p − x̂_p)² / (2σ²) + ½ log(2πσ²) ] = C·‖x − x̂‖² + (P/2)·log(2πσ²)        [B]
 * The constant makes it a true negative log-density, so it adds to the KL as an ELBO term.
 */
export function gaussianNllFixedSigma(
  logits: tf.Tensor2D,
  x: tf.Tensor2D,
  sigma: number,
): tf.Tensor1D {
  return tf.tidy(() => gaussianNllOfMean(tf.sigmoid(logits), x, sigma));
}

/** The same with the mean x̂ given as is (the linear autoencoder's identity output).   [B] */
export function gaussianNllOfMean(mean: tf.Tensor2D, x: tf.Tensor2D, sigma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const P = x.shape[1];
    const sq = tf.sum(tf.squaredDifference(x, mean), 1);
    return tf.add(
      tf.mul(sq, squaredErrorWeight(sigma)),
      0.5 * P * Math.log(2 * Math.PI * sigma * sigma),
    );
  });
}
