/**
 * Gradient plumbing TF.js lacks, built with tf.customGrad: stop-gradient and the
 * straight-through estimator. tf.clone gives each output a new tensor id (sharing the data),
 * so the tape never sees an op whose output is its own input.
 */
import * as tf from '@tensorflow/tfjs-core';

/** sg(x): forward x, backward ∂sg(x)/∂x = 0.                                     [same as x] */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((input) => ({
    value: tf.clone(input as T),
    gradFunc: (dy: T) => tf.zerosLike(dy),
  }));
  return op(x) as T;
}

/**
 * Straight-through estimator src + sg(tgt − src), for src and tgt of the same shape:
 *   forward  = tgt exactly (not src + (tgt − src), which rounds in float32)
 *   backward ∂/∂src = identity (upstream gradient unchanged), ∂/∂tgt = 0
 * The VQ-VAE passes the decoder's gradient from z_q to z_e this way (van den Oord et al. 2017,
 * §3.2), and the hard Gumbel-softmax its soft gradient (Jang et al. 2016, §2.2).
 */
export function straightThrough<T extends tf.Tensor>(src: T, tgt: T): T {
  tf.util.assertShapesMatch(src.shape, tgt.shape, 'straightThrough(src, tgt): ');
  const op = tf.customGrad((source, target) => ({
    value: tf.clone(target as T),
    gradFunc: (dy: T) => [tf.clone(dy), tf.zerosLike(source as T)],
  }));
  return op(src, tgt) as T;
}
