/// <reference lib="webworker" />
/**
 * The second thread of the two-thread GEMM (../wasm-parallel-matmul): receives the compiled GEMM
 * module and the shared memory once, instantiates the module over that memory, says 'ready', then
 * blocks in helperLoop for good, computing its share of each product the training worker posts
 * through the shared control block. It never returns to its event loop; its owner terminates it.
 */
import { helperLoop, type GemmFn } from './gemm-team';

declare const self: DedicatedWorkerGlobalScope;

export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number;
}

self.onmessage = async (e: MessageEvent<HelperInit>) => {
  try {
    const { module, memory, ctl } = e.data;
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    self.postMessage('ready');
    helperLoop(memory, instance.exports.gemm as unknown as GemmFn, ctl);
  } catch (err) {
    self.postMessage(`failed: ${String(err)}`);
  }
};
