/**
 * Times the same models trained the way a typical TF.js user writes the loop (the baseline of
 * `npm run bench`): naive-loop.ts for the image models, naive-prior.ts for the prior over codes.
 * The backend is the stock one: whoever calls this must not have installed our kernels
 * (src/backends/wasm/wasm-kernels.ts) in this realm. Timing follows measureTrainingRate: the
 * loop's one-off work (the prior's encoding) and first step, warm-up rounds, then the median of
 * timed rounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/image-dataset';
import type { TrainConfig } from '../contracts/config';
import { median, type RateMeasurement, type RateOptions } from '../train/measure-rate';
import { naiveImageLoop, type NaiveLoop } from './naive-loop';
import { naivePriorLoop } from './naive-prior';

export async function measureNaiveRate(
  dataset: ImageDataset,
  config: TrainConfig,
  options: RateOptions = {},
): Promise<RateMeasurement> {
  const { warmupRounds = 1, rounds = 5, stepsPerRound = 5, maxSeconds = 20, onRound } = options;
  const B = config.batchSize;
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const loop: NaiveLoop =
    config.model === 'prior'
      ? await naivePriorLoop(dataset, config)
      : naiveImageLoop(dataset, config);
  try {
    const first = await loop.step();
    const firstStepMs = performance.now() - t0;
    const round = async (): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < stepsPerRound; i++) await loop.step();
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
    loop.dispose();
  }
}
