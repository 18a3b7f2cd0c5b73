/**
 * Where K prototype images (k-means centroids, mixture components) sit in a 2-D picture: each
 * row's coordinates on the first two principal components of the rows, by power iteration on
 * the device (two [K, P] mat-vec products per iteration, no read-back).
 *
 *   C̃ = C − mean(C)                 [K, P]
 *   v₁ ← normalise(C̃ᵀ C̃ v₁)          [P]     (then v₂ the same, kept orthogonal to v₁)
 *   coordinates = C̃ [v₁ v₂]          [K, 2]
 */
import * as tf from '@tensorflow/tfjs-core';

const ITERATIONS = 40;

/** rows [K, P] → [K, 2] coordinates on the rows' first two principal directions. */
export function principalPlane(rows: tf.Tensor2D, iterations = ITERATIONS): tf.Tensor2D {
  return tf.tidy(() => {
    const P = rows.shape[1];
    const centred = tf.sub(rows, tf.mean(rows, 0, true)); //                                [K, P]
    const normalise = (v: tf.Tensor2D) => tf.div(v, tf.add(tf.norm(v), 1e-12)) as tf.Tensor2D;
    // C̃ᵀ C̃ v as two mat-vec products.                                              [P, 1] → [P, 1]
    const apply = (v: tf.Tensor2D) =>
      tf.matMul(centred, tf.matMul(centred, v), true, false) as tf.Tensor2D;
    const ramp = tf.reshape(tf.range(0, P, 1, 'float32'), [P, 1]) as tf.Tensor2D;
    let v1 = normalise(tf.add(tf.onesLike(ramp), tf.div(ramp, P)) as tf.Tensor2D);
    let v2 = normalise(tf.sub(tf.div(ramp, P), 0.5) as tf.Tensor2D);
    for (let i = 0; i < iterations; i++) {
      v1 = normalise(apply(v1));
      const w = apply(v2);
      v2 = normalise(tf.sub(w, tf.mul(v1, tf.sum(tf.mul(w, v1)))) as tf.Tensor2D);
    }
    return tf.matMul(centred, tf.concat([v1, v2], 1)) as tf.Tensor2D; //                 [K, 2]
  });
}
