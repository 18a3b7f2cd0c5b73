/**
 * What the bench page, its two workers (ours, naive) and the Node entry exchange. One request
 * per worker: the page starts a fresh worker for every (backend, model, way), so each starts
 * with an empty tensor registry and its own kernel registry.
 *
 *   page → worker   run            which backend, model, dataset URL and round plan
 *   worker → page   heap-request   "read my JS heap now" (the page asks the bench driver, which
 *                                  reads it over the DevTools protocol after a forced GC)
 *   page → worker   heap           the answer (null when no driver is attached)
 *   worker → page   result | error
 */
import type { ParallelMatMulMode } from '../backends/wasm/wasm-parallel-matmul';
import type { StepProfile } from '../backends/kernel-categories';
import type { BackendName } from '../contracts/config';
import type { BenchModelId } from './models';

/** Ours: the app's Trainer on our backend start (fast wasm kernels); naive: see naive-rate.ts. */
export type BenchWay = 'ours' | 'naive';

/** How many steps to run: measureTrainingRate's RateOptions, as plain data. */
export interface RoundPlan {
  warmupRounds: number;
  rounds: number;
  stepsPerRound: number;
  /** Stop the timed rounds early once they have taken this long. */
  maxSeconds: number;
}

export interface BenchRequest {
  type: 'run';
  backend: BackendName;
  model: BenchModelId;
  /** URL of the datasets/ folder, ending in "/". */
  datasetsUrl: string;
  plan: RoundPlan;
  /**
   * Ours on wasm: which GEMM route products take (wasm-parallel-matmul.ts); absent: 'auto', the
   * app's. 'two-threads' fails when the helper thread cannot start (no cross-origin isolation).
   */
  matmul?: Exclude<ParallelMatMulMode, 'off'>;
  /**
   * Ours: after the timed rounds, this many more steps under the kernel profiler (BenchRun's
   * `profile`); absent or 0: none. The naive way ignores it.
   */
  profileSteps?: number;
}

/** Ours on wasm: the GEMM route asked for, and how many products took each way. */
export interface MatMulRoutes {
  mode: ParallelMatMulMode;
  /** Products on one thread in TF.js's own memory. */
  zeroCopyCalls: number;
  /** Products through the shared memory, of which on two threads. */
  sharedCalls: number;
  twoThreadCalls: number;
  /** … of which in place in TF.js's shared heap (no copies). */
  inPlaceCalls: number;
  /** Products sent to the stock (XNNPACK) route. */
  stockCalls: number;
  /** Of the chunks of two-thread jobs, the share the helper computed (0.5: even), and of how many. */
  helperShare: number;
  helperChunks: number;
  /** Through the shared memory: ms copying operands in and products out, and computing. */
  copyMs: number;
  computeMs: number;
}

/** One measured (runtime, backend, model, way). */
export interface BenchRun {
  way: BenchWay;
  /** The backend that ran (ours may fall back; the driver reports a mismatch as unavailable). */
  backend: string;
  /** What a GPU backend runs on, e.g. "SwiftShader (software)" (null: wasm, cpu, or unknown). */
  device: string | null;
  model: BenchModelId;
  batchSize: number;
  /** Median images/s over the timed rounds. */
  imagesPerSec: number;
  /** Milliseconds per step of each timed round. */
  stepMs: number[];
  /** From creating the trainer (ours: uploading the data too) to the first loss on the host. */
  firstStepMs: number;
  numTensors: { before: number; afterWarmup: number; after: number };
  /** JS heap in use (bytes) after a forced GC: before the model exists, and after it is gone. */
  heap: { before: number | null; after: number | null };
  /** The first step's loss terms in nats per image (naive: the objective, `total`). */
  firstTerms: Record<string, number>;
  /** Ours on wasm: the GEMM routes its products took (null elsewhere). */
  matmul: MatMulRoutes | null;
  /** Ours with `profileSteps`: where the profiled steps' time went, per step (null otherwise). */
  profile: StepProfile | null;
}

export type BenchToWorker = BenchRequest | { type: 'heap'; id: number; bytes: number | null };

export type BenchFromWorker =
  | { type: 'heap-request'; id: number }
  | { type: 'result'; run: BenchRun }
  | { type: 'error'; message: string };
