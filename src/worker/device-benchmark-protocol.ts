/**
 * Messages between the page and a device-benchmark worker (src/worker/device-benchmark.ts).
 * One worker measures one backend and is then terminated, so nothing of one backend (its
 * context, buffers, compiled kernels) is left when the next one is measured. Type-only.
 */
import type { BackendName, TrainConfig } from '../contracts/config';

/** Page → worker: measure the training speed of `config` on exactly `backend` (no fallback). */
export interface BenchmarkRequest {
  type: 'measure';
  backend: BackendName;
  config: TrainConfig;
  /** Passed to measureTrainingRate (src/train/measure-rate.ts). */
  warmupRounds: number;
  rounds: number;
  stepsPerRound: number;
  maxSeconds: number;
}

export type BenchmarkStage = 'starting' | 'warming-up' | 'measuring';

/** Worker → page. */
export type BenchmarkResponse =
  /**
   * What the backend runs on, sent before it starts where that is known then (GPUs): a software
   * renderer gets a shorter time cap, as it cannot be the fastest.
   */
  | { type: 'device'; backend: BackendName; detail: string; software: boolean }
  /** `done` of `total` timed rounds so far (both 0 before the timed rounds). */
  | { type: 'progress'; backend: BackendName; stage: BenchmarkStage; done: number; total: number }
  | {
      type: 'result';
      backend: BackendName;
      /** Median training images/s over the timed rounds. */
      imagesPerSec: number;
      /** What it ran on, e.g. "SwiftShader (software)" or "SIMD, 1 thread". */
      detail: string;
      /** Milliseconds per step of each timed round. */
      stepMs: number[];
    }
  | { type: 'failed'; backend: BackendName; error: string };

/** One backend's result in the device benchmark: images/s, or why there is none. */
export interface BackendRate {
  backend: BackendName;
  /** Median training images/s; null when the backend failed or was too slow to finish. */
  imagesPerSec: number | null;
  /** What it ran on (e.g. "SwiftShader (software)", "SIMD, 1 thread"), or why it failed. */
  detail: string;
}
