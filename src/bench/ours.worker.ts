/// <reference lib="webworker" />
/**
 * Bench worker, our way: the app's backend start (our wasm kernels, .wasm files served by this
 * site; exactly the backend asked for, no fallback) and the app's Trainer, timed by
 * measureTrainingRate.
 */
import { describeGpu, startOnlyBackend } from '../train/backend';
import { measureTrainingRate } from '../train/measure-rate';
import { configureWasmPaths } from '../worker/wasm-paths';
import { serveBench } from './worker-host';

serveBench({
  way: 'ours',
  start: (backend) => startOnlyBackend(backend, { beforeWasm: configureWasmPaths }),
  describe: async (backend) => (await describeGpu(backend))?.summary ?? null,
  measure: measureTrainingRate,
});
