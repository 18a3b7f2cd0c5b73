/**
 * The two-thread route of ./wasm-parallel-matmul (../gemm/gemm-team): the training worker and
 * one helper worker each compute half of the output over a shared WebAssembly.Memory. Needs a
 * cross-origin-isolated page (SharedArrayBuffer) and a worker thread (Atomics.wait). TF.js's heap
 * stays the non-threaded build's plain ArrayBuffer, so operands are copied into the shared memory
 * and the product back (memcpy; ~6 % of the route's time measured in Chromium).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { buildGemmModule, scratchBytes } from '../gemm/gemm-module';
import { CTL_BYTES, GemmTeam, type GemmArgs, type GemmFn, type Scratch } from '../gemm/gemm-team';
import type { HelperInit } from '../gemm/gemm-helper.worker';
import { relaxedAvailable, strides, type Product } from './wasm-gemm-local';
import { align, gemmState, type Team, type WasmBackendLike } from './wasm-gemm-state';

/** Our shared memory's maximum (pages of 64 KiB): 1 GiB. */
export const MAX_PAGES = 16384;
const READY_TIMEOUT_MS = 20_000;

/** Whether this context can run the two-thread route at all. */
export function parallelMatMulSupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return (
    g.crossOriginIsolated === true &&
    typeof SharedArrayBuffer !== 'undefined' &&
    typeof Worker !== 'undefined' &&
    typeof Atomics.wait === 'function' &&
    // Only a worker may block in Atomics.wait; a page's main thread may not.
    typeof (globalThis as { document?: unknown }).document === 'undefined'
  );
}

/** Starts the helper worker over `module` and `memory`; resolves once it says it is ready. */
async function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory) {
  const worker = new Worker(new URL('../gemm/gemm-helper.worker.ts', import.meta.url), {
    type: 'module',
    name: 'gemm-helper',
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('GEMM helper did not start')),
      READY_TIMEOUT_MS,
    );
    worker.onmessage = (e: MessageEvent<string>) => {
      clearTimeout(timer);
      if (e.data === 'ready') resolve();
      else reject(new Error(String(e.data)));
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      reject(new Error(e.message));
    };
    const init: HelperInit = { module, memory, ctl: 0 };
    worker.postMessage(init);
  }).catch((err: unknown) => {
    worker.terminate();
    throw err;
  });
  return worker;
}

/**
 * Starts the helper worker (once; later calls return the same promise). Resolves true when the
 * two-thread route is ready, false when it is not supported here or the helper failed to start.
 * `inline` (tests without a second thread): no worker, the helper's share runs on this thread.
 */
export function startParallelMatMul(options: { inline?: boolean } = {}): Promise<boolean> {
  const inline = options.inline ?? false;
  if (!inline && !parallelMatMulSupported()) return Promise.resolve(false);
  gemmState.teamStarting ??= (async () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    // Fused multiply-adds where the engine has them (~20 % faster than mul + add).
    const fused = relaxedAvailable();
    const bytes = buildGemmModule({ shared: true, maxPages: MAX_PAGES, relaxed: fused });
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const gemm = instance.exports.gemm as unknown as GemmFn;
    const worker = inline ? null : await startHelper(module, memory);
    gemmState.teamFused = fused;
    gemmState.team = { memory, team: new GemmTeam(memory, gemm, 0, inline), worker };
    return true;
  })().catch(() => false);
  return gemmState.teamStarting;
}

/** Stops the helper (it may be started again). */
export function dropTeam(): void {
  const t = gemmState.team;
  if (t) {
    t.team.quit();
    t.worker?.terminate();
  }
  gemmState.team = null;
  gemmState.teamStarting = null;
}

/**
 * The start of our memory for a job of depth k: the control block, then this thread's and the
 * helper's scratch; `next` is the first byte after them (the job's own buffers go there).
 */
export function teamScratch(k: number): { own: Scratch; helper: Scratch; next: number } {
  const s = scratchBytes(k);
  const own: Scratch = { pbuf: CTL_BYTES, tmp: CTL_BYTES + align(s.pbuf) };
  const hp = own.tmp + align(s.tmp);
  const helper: Scratch = { pbuf: hp, tmp: hp + align(s.pbuf) };
  return { own, helper, next: helper.tmp + align(s.tmp) };
}

/** Grows our memory to `end` bytes at least; false when that is past its maximum. */
export function fitMemory(memory: WebAssembly.Memory, end: number): boolean {
  if (end > MAX_PAGES * 65536) return false;
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / 65536));
  return true;
}

/** Two threads (or, `inline`, both shares here), through copies in our shared memory. */
export function runTeam(
  backend: WasmBackendLike,
  act: Team,
  p: Product,
  inline: boolean,
): TensorInfo | null {
  const { m, k, n } = p;
  const { memory, team } = act;
  // A batch's operands: sizes of A and B (one item when shared by all), C.
  const aItems = p.sa > 0 ? p.batch : 1;
  const bItems = p.sb > 0 ? p.batch : 1;
  const counts = gemmState.counts;
  // Our memory: control block, two threads' scratch, then A, B, C.
  const { own, helper, next: A } = teamScratch(k);
  const B = A + align(aItems * m * k * 4);
  const C = B + align(bItems * k * n * 4);
  if (!fitMemory(memory, C + align(p.batch * m * n * 4))) return null;
  const t0 = performance.now();
  const ours = new Float32Array(memory.buffer);
  let heap = backend.wasm.HEAPF32;
  ours.set(heap.subarray(p.aOff / 4, p.aOff / 4 + aItems * m * k), A / 4);
  ours.set(heap.subarray(p.bOff / 4, p.bOff / 4 + bItems * k * n), B / 4);
  const g: GemmArgs = { a: A, b: B, c: C, ldc: n * 4, m, n, k, ...strides(p) };
  const t1 = performance.now();
  team.inline = inline || act.worker === null;
  team.run(g, own, helper, { count: p.batch, sa: p.sa, sb: p.sb, sc: m * n * 4 });
  if (team.broken) dropTeam(); // the helper died: one thread from now on
  const t2 = performance.now();
  const out = backend.makeOutput(p.outShape, 'float32');
  const outOff = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  heap = backend.wasm.HEAPF32; // makeOutput may have grown (replaced) the heap
  heap.set(ours.subarray(C / 4, C / 4 + p.batch * m * n), outOff / 4);
  counts.copyMs += t1 - t0 + (performance.now() - t2);
  counts.computeMs += t2 - t1;
  counts.sharedCalls++;
  if (!team.inline) counts.twoThreadCalls++;
  return out;
}
