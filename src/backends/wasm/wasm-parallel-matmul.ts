/**
 * BatchMatMul for the wasm backend with our generated WebAssembly SIMD GEMM (./gemm), on one
 * thread or on two. Used by ./wasm-fast-matmul for float32 products with batch 1 of at least
 * MIN_PARALLEL_FLOPS; everything else (and every product where neither route below is ready)
 * goes to the stock route (XNNPACK after explicit transposes).
 *
 * - One thread, zero copies: the kernel instantiated over TF.js's own wasm memory, reading the
 *   operands where they are (transposed or not) and writing the output tensor. Only where the
 *   engine has relaxed SIMD (fused multiply-adds: Chrome ≥ 114): there it measured ~52 GFLOP/s
 *   in headless Chromium here against XNNPACK's ~32 (22 with the explicit transpose). With
 *   plain mul + add (Node 20, Safari) it is no faster than XNNPACK, so it is not used.
 * - Two threads (./gemm/gemm-team): the training worker and one helper worker each compute half
 *   of the output over a shared WebAssembly.Memory. Needs a cross-origin-isolated page
 *   (SharedArrayBuffer) and a worker thread (Atomics.wait). TF.js's heap stays the non-threaded
 *   build's plain ArrayBuffer, so operands are copied into the shared memory and the product back
 *   (memcpy; ~6 % of the route's time measured in Chromium).
 *
 * Mode 'auto' (the default) times both (the stock route standing in for the one-thread route
 * where that is unavailable) and uses the faster, re-trying the other every PROBE_EVERY products:
 * two threads only pay off when the second core is really free, which on a shared or busy
 * 2-core machine it often is not (then the helper runs after the caller, on the same core).
 */
import { backend_util, env, util, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';
import { buildGemmModule, NR, scratchBytes } from '../gemm/gemm-module';
import { CTL_BYTES, GemmTeam, type GemmArgs, type GemmFn, type Scratch } from '../gemm/gemm-team';
import type { HelperInit } from '../gemm/gemm-helper.worker';

/**
 * Products below this many flops (2·m·n·k) go to the stock route: waking the helper and copying
 * cost tens of µs, the time of a 1–2 MFLOP product.
 */
export const MIN_PARALLEL_FLOPS = 4e6;
/** Our shared memory's maximum (pages of 64 KiB): 1 GiB. */
const MAX_PAGES = 16384;
const READY_TIMEOUT_MS = 20_000;
/** In 'auto' mode, every this many products run the way currently judged slower, to re-time it. */
const PROBE_EVERY = 16;

/**
 * 'auto' (the default): the faster of one and two threads, timed as it runs; 'one-thread': the
 * zero-copy route (or, where it is unavailable, the two-thread route's copies and split with both
 * shares on the calling thread); 'two-threads': always the helper; 'off': the stock route.
 */
export type ParallelMatMulMode = 'auto' | 'off' | 'one-thread' | 'two-threads';

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackendLike {
  wasm: {
    HEAPF32: Float32Array;
    asm?: { memory?: unknown };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

interface Active {
  memory: WebAssembly.Memory;
  team: GemmTeam;
  worker: Worker | null;
}

/** The kernel over one backend's own memory, with scratch malloc'ed there. */
interface Local {
  backend: WasmBackendLike;
  gemm: GemmFn;
  scratch: number;
  scratchSize: number;
}

let active: Active | null = null;
let starting: Promise<boolean> | null = null;
let localModule: WebAssembly.Module | null = null;
let localPreparing: Promise<boolean> | null = null;
let local: Local | null = null;
let fused = false;
let mode: ParallelMatMulMode = 'auto';
/** 'auto': milliseconds per GFLOP of each way (moving averages), products since the last probe. */
const estimate = { one: NaN, two: NaN };
const samples = { one: 0, two: 0 };
const WARM_SAMPLES = 3;
let sinceProbe = 0;
const stats = {
  /** Products computed in place in TF.js's memory, on one thread. */
  zeroCopyCalls: 0,
  /** Products computed through our shared memory … */
  sharedCalls: 0,
  /** … of which on two threads. */
  twoThreadCalls: 0,
  /** 'auto' products sent to the stock route (timed as the one-thread way). */
  stockCalls: 0,
  /** Milliseconds spent copying operands in and products out, and computing, on two threads. */
  copyMs: 0,
  computeMs: 0,
};

const align = (n: number) => Math.ceil(n / 64) * 64;

function relaxedAvailable(): boolean {
  return WebAssembly.validate(buildGemmModule({ shared: false, relaxed: true }));
}

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

/**
 * Compiles the one-thread kernel where the engine has relaxed SIMD (once). Resolves whether it
 * is ready; it is instantiated over a backend's memory on its first product there.
 */
export function prepareSingleThreadGemm(): Promise<boolean> {
  localPreparing ??= (async () => {
    if (!relaxedAvailable()) return false;
    localModule = await WebAssembly.compile(buildGemmModule({ shared: false, relaxed: true }));
    return true;
  })().catch(() => false);
  return localPreparing;
}

/**
 * Starts the helper worker (once; later calls return the same promise). Resolves true when the
 * two-thread route is ready, false when it is not supported here or the helper failed to start.
 * `inline` (tests without a second thread): no worker, the helper's share runs on this thread.
 */
export function startParallelMatMul(options: { inline?: boolean } = {}): Promise<boolean> {
  const inline = options.inline ?? false;
  if (!inline && !parallelMatMulSupported()) return Promise.resolve(false);
  starting ??= (async () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    // Fused multiply-adds where the engine has them (~20 % faster than mul + add).
    fused = relaxedAvailable();
    const bytes = buildGemmModule({ shared: true, maxPages: MAX_PAGES, relaxed: fused });
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const gemm = instance.exports.gemm as unknown as GemmFn;
    let worker: Worker | null = null;
    if (!inline) {
      worker = new Worker(new URL('../gemm/gemm-helper.worker.ts', import.meta.url), {
        type: 'module',
        name: 'gemm-helper',
      });
      const w = worker;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('GEMM helper did not start')),
          READY_TIMEOUT_MS,
        );
        w.onmessage = (e: MessageEvent<string>) => {
          clearTimeout(timer);
          if (e.data === 'ready') resolve();
          else reject(new Error(String(e.data)));
        };
        w.onerror = (e) => {
          clearTimeout(timer);
          reject(new Error(e.message));
        };
        const init: HelperInit = { module, memory, ctl: 0 };
        w.postMessage(init);
      }).catch((err: unknown) => {
        w.terminate();
        throw err;
      });
    }
    active = { memory, team: new GemmTeam(memory, gemm, 0, inline), worker };
    return true;
  })().catch(() => false);
  return starting;
}

