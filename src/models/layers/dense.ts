/**
 * A fully connected layer y = x W + b with seeded initialisation, as plain tf.Variables.
 *   x [B, in] · W [in, out] + b [out] → [B, out]
 */
import * as tf from '@tensorflow/tfjs-core';

let layerCount = 0;

export class Dense {
  readonly w: tf.Variable; // [in, out]
  readonly b: tf.Variable; // [out]

  /** Glorot-uniform W and PyTorch-style U(±1/√in) bias, both from `seed`. */
  constructor(inDim: number, outDim: number, seed: number, name = 'dense') {
    // Variable names are global in the engine; the counter keeps models apart.
    const id = `${name}_${layerCount++}`;
    const wLimit = Math.sqrt(6 / (inDim + outDim));
    const bLimit = 1 / Math.sqrt(inDim);
    // tidy frees the initial values; a variable (never tidied) keeps its own reference.
    this.w = tf.tidy(() =>
      tf.variable(
        tf.randomUniform([inDim, outDim], -wLimit, wLimit, 'float32', seed),
        true,
        `${id}/w`,
      ),
    );
    this.b = tf.tidy(() =>
      tf.variable(
        tf.randomUniform([outDim], -bLimit, bLimit, 'float32', seed + 1),
        true,
        `${id}/b`,
      ),
    );
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(x, this.w), this.b));
  }

  get variables(): tf.Variable[] {
    return [this.w, this.b];
  }
}
