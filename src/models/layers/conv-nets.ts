/**
 * The small convolutional encoder and decoder shared by the VQ-VAE and the dVAE, for 28×28×1
 * images and a 7×7 latent grid: the Keras VQ-VAE example's layout (Sayak Paul, keras.io
 * "Vector-Quantized Variational Autoencoders"), with h = 32 giving its 32 and 64 channels.
 *   encoder  x [B,784] → [B,28,28,1] → conv3 s2 → ReLU [B,14,14,h] → conv3 s2 → ReLU [B,7,7,2h]
 *            → conv1 → [B,7,7,C]
 *   decoder  z [B,7,7,C] → convT3 s2 → ReLU [B,14,14,2h] → convT3 s2 → ReLU [B,28,28,h]
 *            → conv3 → [B,28,28,1] → logits [B,784]
 * All convolutions use 'same' padding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, ConvTranspose2d } from './conv';

export const GRID = 7;

export class ConvEncoder {
  private readonly c1: Conv2d;
  private readonly c2: Conv2d;
  private readonly c3: Conv2d;

  constructor(hidden: number, outChannels: number, seed: number, name: string) {
    this.c1 = new Conv2d(1, hidden, 3, 2, seed, `${name}/c1`);
    this.c2 = new Conv2d(hidden, 2 * hidden, 3, 2, seed + 2, `${name}/c2`);
    this.c3 = new Conv2d(2 * hidden, outChannels, 1, 1, seed + 4, `${name}/c3`);
  }

  /** x [B,784] → [B,7,7,C] */
  apply(x: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const img = tf.reshape(x, [x.shape[0], 28, 28, 1]) as tf.Tensor4D;
      return this.c3.apply(tf.relu(this.c2.apply(tf.relu(this.c1.apply(img)))));
    });
  }

  get variables(): tf.Variable[] {
    return [...this.c1.variables, ...this.c2.variables, ...this.c3.variables];
  }
}

export class ConvDecoder {
  private readonly t1: ConvTranspose2d;
  private readonly t2: ConvTranspose2d;
  private readonly out: Conv2d;

  constructor(inChannels: number, hidden: number, seed: number, name: string) {
    this.t1 = new ConvTranspose2d(inChannels, 2 * hidden, 3, 2, seed, `${name}/t1`);
    this.t2 = new ConvTranspose2d(2 * hidden, hidden, 3, 2, seed + 2, `${name}/t2`);
    this.out = new Conv2d(hidden, 1, 3, 1, seed + 4, `${name}/out`);
  }

  /** z [B,7,7,C] → logits [B,784] */
  apply(z: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.relu(this.t2.apply(tf.relu(this.t1.apply(z))));
      return tf.reshape(this.out.apply(h), [z.shape[0], 784]) as tf.Tensor2D;
    });
  }

  get variables(): tf.Variable[] {
    return [...this.t1.variables, ...this.t2.variables, ...this.out.variables];
  }
}
