/**
 * A small convolutional digit classifier for MNIST, used at test time to judge generated digits
 * (the share of a class-conditional model's samples that it reads as the requested digit). Not a
 * latent-variable model: trained once by `npm run make:classifier` (src/cli/classifier.ts) and
 * shipped as public/pretrained/digit-classifier.{json,bin} (src/train/digit-classifier-file.ts).
 *
 *   x [B,784] in [0,1] → [B,28,28,1]
 *   conv 3×3, stride 1, C1 channels, ReLU    → [B,28,28,C1]
 *   conv 3×3, stride 2, C2 channels, ReLU    → [B,14,14,C2]
 *   conv 3×3, stride 2, C3 channels, ReLU    → [B,7,7,C3]      (all 'same' padding)
 *   flatten, dense H, ReLU                   → [B,H]
 *   dense 10                                 → logits ℓ [B,10]
 *
 *   p(y | x) = softmax(ℓ)_y;   loss = mean over the batch of −log p(y | x) = logsumexp(ℓ) − ℓ_y
 *   predict: label = argmax_k ℓ_k, probability = softmax(ℓ)_label
 * Weights start from `seed` (He-uniform convs, Glorot-uniform dense layers: layers/conv, layers/dense).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../ops/register-gradients';
import { oneHotFloat } from '../ops/one-hot';
import { Conv2d } from './layers/conv';
import { Dense } from './layers/dense';

export interface DigitClassifierConfig {
  /** Channels of the three conv layers (stride 1, 2, 2). */
  channels: [number, number, number];
  /** Units of the hidden dense layer. */
  hidden: number;
}

export const DIGIT_CLASSIFIER_DEFAULTS: DigitClassifierConfig = {
  channels: [8, 16, 32],
  hidden: 64,
};

/** Image side (MNIST), pixels per image, and classes. */
export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
export const DIGIT_CLASSES = 10;
/** The side after the two stride-2 convs ('same' padding: ⌈28/2⌉ = 14, ⌈14/2⌉ = 7). */
const GRID = 7;

export class DigitClassifier {
  readonly config: DigitClassifierConfig;
  private readonly convs: [Conv2d, Conv2d, Conv2d];
  private readonly dense1: Dense;
  private readonly dense2: Dense;

  constructor(config: Partial<DigitClassifierConfig> = {}, seed = 1) {
    this.config = { ...DIGIT_CLASSIFIER_DEFAULTS, ...config };
    const [c1, c2, c3] = this.config.channels;
    const { hidden } = this.config;
    for (const n of [c1, c2, c3, hidden])
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`digit classifier: layer sizes should be whole numbers ≥ 1, got ${n}`);
    // Each layer takes two seeds (weights, bias): seed, seed + 2, …
    this.convs = [
      new Conv2d(1, c1, 3, 1, seed, 'cls_conv1'),
      new Conv2d(c1, c2, 3, 2, seed + 2, 'cls_conv2'),
      new Conv2d(c2, c3, 3, 2, seed + 4, 'cls_conv3'),
    ];
    this.dense1 = new Dense(GRID * GRID * c3, hidden, seed + 6, 'cls_dense1');
    this.dense2 = new Dense(hidden, DIGIT_CLASSES, seed + 8, 'cls_dense2');
  }

  /** Every weight, in a fixed order (the checkpoint's w0, w1, …). */
  get variables(): tf.Variable[] {
    return [
      ...this.convs.flatMap((c) => c.variables),
      ...this.dense1.variables,
      ...this.dense2.variables,
    ];
  }

  /** x [B,784] in [0,1] → logits [B,10]. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const B = x.shape[0];
      let h: tf.Tensor4D = tf.reshape(x, [B, DIGIT_SIDE, DIGIT_SIDE, 1]);
      for (const conv of this.convs) h = tf.relu(conv.apply(h));
      const flat = tf.reshape(h, [B, GRID * GRID * this.config.channels[2]]) as tf.Tensor2D;
      return this.dense2.apply(tf.relu(this.dense1.apply(flat)));
    });
  }

  /** Mean cross-entropy −log p(y | x) over the batch (nats), labels int32 [B] → scalar. */
  loss(x: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.logits(x); // [B,10]
      const logP = tf.sub(logits, tf.logSumExp(logits, 1, true)); // [B,10]
      const picked = tf.sum(tf.mul(logP, oneHotFloat(labels, DIGIT_CLASSES)), 1); // [B]
      return tf.neg(tf.mean(picked)) as tf.Scalar;
    });
  }

  /** The most probable digit of each image and its probability: label int32 [B], probability [B]. */
  predict(x: tf.Tensor2D): { label: tf.Tensor1D; probability: tf.Tensor1D } {
    return tf.tidy(() => {
      const logits = this.logits(x);
      const label = tf.argMax(logits, 1) as tf.Tensor1D;
      const probability = tf.max(tf.softmax(logits), 1) as tf.Tensor1D;
      return { label, probability };
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
