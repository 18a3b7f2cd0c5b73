/**
 * Gumbel-softmax pieces of the dVAE: Gumbel noise, the relaxed (Concrete) categorical sample,
 * its straight-through "hard" variant, and the KL of a categorical posterior to the uniform
 * prior. Jang, Gu & Poole 2016, "Categorical Reparameterization with Gumbel-Softmax"; Maddison,
 * Mnih & Teh 2016, "The Concrete Distribution".
 *
 * Shapes: B = batch, N = latent positions (categorical variables), K = classes per variable.
 * The class axis is always the last one; the other axes are arbitrary ([..., K]).
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot';
import { straightThrough } from './stop-gradient';

export { stopGradient, straightThrough } from './stop-gradient';

/**
 * Uniform draws are clipped to [ε, 1 − ε] before the double log so that g stays finite: in
 * float32 the largest value below 1 is 1 − 2⁻²⁴, so 1 − 1e-7 rounds to a number < 1. The clip
 * truncates g to about [−2.8, 16]; the mass cut off is ≈ 1e-7 at the top and e^{−16} below.
 */
const UNIFORM_CLIP = 1e-7;

/**
 * Standard Gumbel noise, reproducible from `seed`:
 *   g = −log(−log u),  u ~ U(0, 1) clipped to [ε, 1 − ε]                           [shape]
 * argmax_k(log π_k + g_k) is then an exact sample from Categorical(π) (the Gumbel-max trick).
 */
export function sampleGumbel<R extends tf.Rank>(shape: tf.ShapeMap[R], seed: number): tf.Tensor<R> {
  return tf.tidy(() => {
    const u = tf.clipByValue(
      tf.randomUniform<R>(shape, 0, 1, 'float32', seed),
      UNIFORM_CLIP,
      1 - UNIFORM_CLIP,
    );
    return tf.neg(tf.log(tf.neg(tf.log(u))));
  });
}

/**
 * Relaxed one-hot sample (Jang et al. 2016, eq. 1), along the last axis:
 *   y = softmax((ℓ + g) / τ)                                                      [..., K]
 * ℓ = logits = unnormalised log π (any additive constant per row cancels), g = Gumbel noise of
 * the same shape, τ > 0 the temperature: τ → 0 gives one-hot samples, τ → ∞ the uniform vector.
 */
export function gumbelSoftmax<T extends tf.Tensor>(logits: T, tau: number, gumbelNoise: T): T {
  return tf.tidy(() => tf.softmax(tf.div(tf.add(logits, gumbelNoise), tau)) as T);
}

/**
 * Straight-through Gumbel-softmax (Jang et al. 2016, §2.2), along the last axis:
 *   y_soft = softmax((ℓ + g) / τ)                                                 [..., K]
 *   y_hard = one_hot(argmax_k y_soft, K)                                          [..., K]
 *   forward = y_hard (exactly one-hot), backward = ∂y_soft (i.e. y_soft + sg(y_hard − y_soft))
 * The forward pass is an exact sample from Categorical(softmax(ℓ)) (Gumbel-max trick), for any τ.
 */
export function gumbelSoftmaxHard<T extends tf.Tensor>(logits: T, tau: number, gumbelNoise: T): T {
  return tf.tidy(() => {
    const soft = gumbelSoftmax(logits, tau, gumbelNoise);
    const classes = logits.shape[logits.rank - 1] ?? 0;
    const hard = oneHotFloat(tf.argMax(soft, -1), classes) as T;
    return straightThrough(soft, hard);
  });
}

/**
 * The noise-free code: one_hot(argmax_k ℓ_k) along the last axis, the mode of q = softmax(ℓ)
 * and the τ → 0 limit of the Gumbel-softmax without noise (the PyTorch export's fixed noise).
 *   [..., K] → [..., K]
 */
export function mostLikelyCodes<T extends tf.Tensor>(logits: T): T {
  return tf.tidy(() => oneHotFloat(tf.argMax(logits, -1), logits.shape[logits.rank - 1] ?? 0) as T);
}

/**
 * KL(q ‖ Uniform(K)) per latent position, in nats, with q = softmax(ℓ) over the last axis:
 *   Σ_k q_k (log q_k − log(1/K)) = Σ_k q_k (log q_k + log K)                         [B, N]
 * log q comes from logSoftmax, so a very peaked q (q_k underflowing to 0) stays finite:
 * the KL then tends to log K. It is 0 exactly when q is uniform.
 */
export function categoricalKlToUniformPerPosition(logits: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const classes = logits.shape[2];
    const logQ = tf.logSoftmax(logits, -1);
    return tf.sum(tf.mul(tf.exp(logQ), tf.add(logQ, Math.log(classes))), -1);
  });
}

/** KL(q ‖ Uniform(K)) summed over the N positions: one value per example, in nats.       [B] */
export function categoricalKlToUniform(logits: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(categoricalKlToUniformPerPosition(logits), 1));
}
