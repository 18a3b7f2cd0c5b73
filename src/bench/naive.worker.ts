/// <reference lib="webworker" />
/**
 * Bench worker, the naive way (naive-rate.ts) on the stock backend (stock-backend.ts). A worker
 * has its own kernel registry, so nothing of ours.worker.ts reaches it; only the
 * Conv2DBackpropFilter kernel imported here (src/backends/wasm/conv-wasm-gradients.ts, built on
 * the stock Conv2D) is ours: tfjs-backend-wasm lacks it, and without it conv models cannot train
 * on wasm at all.
 */
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
