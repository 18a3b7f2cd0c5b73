/**
 * Convolutional encoder body and decoder for vector latents, after TensorFlow's CVAE tutorial:
 *   features  x [B,784] → [B,28,28,1] → conv3 s2 (32) → ReLU [B,14,14,32]
 *             → conv3 s2 (64) → ReLU [B,7,7,64] → flatten [B,3136]
 *   decoder   z [B,D] → dense → ReLU [B,7·7·32] → [B,7,7,32] → convT3 s2 (64) → ReLU [B,14,14,64]
 *             → convT3 s2 (32) → ReLU [B,28,28,32] → conv3 s1 (1) → logits [B,784]
 */
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, ConvTranspose2d } from './conv';
import { Dense } from './dense';

export const CONV_FEATURES = 7 * 7 * 64;

export class ConvFeatures {
  private readonly c1: Conv2d;
  private readonly c2: Conv2d;

  constructor(seed: number, name: string) {
    this.c1 = new Conv2d(1, 32, 3, 2, seed, `${name}/c1`);
    this.c2 = new Conv2d(32, 64, 3, 2, seed + 2, `${name}/c2`);
  }

  /** x [B,784] → [B,3136] */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const img = tf.reshape(x, [x.shape[0], 28, 28, 1]) as tf.Tensor4D;
      const h = tf.relu(this.c2.apply(tf.relu(this.c1.apply(img))));
      return tf.reshape(h, [x.shape[0], CONV_FEATURES]) as tf.Tensor2D;
    });
  }

  get variables(): tf.Variable[] {
    return [...this.c1.variables, ...this.c2.variables];
  }
}

export class ConvImageDecoder {
  private readonly dense: Dense;
  private readonly t1: ConvTranspose2d;
  private readonly t2: ConvTranspose2d;
  private readonly out: Conv2d;

  constructor(latentDim: number, seed: number, name: string) {
    this.dense = new Dense(latentDim, 7 * 7 * 32, seed, `${name}/dense`);
    this.t1 = new ConvTranspose2d(32, 64, 3, 2, seed + 2, `${name}/t1`);
    this.t2 = new ConvTranspose2d(64, 32, 3, 2, seed + 4, `${name}/t2`);
    this.out = new Conv2d(32, 1, 3, 1, seed + 6, `${name}/out`);
  }

  /** z [B,D] → Bernoulli logits [B,784] */
  apply(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const B = z.shape[0];
      const h0 = tf.reshape(tf.relu(this.dense.apply(z)), [B, 7, 7, 32]) as tf.Tensor4D;
      const h = tf.relu(this.t2.apply(tf.relu(this.t1.apply(h0))));
      return tf.reshape(this.out.apply(h), [B, 784]) as tf.Tensor2D;
    });
  }

  get variables(): tf.Variable[] {
    return [
      ...this.dense.variables,
      ...this.t1.variables,
      ...this.t2.variables,
      ...this.out.variables,
    ];
  }
}
