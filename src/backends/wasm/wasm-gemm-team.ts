/**
 * The two-thread route of ./wasm-parallel-matmul (../gemm/gemm-team): the training worker and
 * one helper worker each compute half of the output over a shared WebAssembly.Memory. Needs a
 * cross-origin-isolated page (SharedArrayBuffer) and a worker thread (Atomics.wait).
 * That memory is TF.js's own heap where ./shared-heap made it shared (the app's and the bench's
 * workers): operands are read and the product written in place, the scratch malloc'ed there.
 * Otherwise (a heap that is a plain ArrayBuffer) it is a memory of our own: operands are copied
 * into it and the product back (memcpy; 10–15 % of the route's time measured in Chromium).
 */
import { backend, getBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { buildGemmModule, scratchBytes } from '../gemm/gemm-module';
import { CTL_BYTES, GemmTeam, type GemmArgs, type GemmFn, type Scratch } from '../gemm/gemm-team';
import type { HelperInit } from '../gemm/gemm-helper.worker';
import { relaxedAvailable, strides, type Product } from './wasm-gemm-local';
import { align, gemmState, type Team, type WasmBackendLike } from './wasm-gemm-state';
import { HEAP_MAX_PAGES, isSharedMemory } from './shared-heap';

/** Our shared memory's maximum (pages of 64 KiB), the shared heap's: one compiled kernel for both. */
export const MAX_PAGES = HEAP_MAX_PAGES;
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
async function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, ctl: number) {
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
    const init: HelperInit = { module, memory, ctl };
    worker.postMessage(init);
  }).catch((err: unknown) => {
    worker.terminate();
    throw err;
  });
  return worker;
}

/** `backend` when it is tfjs-backend-wasm with a shared heap (./shared-heap), else null. */
function sharedHeapOf(backend: unknown): WasmBackendLike | null {
  const b = backend as Partial<WasmBackendLike> | null | undefined;
  return isSharedMemory(b?.wasm?.asm?.memory) ? (b as WasmBackendLike) : null;
}

/**
 * Starts the helper worker (once; later calls return the same promise). Resolves true when the
 * two-thread route is ready, false when it is not supported here or the helper failed to start.
 * Over `backend`'s heap where that is shared (start it once the backend is initialised), else
 * over a memory of our own.
 * `inline` (tests without a second thread): no worker, the helper's share runs on this thread.
 */
export function startParallelMatMul(
  options: { inline?: boolean; backend?: unknown } = {},
): Promise<boolean> {
  const inline = options.inline ?? false;
  if (!inline && !parallelMatMulSupported()) return Promise.resolve(false);
  gemmState.teamStarting ??= (async () => {
    const heap = sharedHeapOf(options.backend ?? (getBackend() === 'wasm' ? backend() : null));
    const memory = heap
      ? (heap.wasm.asm!.memory as WebAssembly.Memory)
      : new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    // The control block: at 0 in our memory, malloc'ed (zeroed here) in a shared heap.
    const ctl = heap ? align(heap.wasm._malloc(CTL_BYTES + 64)) : 0;
    if (heap) new Uint8Array(memory.buffer, ctl, CTL_BYTES).fill(0);
    // Fused multiply-adds where the engine has them (~20 % faster than mul + add).
    const fused = relaxedAvailable();
    const bytes = buildGemmModule({ shared: true, maxPages: MAX_PAGES, relaxed: fused });
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const gemm = instance.exports.gemm as unknown as GemmFn;
    const worker = inline ? null : await startHelper(module, memory, ctl);
    gemmState.teamFused = fused;
    const team = new GemmTeam(memory, gemm, ctl, inline);
    gemmState.team = { memory, team, worker, heap, region: { ptr: 0, size: 0 } };
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
    // The control block stays: a helper still leaving its loop may read it.
    if (t.heap && t.region.ptr !== 0) t.heap.wasm._free(t.region.ptr);
  }
  gemmState.team = null;
  gemmState.teamStarting = null;
}

/**
 * The layout of a job of depth k from `start` (64-aligned): this thread's and the helper's
 * scratch; `next` is the first byte after them (the job's own buffers go there). In our memory
 * `start` is CTL_BYTES (the control block comes first); in a shared heap, workspace()'s address.
 */
export function teamScratch(
  k: number,
  start = CTL_BYTES,
): { own: Scratch; helper: Scratch; next: number } {
  const s = scratchBytes(k);
  const own: Scratch = { pbuf: start, tmp: start + align(s.pbuf) };
  const hp = own.tmp + align(s.tmp);
  const helper: Scratch = { pbuf: hp, tmp: hp + align(s.pbuf) };
  return { own, helper, next: helper.tmp + align(s.tmp) };
}

/**
 * In a team over `backend`'s shared heap, the 64-aligned address of `bytes` bytes of scratch
 * malloc'ed there (kept, and grown, from job to job); null when the team is over another memory
 * (our own, or another backend's heap) or malloc fails.
 */
export function heapWorkspace(act: Team, backend: WasmBackendLike, bytes: number): number | null {
  if (act.heap !== backend) return null;
  const r = act.region;
  if (r.size < bytes) {
    if (r.ptr !== 0) backend.wasm._free(r.ptr);
    const size = align(Math.ceil(bytes * 1.25));
    r.ptr = backend.wasm._malloc(size + 64);
    r.size = r.ptr === 0 ? 0 : size;
  }
  return r.ptr === 0 ? null : align(r.ptr);
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
  if (act.heap !== null) return runTeamInPlace(backend, act, p, inline);
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

/** Two threads over the shared heap: operands where they are, the product written in place. */
function runTeamInPlace(
  backend: WasmBackendLike,
  act: Team,
  p: Product,
  inline: boolean,
): TensorInfo | null {
  const { m, k, n } = p;
  const start = heapWorkspace(act, backend, teamScratch(k, 0).next);
  if (start === null) return null;
  const { own, helper } = teamScratch(k, start);
  const out = backend.makeOutput(p.outShape, 'float32');
  const c = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  const g: GemmArgs = { a: p.aOff, b: p.bOff, c, ldc: n * 4, m, n, k, ...strides(p) };
  const t0 = performance.now();
  const { team } = act;
  team.inline = inline || act.worker === null;
  team.run(g, own, helper, { count: p.batch, sa: p.sa, sb: p.sb, sc: m * n * 4 });
  if (team.broken) dropTeam(); // the helper died: one thread from now on
  const counts = gemmState.counts;
  counts.computeMs += performance.now() - t0;
  counts.sharedCalls++;
  counts.inPlaceCalls++;
  if (!team.inline) counts.twoThreadCalls++;
  return out;
}