export function setParallelMatMulMode(m: ParallelMatMulMode): void {
  mode = m;
}

/**
 * Whether the helper is ready and the one-thread kernel compiled, whether the kernel uses fused
 * multiply-adds, how many products each way computed, and the two-thread route's copy and
 * compute time.
 */
export function parallelMatMulStats() {
  return {
    ready: active !== null,
    singleThreadReady: localModule !== null,
    fused: active !== null ? fused : localModule !== null,
    ...stats,
  };
}

function dropTeam(): void {
  if (active) {
    active.team.quit();
    active.worker?.terminate();
  }
  active = null;
  starting = null;
}

/** Stops the helper and forgets the one-thread kernel (tests); both may be started again. */
export function stopParallelMatMul(): void {
  dropTeam();
  local = null;
  localModule = null;
  localPreparing = null;
  estimate.one = estimate.two = NaN;
  samples.one = samples.two = 0;
}

interface Product {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  k: number;
  n: number;
  aOff: number;
  bOff: number;
  outShape: number[];
}

/** The kernel over `backend`'s memory (instantiated on first use), or null. */
function localFor(backend: WasmBackendLike): Local | null {
  if (localModule === null) return null;
  if (local?.backend === backend) return local;
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || !(memory.buffer instanceof ArrayBuffer))
    return null;
  try {
    const instance = new WebAssembly.Instance(localModule, { env: { memory } });
    local = {
      backend,
      gemm: instance.exports.gemm as unknown as GemmFn,
      scratch: 0,
      scratchSize: 0,
    };
    return local;
  } catch {
    localModule = null;
    return null;
  }
}

/** A's and B's byte strides: A[i][kk], B[kk][j] (row-major, or stored transposed). */
function strides(p: Product) {
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
  if (mode === 'off' || mode === 'two-threads') return null;
  const backend = anyBackend as WasmBackendLike;
  const l = localFor(backend);
  if (l === null) return null;
  stats.zeroCopyCalls++;
  return [l.gemm, ...localScratch(backend, l, k)];
}

/** One thread, in place in TF.js's memory. */
function runLocal(backend: WasmBackendLike, l: Local, p: Product): TensorInfo {
  const [pbuf, tmp] = localScratch(backend, l, p.k);
  const out = backend.makeOutput(p.outShape, 'float32');
  const c = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  const { sam, sak, sbk, sbn } = strides(p);
  const panels = Math.ceil(p.n / NR);
  l.gemm(p.aOff, sam, sak, p.bOff, sbk, sbn, c, p.n * 4, p.n, p.k, 0, p.m, 0, panels, pbuf, tmp);
  stats.zeroCopyCalls++;
  return out;
}

