/// <reference lib="webworker" />
/**
 * Bench worker, the naive way (naive-rate.ts) on the stock backend (stock-backend.ts). A worker
 * has its own kernel registry, so nothing of ours.worker.ts reaches it; only the
 * Conv2DBackpropFilter kernel imported below (src/backends/wasm/conv-wasm-gradients.ts) is ours,
 * and without it conv models cannot train on wasm at all.
 */
// The one kernel of ours here: without it conv models cannot train on wasm (side effect; the
// conv layers no longer import it, our wasm kernels' install does, which this worker never runs).
import '../backends/wasm/conv-wasm-gradients';
import { configureWasmPaths } from '../backends/wasm/wasm-paths';
import { measureNaiveRate } from './naive-rate';
import { startStockBackend } from './stock-backend';
import { serveBench } from './worker-host';

serveBench({
  way: 'naive',
  start: (backend) => startStockBackend(backend, configureWasmPaths),
  measure: measureNaiveRate,
});
