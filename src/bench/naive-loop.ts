/**
 * The naive TF.js training loop (the baseline of `npm run bench`), one step at a time, for the
 * image models: the training set as one Float32Array in [0, 1] on the host, and per step
 *   batch  copy B shuffled images into a Float32Array, x = tf.tensor2d(batch, [B, P])   [B, P]
 *   step   cost = optimizer.minimize(() => loss(x), true)
 *   read   cost.dataSync()   (the host waits for the device every step)
 * as tfjs-examples' MNIST data.js + model.fit-style loops do. The prior's loop (naive-prior.ts)
 * does the same with code sequences. naive-rate.ts times either.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, permutation } from '../core/rng';
import type { ImageDataset } from '../data/image-dataset';
import type { TrainConfig } from '../contracts/config';
import { createModel } from '../models/zoo';

/** A naive loop: `step` trains on the next batch and resolves to the objective it read back. */
export interface NaiveLoop {
  step(): Promise<number>;
  dispose(): void;
}

/**
 * The next B rows of a shuffled order of N (mulberry32(seed), as the Trainer draws its order),
 * reshuffled when fewer than B remain: the same first batches as ours.   → B row indices
 */
export function shuffledBatches(N: number, B: number, seed: number): () => Int32Array {
  const rng = mulberry32(seed);
  let order = permutation(N, rng);
  let cursor = 0;
  return () => {
    if (cursor + B > N) {
      order = permutation(N, rng);
      cursor = 0;
    }
    cursor += B;
    return order.subarray(cursor - B, cursor);
  };
}

/**
 * Reads a step's objective back: dataSync, or `await data()` on webgpu (tfjs-backend-webgpu
 * 4.22's dataSync, a canvas copy, returned 0 without waiting in a worker on SwiftShader).
 */
export async function readObjective(cost: tf.Tensor): Promise<number> {
  return (tf.getBackend() !== 'webgpu' ? cost.dataSync() : await cost.data())[0]!;
}

/** The image models' naive loop (see the file's comment). */
export function naiveImageLoop(dataset: ImageDataset, config: TrainConfig): NaiveLoop {
  const B = config.batchSize;
  const P = dataset.height * dataset.width;
  const N = dataset.train.count;
  const model = createModel(config, P);
  const optimizer = tf.train.adam(config.learningRate);
  // All training images as floats on the host.   [N·P]
  const images = new Float32Array(N * P);
  for (let i = 0; i < images.length; i++) images[i] = dataset.train.images[i]! / 255;
  const batch = new Float32Array(B * P);
  const nextRows = shuffledBatches(N, B, config.seed);
  let step = 0;
  return {
    async step() {
      const rows = nextRows();
      for (let b = 0; b < B; b++) batch.set(images.subarray(rows[b]! * P, rows[b]! * P + P), b * P);
      step++;
      const x = tf.tensor2d(batch, [B, P]);
      if (step === 1) model.initialize?.(x); // VQ-VAE: k-means codebook, as the Trainer does
      const ctx = { step, seed: config.seed * 1_000_003 + step, training: true };
      const cost = optimizer.minimize(() => model.loss(x, ctx).total, true, model.variables)!;
      const value = await readObjective(cost);
      model.afterStep?.();
      tf.dispose([x, cost]);
      return value;
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
