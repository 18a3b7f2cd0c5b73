/**
 * The one-thread route of ./wasm-parallel-matmul: our GEMM instantiated over TF.js's own wasm
 * memory, reading the operands where they are (transposed or not) and writing the output tensor
 * in place, zero copies. Only where the engine has relaxed SIMD (fused multiply-adds: Chrome ≥
 * 114): there it measured ~52 GFLOP/s in headless Chromium here against XNNPACK's ~32 (22 with
 * the explicit transpose); with plain mul + add (Node 20, Safari) it is no faster than XNNPACK.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { buildGemmModule, NR, scratchBytes } from '../gemm/gemm-module';
import type { GemmFn } from '../gemm/gemm-team';
import { align, gemmState, type Local, type WasmBackendLike } from './wasm-gemm-state';
import { HEAP_MAX_PAGES, isSharedMemory } from './shared-heap';

/** C = op(A)·op(B) [m, n] from operands at byte offsets aOff, bOff of a backend's memory. */
export interface Product {
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  k: number;
  n: number;
  aOff: number;
  bOff: number;
  outShape: number[];
  /** Items of a batch (1: one product), and A's and B's byte strides between them (0: shared). */
  batch: number;
  sa: number;
  sb: number;
}

export function relaxedAvailable(): boolean {
  return WebAssembly.validate(buildGemmModule({ shared: false, relaxed: true }));
}

/**
 * Compiles the one-thread kernel where the engine has relaxed SIMD (once). Resolves whether it
 * is ready; it is instantiated over a backend's memory on its first product there.
 */
export function prepareSingleThreadGemm(): Promise<boolean> {
  gemmState.localPreparing ??= (async () => {
    if (!relaxedAvailable()) return false;
    const bytes = buildGemmModule({ shared: false, relaxed: true });
    gemmState.localModule = await WebAssembly.compile(bytes);
    return true;
  })().catch(() => false);
  return gemmState.localPreparing;
}

/** The kernel over `backend`'s memory (instantiated on first use), or null. */
export function localFor(backend: WasmBackendLike): Local | null {
  const module = gemmState.localModule;
  if (module === null) return null;
  if (gemmState.local?.backend === backend) return gemmState.local;
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  try {
    // A shared heap (./shared-heap) takes the same kernel built for a shared memory.
    const shared = isSharedMemory(memory);
    const compiled = shared ? sharedVariant() : module;
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    const gemm = instance.exports.gemm as unknown as GemmFn;
    gemmState.local = { backend, gemm, scratch: 0, scratchSize: 0 };
    return gemmState.local;
  } catch {
    gemmState.localModule = null;
    return null;
  }
}

let sharedModule: WebAssembly.Module | null = null;

/** The one-thread kernel for a shared heap (compiled on first use: a few kB, a few ms). */
function sharedVariant(): WebAssembly.Module {
  sharedModule ??= new WebAssembly.Module(
    buildGemmModule({ shared: true, maxPages: HEAP_MAX_PAGES, relaxed: true }),
  );
  return sharedModule;
}

/** A's and B's byte strides: A[i][kk], B[kk][j] (row-major, or stored transposed). */
export function strides(p: Product) {
  return {
    sam: p.transposeA ? 4 : p.k * 4,
    sak: p.transposeA ? p.m * 4 : 4,
    sbk: p.transposeB ? 4 : p.n * 4,
    sbn: p.transposeB ? p.k * 4 : 4,
  };
}

/** `l`'s scratch (malloc'ed in the backend's memory) grown for depth k: [pbuf, tmp]. */
function localScratch(backend: WasmBackendLike, l: Local, k: number): [number, number] {
  const s = scratchBytes(k);
  const need = align(s.pbuf) + s.tmp;
  if (l.scratchSize < need) {
    if (l.scratch !== 0) backend.wasm._free(l.scratch);
    l.scratch = backend.wasm._malloc(need);
    l.scratchSize = need;
  }
  return [l.scratch, l.scratch + align(s.pbuf)];
}

/**
 * The one-thread kernel over `backend`'s memory with scratch for depth k (./wasm-conv-gemm calls
 * it on blocks of rows), or null where it is not ready or mode is 'off' or 'two-threads'.
 */
export function localGemm(anyBackend: unknown, k: number): [GemmFn, number, number] | null {
  if (gemmState.mode === 'off' || gemmState.mode === 'two-threads') return null;
  const backend = anyBackend as WasmBackendLike;
  const l = localFor(backend);
  if (l === null) return null;
  gemmState.counts.zeroCopyCalls++;
  return [l.gemm, ...localScratch(backend, l, k)];
}

/** One thread, in place in TF.js's memory. */
export function runLocal(backend: WasmBackendLike, l: Local, p: Product): TensorInfo {
  const [pbuf, tmp] = localScratch(backend, l, p.k);
  const out = backend.makeOutput(p.outShape, 'float32');
  const c = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  const { sam, sak, sbk, sbn } = strides(p);
  const panels = Math.ceil(p.n / NR);
  const sc = p.m * p.n * 4;
  for (let i = 0; i < p.batch; i++) {
    const [a, b] = [p.aOff + i * p.sa, p.bOff + i * p.sb];
    l.gemm(a, sam, sak, b, sbk, sbn, c + i * sc, p.n * 4, p.n, p.k, 0, p.m, 0, panels, pbuf, tmp);
  }
  gemmState.counts.zeroCopyCalls++;
  return out;
}
