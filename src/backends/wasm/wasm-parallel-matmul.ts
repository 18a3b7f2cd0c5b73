/**
 * BatchMatMul for the wasm backend with our generated WebAssembly SIMD GEMM (../gemm), on one
 * thread or on two. Used by ./wasm-fast-matmul for float32 products of at least
 * MIN_PARALLEL_FLOPS, one or a batch (the transformer's attention: [B·heads, 49, d] by
 * [B·heads, d, 49], split between the threads by items); everything else (and every product where neither route below is ready)
 * goes to the stock route (XNNPACK after explicit transposes).
 *
 * - One thread, zero copies (./wasm-gemm-local): the kernel over TF.js's own wasm memory, where
 *   the engine has relaxed SIMD.
 * - Two threads (./wasm-gemm-team): the worker and one helper each compute half of the output
 *   over a shared memory, on cross-origin-isolated pages.
 *
 * Mode 'auto' (the default) times both (the stock route standing in for the one-thread route
 * where that is unavailable) and uses the faster, re-trying the other every PROBE_EVERY products:
 * two threads only pay off when the second core is really free, which on a shared or busy
 * 2-core machine it often is not (then the helper runs after the caller, on the same core).
 * All of the routes' state is one object, ./wasm-gemm-state's gemmState.
 */
import { backend_util, env, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { localFor, runLocal, type Product } from './wasm-gemm-local';
import { dropTeam, runTeam } from './wasm-gemm-team';
import {
  autoFor,
  chooseWay,
  gemmState,
  recordWay,
  type ParallelMatMulMode,
  type RouteCounts,
  type WasmBackendLike,
} from './wasm-gemm-state';

export { localGemm, prepareSingleThreadGemm } from './wasm-gemm-local';
export { parallelMatMulSupported, startParallelMatMul } from './wasm-gemm-team';
export type { ParallelMatMulMode } from './wasm-gemm-state';

/**
 * Products below this many flops (2·m·n·k) go to the stock route: waking the helper and copying
 * cost tens of µs, the time of a 1–2 MFLOP product.
 */
export const MIN_PARALLEL_FLOPS = 4e6;
export function setParallelMatMulMode(m: ParallelMatMulMode): void {
  gemmState.mode = m;
}

/**
 * Whether the helper is ready and the one-thread kernel compiled, whether the kernel uses fused
 * multiply-adds, how many products each way computed, and the two-thread route's copy and
 * compute time (the bench reports them: src/bench/ours.worker.ts).
 */
export function parallelMatMulStats(): RouteCounts & {
  ready: boolean;
  /** The helper works in TF.js's shared heap (./shared-heap), not through copies. */
  inHeap: boolean;
  singleThreadReady: boolean;
  fused: boolean;
  /** Of the chunks posted to the helper so far, the share it computed (../gemm/gemm-team). */
  helperShare: number;
  helperChunks: number;
} {
  const { team, localModule, teamFused } = gemmState;
  return {
    ready: team !== null,
    inHeap: team !== null && team.heap !== null,
    helperShare: team?.team.helperShare().share ?? 0,
    helperChunks: team?.team.helperShare().chunks ?? 0,
    singleThreadReady: localModule !== null,
    fused: team !== null ? teamFused : localModule !== null,
    ...gemmState.counts,
  };
}

/** Stops the helper and forgets the one-thread kernel; both may be started again. */
export function stopParallelMatMul(): void {
  dropTeam();
  gemmState.local = null;
  gemmState.localModule = null;
  gemmState.localPreparing = null;
  gemmState.autoByShape.clear();
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
  // A batch of products: A and B with the same leading axes, or one of them without any (then
  // each item reads the same operand).
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  if (batchA > 1 && batchB > 1 && !util.arraysEqual(outerA, outerB)) return null;
  const batch = Math.max(batchA, batchB);
  const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const k = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  if (k !== kb || 2 * m * n * k * batch < MIN_PARALLEL_FLOPS) return null;
  const aOff = backend.dataIdMap.get(a.dataId)?.memoryOffset;
  const bOff = backend.dataIdMap.get(b.dataId)?.memoryOffset;
  if (aOff == null || bOff == null) return null;
  const outShape = backend_util.assertAndGetBroadcastShape(outerA, outerB).concat([m, n]);
  const sa = batchA > 1 ? m * k * 4 : 0;
  const sb = batchB > 1 ? k * n * 4 : 0;
  return { transposeA, transposeB, m, k, n, aOff, bOff, outShape, batch, sa, sb };
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
  const { mode, team } = gemmState;
  if (mode === 'off' || (team === null && gemmState.localModule === null)) return null;
  const backend = anyBackend as WasmBackendLike;
  const p = describe(backend, a, b, transposeA, transposeB);
  if (p === null) return null;
  const l = localFor(backend);
  if (mode === 'one-thread') {
    if (l !== null) return runLocal(backend, l, p);
    return team !== null ? runTeam(backend, team, p, true) : null;
  }
  if (mode === 'two-threads') return team !== null ? runTeam(backend, team, p, false) : null;
  // auto
  if (team === null || team.worker === null) return l !== null ? runLocal(backend, l, p) : null;
  const auto = autoFor(`mm ${p.m} ${p.k} ${p.n} ${p.batch} ${+p.transposeA}${+p.transposeB}`);
  const way = chooseWay(auto);
  const t0 = performance.now();
  let out: TensorInfo | null;
  if (way === 'two') out = runTeam(backend, team, p, false);
  else if (l !== null) out = runLocal(backend, l, p);
  else {
    out = stock();
    gemmState.counts.stockCalls++;
  }
  if (out !== null) recordWay(auto, way, performance.now() - t0, 2 * p.m * p.n * p.k * p.batch);
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
