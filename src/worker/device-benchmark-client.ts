/**
 * The page's side of "benchmark this device": measures each backend in turn, each in a fresh
 * worker (see device-benchmark.ts) that is terminated afterwards, so that one backend's GPU
 * context, buffers and kernels are gone before the next starts; with a hard time cap per
 * backend. The training worker and its run are not touched.
 */
import { BACKENDS, type BackendName, type TrainConfig } from '../contracts/config';
import type {
  BackendRate,
  BenchmarkRequest,
  BenchmarkResponse,
  BenchmarkStage,
} from './device-benchmark-protocol';

type Plan = Omit<BenchmarkRequest, 'type' | 'backend' | 'config'> & {
  /** The worker is terminated after this long, however far it got. */
  capSeconds: number;
};

/**
 * Small rounds: a few seconds per backend. A real GPU may spend seconds compiling its kernels
 * before the first step, so it gets the time; the pure-JS cpu backend compiles nothing and is
 * slow, so one timed step after the first says all there is to say.
 */
export const BENCHMARK_PLANS: Record<BackendName, Plan> = {
  webgpu: { warmupRounds: 1, rounds: 3, stepsPerRound: 3, maxSeconds: 2, capSeconds: 10 },
  webgl: { warmupRounds: 1, rounds: 3, stepsPerRound: 3, maxSeconds: 2, capSeconds: 10 },
  wasm: { warmupRounds: 1, rounds: 3, stepsPerRound: 3, maxSeconds: 2, capSeconds: 10 },
  cpu: { warmupRounds: 0, rounds: 1, stepsPerRound: 1, maxSeconds: 1, capSeconds: 8 },
};

/**
 * The cap of a GPU backend that turns out to be a software renderer (SwiftShader …): it emulates
 * a GPU on the CPU, slower than wasm, so it need not keep the benchmark waiting.
 */
export const SOFTWARE_CAP_SECONDS = 3;

export interface BenchmarkProgress {
  backend: BackendName;
  /** Position of `backend` in the run (0-based) and how many backends are measured. */
  index: number;
  count: number;
  stage: BenchmarkStage;
  /** Timed rounds done of `total` (0 of 0 before they start). */
  done: number;
  total: number;
}

/** Whether this browser offers WebGPU at all (checked without opening an adapter). */
function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}

/** Measures one backend in its own worker; never rejects (a failure is a row with a reason). */
function measureOne(
  backend: BackendName,
  config: TrainConfig,
  onProgress: (msg: Extract<BenchmarkResponse, { type: 'progress' }>) => void,
  signal: AbortSignal | undefined,
): Promise<BackendRate> {
  const plan = BENCHMARK_PLANS[backend];
  return new Promise((resolve) => {
    // The training worker's script, as a new worker of its own (see device-benchmark.ts).
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), {
      type: 'module',
      name: `latent-lab-benchmark-${backend}`,
    });
    const started = performance.now();
    let device = '';
    let cap = plan.capSeconds;
    const finish = (rate: BackendRate) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      resolve(rate);
    };
    const fail = (why: string) =>
      finish({ backend, imagesPerSec: null, detail: device ? `${device}: ${why}` : why });
    const onAbort = () => fail('stopped');
    const timeUp = () => fail(`did not finish within ${cap} s (too slow here)`);
    let timer = setTimeout(timeUp, cap * 1000);
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<BenchmarkResponse>) => {
      const msg = event.data;
      switch (msg.type) {
        case 'device':
          device = msg.detail;
          if (msg.software && SOFTWARE_CAP_SECONDS < cap) {
            cap = SOFTWARE_CAP_SECONDS;
            clearTimeout(timer);
            timer = setTimeout(timeUp, Math.max(0, started + cap * 1000 - performance.now()));
          }
          return;
        case 'progress':
          onProgress(msg);
          return;
        case 'result':
          finish({ backend, imagesPerSec: msg.imagesPerSec, detail: msg.detail });
          return;
        case 'failed':
          fail(`could not run: ${msg.error}`);
          return;
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fail(`the benchmark worker crashed: ${event.message || 'unknown error'}`);
    };
    const { capSeconds: _cap, ...rounds } = plan;
    worker.postMessage({ type: 'measure', backend, config, ...rounds } satisfies BenchmarkRequest);
  });
}

/**
 * The order backends are measured in: the CPU paths first, on a quiet machine. A GPU backend cut
 * off at its cap leaves the browser's GPU process busy for a while (compiling the kernels asked
 * for), which would slow whatever is measured next; and a software renderer's GPU process runs
 * on the same CPU cores as wasm.
 */
export const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * Measures training images/s of `config` on each of `backends` in turn (see MEASURE_ORDER) and
 * returns one row per backend in BACKENDS order. A backend this browser does not offer, or one
 * that fails or runs past its cap, gets a row with imagesPerSec null and the reason. Stops early
 * (remaining rows "not measured") when `signal` aborts.
 */
export async function runDeviceBenchmark(
  config: TrainConfig,
  onProgress: (p: BenchmarkProgress) => void,
  signal?: AbortSignal,
  backends: readonly BackendName[] = BACKENDS,
): Promise<BackendRate[]> {
  const order = MEASURE_ORDER.filter((b) => backends.includes(b));
  const rows = new Map<BackendName, BackendRate>();
  for (const [index, backend] of order.entries()) {
    if (signal?.aborted) {
      rows.set(backend, { backend, imagesPerSec: null, detail: 'not measured (stopped)' });
      continue;
    }
    if (backend === 'webgpu' && !hasWebGpu()) {
      rows.set(backend, { backend, imagesPerSec: null, detail: 'this browser offers no WebGPU' });
      continue;
    }
    const count = order.length;
    onProgress({ backend, index, count, stage: 'starting', done: 0, total: 0 });
    const row = await measureOne(
      backend,
      config,
      (m) => onProgress({ backend, index, count, stage: m.stage, done: m.done, total: m.total }),
      signal,
    );
    rows.set(backend, row);
  }
  return BACKENDS.flatMap((b) => rows.get(b) ?? []);
}
