/// <reference lib="webworker" />
/**
 * Bench worker, our way: the app's backend start (our wasm kernels, .wasm files served by this
 * site; exactly the backend asked for, no fallback) and the app's Trainer, timed by
 * measureTrainingRate. On wasm a request may pin the GEMM to one or two threads (`matmul`), so
 * that the bench can time the routes apart; the counts of products each route took come back.
 * With `profileSteps`, a few more steps run under the kernel profiler (profiled-steps.ts).
 */
import {
  parallelMatMulStats,
  prepareSingleThreadGemm,
  setParallelMatMulMode,
  startParallelMatMul,
} from '../backends/wasm/wasm-parallel-matmul';
import { describeGpu, startOnlyBackend } from '../backends/setup';
import { measureTrainingRate } from '../train/measure-rate';
import { configureWasmPaths } from '../backends/wasm/wasm-paths';
import type { BenchRequest } from './protocol';
import { serveBench } from './worker-host';

/** The route counters before the measurement (the backend's smoke test may take products). */
let base = parallelMatMulStats();

async function prepare(request: BenchRequest): Promise<void> {
  if (request.backend !== 'wasm') return;
  const mode = request.matmul ?? 'auto';
  // Both kernels start in the background with the backend; a pinned route waits for its own
  // (else its first products would take the XNNPACK route until it is ready).
  if (mode === 'two-threads' && !(await startParallelMatMul()))
    throw new Error(
      'two threads: the GEMM helper did not start (is the page cross-origin isolated?)',
    );
  if (mode === 'one-thread') await prepareSingleThreadGemm();
  setParallelMatMulMode(mode);
  base = parallelMatMulStats();
}

/** The helper's share of the chunks posted during the measurement. */
function helperPart(s: ReturnType<typeof parallelMatMulStats>) {
  const chunks = s.helperChunks - base.helperChunks;
  const helped = s.helperShare * s.helperChunks - base.helperShare * base.helperChunks;
  return {
    helperChunks: chunks,
    helperShare: chunks > 0 ? Math.round((100 * helped) / chunks) / 100 : 0,
  };
}

function routes(request: BenchRequest) {
  if (request.backend !== 'wasm') return null;
  const s = parallelMatMulStats();
  return {
    mode: request.matmul ?? 'auto',
    zeroCopyCalls: s.zeroCopyCalls - base.zeroCopyCalls,
    sharedCalls: s.sharedCalls - base.sharedCalls,
    twoThreadCalls: s.twoThreadCalls - base.twoThreadCalls,
    inPlaceCalls: s.inPlaceCalls - base.inPlaceCalls,
    stockCalls: s.stockCalls - base.stockCalls,
    copyMs: Math.round(s.copyMs - base.copyMs),
    ...helperPart(s),
    computeMs: Math.round(s.computeMs - base.computeMs),
  };
}

serveBench({
  way: 'ours',
  start: (backend) => startOnlyBackend(backend, { beforeWasm: configureWasmPaths }),
  describe: async (backend) => (await describeGpu(backend))?.summary ?? null,
  measure: measureTrainingRate,
  prepare,
  routes,
  profiles: true,
});