/** Two threads (or, `inline`, both shares here), through copies in our shared memory. */
function runTeam(
  backend: WasmBackendLike,
  act: Active,
  p: Product,
  inline: boolean,
): TensorInfo | null {
  const { m, k, n } = p;
  const { memory, team } = act;
  // Our memory: control block, two threads' scratch, then A, B, C.
  const scratch = scratchBytes(k);
  const own: Scratch = { pbuf: CTL_BYTES, tmp: CTL_BYTES + align(scratch.pbuf) };
  const helperPbuf = own.tmp + align(scratch.tmp);
  const helper: Scratch = { pbuf: helperPbuf, tmp: helperPbuf + align(scratch.pbuf) };
  const A = helper.tmp + align(scratch.tmp);
  const B = A + align(m * k * 4);
  const C = B + align(k * n * 4);
  const end = C + align(m * n * 4);
  if (end > MAX_PAGES * 65536) return null;
  if (end > memory.buffer.byteLength) {
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  }
  const t0 = performance.now();
  const ours = new Float32Array(memory.buffer);
  let heap = backend.wasm.HEAPF32;
  ours.set(heap.subarray(p.aOff / 4, p.aOff / 4 + m * k), A / 4);
  ours.set(heap.subarray(p.bOff / 4, p.bOff / 4 + k * n), B / 4);
  const g: GemmArgs = { a: A, b: B, c: C, ldc: n * 4, m, n, k, ...strides(p) };
  const t1 = performance.now();
  team.inline = inline || act.worker === null;
  team.run(g, own, helper);
  if (team.broken) dropTeam(); // the helper died: one thread from now on
  const t2 = performance.now();
  const out = backend.makeOutput(p.outShape, 'float32');
  const outOff = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  heap = backend.wasm.HEAPF32; // makeOutput may have grown (replaced) the heap
  heap.set(ours.subarray(C / 4, C / 4 + m * n), outOff / 4);
  stats.copyMs += t1 - t0 + (performance.now() - t2);
  stats.computeMs += t2 - t1;
  stats.sharedCalls++;
  if (!team.inline) stats.twoThreadCalls++;
  return out;
}

/** The product's dimensions and operands, or null when it is not one for us. */
function describe(
  backend: WasmBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): Product | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  if (util.sizeFromShape(outerA) !== 1 || util.sizeFromShape(outerB) !== 1) return null;
  const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const k = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  if (k !== kb || 2 * m * n * k < MIN_PARALLEL_FLOPS) return null;
  const aOff = backend.dataIdMap.get(a.dataId)?.memoryOffset;
  const bOff = backend.dataIdMap.get(b.dataId)?.memoryOffset;
  if (aOff == null || bOff == null) return null;
  const outShape = backend_util.assertAndGetBroadcastShape(outerA, outerB).concat([m, n]);
  return { a, b, transposeA, transposeB, m, k, n, aOff, bOff, outShape };
}

/** 'auto': the way to run this product, 'one' or 'two'. */
function choose(): 'one' | 'two' {
  // Each way a few times first (its first product, compiled by the baseline tier, not counted).
  if (samples.two < WARM_SAMPLES || samples.one < WARM_SAMPLES)
    return samples.two <= samples.one ? 'two' : 'one';
  const best = estimate.two <= estimate.one ? 'two' : 'one';
  if (++sinceProbe < PROBE_EVERY) return best;
  sinceProbe = 0;
  return best === 'two' ? 'one' : 'two';
}

function record(way: 'one' | 'two', ms: number, flops: number): void {
  if (++samples[way] === 1) return;
  const v = ms / (flops / 1e9);
  estimate[way] = Number.isNaN(estimate[way]) ? v : 0.8 * estimate[way] + 0.2 * v;
}

/**
 * C = op(A)·op(B) with our kernel, as a new output of `backend`, or null when this product is not
 * for it (not float32, batch > 1, too small, no route ready, mode 'off'): the caller then runs
 * `stock`. In 'auto' mode `stock` may also be called here, when it is the faster way.
 */
export function tryWasmGemm(
  anyBackend: unknown,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  stock: () => TensorInfo,
): TensorInfo | null {
  if (mode === 'off' || (active === null && localModule === null)) return null;
  const backend = anyBackend as WasmBackendLike;
  const p = describe(backend, a, b, transposeA, transposeB);
  if (p === null) return null;
  const l = localFor(backend);
  if (mode === 'one-thread') {
    if (l !== null) return runLocal(backend, l, p);
    return active !== null ? runTeam(backend, active, p, true) : null;
  }
  if (mode === 'two-threads') return active !== null ? runTeam(backend, active, p, false) : null;
  // auto
  if (active === null || active.worker === null) return l !== null ? runLocal(backend, l, p) : null;
  const way = choose();
  const t0 = performance.now();
  let out: TensorInfo | null;
  if (way === 'two') out = runTeam(backend, active, p, false);
  else if (l !== null) out = runLocal(backend, l, p);
  else {
    out = stock();
    stats.stockCalls++;
  }
  if (out !== null) record(way, performance.now() - t0, 2 * p.m * p.n * p.k);
  return out;
}

/**
 * TF.js would load its threaded wasm build on a cross-origin-isolated page; we keep the
 * single-threaded one (our own helper thread does the parallel part, and the threaded build's
 * pthread workers are created from Blob URLs, which neither survive bundling nor our CSP).
 */
export function keepSingleThreadedWasmBuild(): void {
  try {
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } catch {
    // Flag not registered: the wasm backend package is not loaded.
  }
}
