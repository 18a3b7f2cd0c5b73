/**
 * The same models trained the way a typical TF.js user writes the loop (the baseline of
 * `npm run bench`): the training set as one Float32Array in [0, 1] on the host, and per step
 *   batch  copy B shuffled images into a Float32Array, x = tf.tensor2d(batch, [B, P])   [B, P]
 *   step   cost = optimizer.minimize(() => loss(x), true)
 *   read   cost.dataSync()   (the host waits for the device every step)
 * as tfjs-examples' MNIST data.js + model.fit-style loops do. On webgpu the read is
 * `await cost.data()`, still every step: tfjs-backend-webgpu 4.22's dataSync (a canvas copy)
 * returned 0 without waiting in a worker on SwiftShader, so it would time nothing. The backend is the stock one:
 * whoever calls this must not have installed our kernels (src/backends/wasm/wasm-kernels.ts) in this
 * realm. Timing follows measureTrainingRate: warm-up rounds, then the median of timed rounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, permutation } from '../core/rng';
import type { ImageDataset } from '../data/image-dataset';
import { createModel } from '../models/zoo';
import type { TrainConfig } from '../contracts/config';
import { median, type RateMeasurement, type RateOptions } from '../train/measure-rate';

export async function measureNaiveRate(
  dataset: ImageDataset,
  config: TrainConfig,
  options: RateOptions = {},
): Promise<RateMeasurement> {
  const { warmupRounds = 1, rounds = 5, stepsPerRound = 5, maxSeconds = 20, onRound } = options;
  const B = config.batchSize;
  const P = dataset.height * dataset.width;
  const N = dataset.train.count;
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const model = createModel(config, P);
  const optimizer = tf.train.adam(config.learningRate);
  // All training images as floats on the host.   [N·P]
  const images = new Float32Array(N * P);
  for (let i = 0; i < images.length; i++) images[i] = dataset.train.images[i]! / 255;
  const batch = new Float32Array(B * P);
  const rng = mulberry32(config.seed);
  let order = permutation(N, rng);
  let cursor = 0;
  let step = 0;

  const syncRead = tf.getBackend() !== 'webgpu';

  /** One step; returns the objective as read back (dataSync, or data() on webgpu). */
  const trainStep = async (): Promise<number> => {
    if (cursor + B > N) {
      order = permutation(N, rng);
      cursor = 0;
    }
    for (let b = 0; b < B; b++) {
      const src = order[cursor + b]! * P;
      batch.set(images.subarray(src, src + P), b * P);
    }
    cursor += B;
    step++;
    const x = tf.tensor2d(batch, [B, P]);
    if (step === 1) model.initialize?.(x); // VQ-VAE: k-means codebook, as the Trainer does
    const ctx = { step, seed: config.seed * 1_000_003 + step, training: true };
    const cost = optimizer.minimize(() => model.loss(x, ctx).total, true, model.variables)!;
    const value = (syncRead ? cost.dataSync() : await cost.data())[0]!;
    model.afterStep?.();
    tf.dispose([x, cost]);
    return value;
  };

  try {
    const first = await trainStep();
    const firstStepMs = performance.now() - t0;
    const round = async (): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < stepsPerRound; i++) await trainStep();
      return (performance.now() - start) / stepsPerRound;
    };
    for (let i = 0; i < warmupRounds; i++) await round();
    const afterWarmup = tf.memory().numTensors;
    const stepMs: number[] = [];
    const timedStart = performance.now();
    for (let i = 0; i < Math.max(1, rounds); i++) {
      stepMs.push(await round());
      await onRound?.(i + 1, rounds);
      if (performance.now() - timedStart > maxSeconds * 1000) break;
    }
    const after = tf.memory().numTensors;
    return {
      backend: tf.getBackend(),
      batchSize: B,
      imagesPerSec: (B * 1000) / median(stepMs),
      stepMs,
      firstStepMs,
      numTensors: { before, afterWarmup, after },
      firstTerms: { total: first },
    };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
