/// <reference lib="webworker" />
/**
 * The body both bench workers share: answers one `run` request with one measurement, reading
 * the worker's JS heap (through the page, see protocol.ts) before the model exists and after it
 * is disposed. Each worker supplies how it starts its backend and how it trains.
 */
import { loadImageDataset, type ImageDataset } from '../data/image-dataset';
import type { BackendName, TrainConfig } from '../contracts/config';
import type { RateMeasurement, RateOptions } from '../train/measure-rate';
import type { StepProfile } from '../backends/kernel-categories';
import { BENCH_MODELS } from './models';
import { profiledSteps } from './profiled-steps';
import type {
  BenchFromWorker,
  BenchRequest,
  BenchToWorker,
  BenchWay,
  MatMulRoutes,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** How the error of a backend that does not start begins (the driver then skips the backend). */
export const START_FAILED = 'cannot start';

export interface BenchWorkerWay {
  way: BenchWay;
  /** Starts exactly `backend`, or throws why not. */
  start(backend: BackendName): Promise<void>;
  /** What a GPU backend runs on (see BenchRun.device). */
  describe?(backend: BackendName): Promise<string | null>;
  measure(
    dataset: ImageDataset,
    config: TrainConfig,
    options: RateOptions,
  ): Promise<RateMeasurement>;
  /** Set up what the request asks beyond the backend (ours: the GEMM route); throws if it cannot. */
  prepare?(request: BenchRequest): Promise<void>;
  /** Which routes the products took during the measurement (ours on wasm). */
  routes?(request: BenchRequest): MatMulRoutes | null;
  /** Whether this way honours `profileSteps` (ours: it times its own kernels). */
  profiles?: boolean;
}

function post(msg: BenchFromWorker): void {
  self.postMessage(msg);
}

const heapWaiters = new Map<number, (bytes: number | null) => void>();
let nextHeapId = 1;

/** This worker's JS heap in use after a GC, as the page's driver reads it (null without one). */
function readHeap(): Promise<number | null> {
  const id = nextHeapId++;
  return new Promise((resolve) => {
    heapWaiters.set(id, resolve);
    post({ type: 'heap-request', id });
  });
}

export function serveBench(way: BenchWorkerWay): void {
  self.onmessage = async (event: MessageEvent<BenchToWorker>) => {
    const msg = event.data;
    if (msg.type === 'heap') {
      heapWaiters.get(msg.id)?.(msg.bytes);
      heapWaiters.delete(msg.id);
      return;
    }
    try {
      const { backend } = msg;
      await way.start(backend).catch((err: Error) => {
        throw new Error(`${START_FAILED} ${backend}: ${err.message}`);
      });
      await way.prepare?.(msg);
      const device = (await way.describe?.(backend)) ?? null;
      const dataset = await loadImageDataset(msg.datasetsUrl, 'mnist');
      const config = BENCH_MODELS[msg.model];
      const heapBefore = await readHeap();
      let profile: StepProfile | null = null;
      const extraSteps =
        way.profiles && msg.profileSteps
          ? profiledSteps(backend, msg.profileSteps, (p) => (profile = p))
          : undefined;
      const m = await way.measure(dataset, config, { ...msg.plan, extraSteps });
      const heapAfter = await readHeap();
      post({
        type: 'result',
        run: {
          way: way.way,
          backend,
          device,
          model: msg.model,
          batchSize: m.batchSize,
          imagesPerSec: m.imagesPerSec,
          stepMs: m.stepMs,
          firstStepMs: m.firstStepMs,
          numTensors: m.numTensors,
          heap: { before: heapBefore, after: heapAfter },
          firstTerms: m.firstTerms,
          matmul: way.routes?.(msg) ?? null,
          profile,
        },
      });
    } catch (err) {
      post({ type: 'error', message: (err as Error).message ?? String(err) });
    }
  };
}
