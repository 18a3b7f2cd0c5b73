/**
 * One-hot vectors as float32, on every backend.
 * TF.js 4.22's wasm OneHot kernel ignores a float32 `dtype` argument: it writes int32 bits into
 * a tensor labelled float32 (1 reads as 1.4e-45), which silently zeroes code counts, EMA sums
 * and one-hot matMuls. Building the int32 one-hot and casting is correct everywhere
 * (tests/unit/wasm-kernels.test.ts checks it on wasm against cpu).
 */
import * as tf from '@tensorflow/tfjs-core';

/** indices [...] (int32) → one-hot [..., depth] float32 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(indices as tf.Tensor1D, depth), 'float32'));
}
