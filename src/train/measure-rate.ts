/**
 * Training speed of one model on the running backend, as the trainer really runs it: steps are
 * issued back to back and read back in rounds of `stepsPerRound` (one asynchronous read per
 * round, as in the worker). images/s is the median over timed rounds after the warm-up rounds
 * (the first round includes kernel compilation on webgl/webgpu and XNNPACK operator setup on wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/image-dataset';
import type { TrainConfig } from '../contracts/config';
import { Trainer } from './trainer';

export interface RateOptions {
  /** Rounds run before timing starts. */
  warmupRounds?: number;
  /** Timed rounds (at least 1); stops early once `maxSeconds` of timed rounds have run. */
  rounds?: number;
  stepsPerRound?: number;
  maxSeconds?: number;
  /** Called between rounds, e.g. to report progress; may be async. */
  onRound?: (done: number, total: number) => void | Promise<void>;
  /**
   * After the timed rounds, `steps` more steps (read back once) between `before()` and
   * `after(wallMs)`, e.g. under a kernel profiler (the bench); they do not count in the rate.
   */
  extraSteps?: ExtraSteps;
}

export interface ExtraSteps {
  steps: number;
  before(): void;
  /** Wall time of the `steps` steps, the loss read back included (NaN when a step threw). */
  after(wallMs: number): void;
}

export interface RateMeasurement {
  backend: string;
  batchSize: number;
  /** Median images/s over the timed rounds. */
  imagesPerSec: number;
  /** Milliseconds per step of each timed round. */
  stepMs: number[];
  /** Milliseconds from creating the trainer to the first step's loss on the host. */
  firstStepMs: number;
  /** tf.memory().numTensors before the trainer exists, after warm-up, and after the timed rounds. */
  numTensors: { before: number; afterWarmup: number; after: number };
  /** The first step's loss terms, a check that the timed work was real training. */
  firstTerms: Record<string, number>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function measureTrainingRate(
  dataset: ImageDataset,
  config: TrainConfig,
  options: RateOptions = {},
): Promise<RateMeasurement> {
  const { warmupRounds = 1, rounds = 5, stepsPerRound = 5, maxSeconds = 20 } = options;
  const { onRound, extraSteps } = options;
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const trainer = new Trainer(dataset, config);
  try {
    await trainer.prepare();
    // A model fitted without gradients steps by whole passes (fitStep): one per round.
    const fits = trainer.fitsWithoutGradients;
    const perRound = fits ? 1 : stepsPerRound;
    const advance = async () => (fits ? void (await trainer.fitStep()) : trainer.trainStep());
    await advance();
    const first = await trainer.flush();
    const firstStepMs = performance.now() - t0;
    const firstTerms = Object.fromEntries(
      Object.entries(first?.terms ?? {}).map(([k, v]) => [k, v[0] ?? NaN]),
    );
    const round = async (steps = perRound): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < steps; i++) await advance();
      await trainer.flush();
      return (performance.now() - start) / steps;
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
    if (extraSteps && extraSteps.steps > 0) {
      extraSteps.before();
      let wallMs = NaN; // after() runs even when a step throws (a profiler must come off)
      try {
        wallMs = (await round(extraSteps.steps)) * extraSteps.steps;
      } finally {
        extraSteps.after(wallMs);
      }
    }
    return {
      backend: tf.getBackend(),
      batchSize: config.batchSize,
      imagesPerSec: (trainer.imagesPerStep * 1000) / median(stepMs),
      stepMs,
      firstStepMs,
      numTensors: { before, afterWarmup, after },
      firstTerms,
    };
  } finally {
    trainer.dispose();
  }
}
