/**
 * The trainer's draws on the device: new images from the model's generative side
 * (Trainer.sample), and the per-pixel Bernoulli samples of dynamic binarisation (its batches).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent-model';

/** One Bernoulli(x) sample per pixel on the device (dynamic binarisation).   [B, P] → [B, P] */
export function bernoulliSample(x: tf.Tensor2D, seed: number): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.cast(
        tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), x),
        'float32',
      ) as tf.Tensor2D,
  );
}

/**
 * `count` new images (count × P intensities in [0, 1]) from `model`'s generative side; an
 * autoencoder first fits its Gaussian to the codes of `trainingImages()` (a new tensor, disposed
 * here).
 */
export async function sampleImages(
  model: LatentModel,
  trainingImages: () => tf.Tensor2D,
  count: number,
  seed: number,
): Promise<Float32Array> {
  if (!model.sample) throw new Error('this model cannot generate samples');
  if (model.fitLatentGaussian) {
    const x = trainingImages();
    await model.fitLatentGaussian(x);
    x.dispose();
  }
  const images = model.sample(count, seed);
  const data = (await images.data()) as Float32Array;
  images.dispose();
  return data;
}
