/**
 * BatchMatMul for TF.js's pure-JS `cpu` backend with our generated WebAssembly SIMD GEMM (./gemm).
 *
 * The cpu backend is what TF.js falls back to when its wasm backend cannot start (no .wasm files
 * served, a CSP without 'wasm-unsafe-eval' for them, a failed fetch …). Its BatchMatMul is a
 * scalar blocked triple loop in JavaScript (~1 GFLOP/s here), and products are the bulk of a
 * training step: 72 % of an MLP VAE step at batch 128 (`npm run train -- --backend cpu
 * --profile 5`: 624 of 868 ms/step in BatchMatMul). Where the engine still has WebAssembly SIMD,
 * products go to our GEMM instead (~25–30 GFLOP/s); without it the stock JS kernel remains.
 *
 * The GEMM runs over its own WebAssembly.Memory (the cpu backend keeps its tensors in JS typed
 * arrays): per product, A and B are copied in, gemm() runs, and C is copied out into a new
 * tensor of the backend. Copies are O(mk + kn + mn) against the product's O(mkn).
 *   C[bi] = op(A[bi % batchA]) · op(B[bi % batchB])   [batch, m, n], op = transpose or not
 * Transposes cost nothing: they are the GEMM's byte strides (see gemm-module.ts).
 * With relaxed SIMD (Chrome ≥ 114) each mul + add is one f32x4.relaxed_madd, else plain SIMD.
 *
 * Products go to the stock kernel when: the GEMM is not ready (no WebAssembly or SIMD, not yet
 * compiled), an operand is not float32, a dimension is 0, or the product is tiny (< MIN_FLOPS,
 * where the calls and copies cost more than the JS loop).
 */
import {
  BatchMatMul,
  broadcast_util,
  util,
  type BatchMatMulAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';
import { type CpuBackendLike, float32Values } from './cpu-backend-like';
import { buildGemmModule, NR, scratchBytes } from '../gemm/gemm-module';
import type { GemmFn } from '../gemm/gemm-team';

const CPU = 'cpu';
/** Products below this many flops (2·batch·m·n·k) run in the stock kernel. */
export const MIN_FLOPS = 2e4;
/** Our memory's maximum, in 64 KiB pages: 1 GiB. */
const MAX_PAGES = 16384;

interface Gemm {
  memory: WebAssembly.Memory;
  gemm: GemmFn;
  relaxed: boolean;
}

let gemm: Gemm | null = null;
let preparing: Promise<boolean> | null = null;

const align = (n: number) => Math.ceil(n / 64) * 64;

function simdModule(relaxed: boolean): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = buildGemmModule({ shared: false, relaxed, maxPages: MAX_PAGES });
  return WebAssembly.validate(bytes) ? bytes : null;
}

/**
 * Compiles and instantiates the GEMM (once; later calls return the same promise). Resolves
 * whether it is ready. `relaxed`: force fused multiply-adds on or off (tests); by default they
 * are used where the engine validates them.
 */
export function prepareCpuGemm(options: { relaxed?: boolean } = {}): Promise<boolean> {
  preparing ??= (async () => {
    const relaxed = options.relaxed ?? simdModule(true) !== null;
    const bytes = simdModule(relaxed);
    if (bytes === null) return false;
    const memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES });
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    gemm = { memory, gemm: instance.exports.gemm as unknown as GemmFn, relaxed };
    return true;
  })().catch(() => false);
  return preparing;
}

/** Forgets the GEMM (tests); prepareCpuGemm may be called again. */
export function resetCpuGemm(): void {
  gemm = null;
  preparing = null;
}

/** Whether the GEMM is ready and whether it fuses multiply-adds. */
export function cpuGemmStatus(): { ready: boolean; relaxed: boolean } {
  return { ready: gemm !== null, relaxed: gemm?.relaxed ?? false };
}

/** Writes an operand, as stored, into `heap` from float index `at` on. */
export type Fill = (heap: Float32Array, at: number) => void;

/**
 * `batch` products C[bi] = op(A[bi % batchA]) · op(B[bi % batchB]), each [m, n], in our memory.
 * A is stored [m, k] ([k, m] with transposeA), B [k, n] ([n, k] with transposeB), batches
 * back to back. `read` gets the heap and the float index of C [batch, m, n] (valid until the
 * next product). Null when the GEMM is not ready or the operands do not fit.
 */
export interface GemmSpec {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  fillA: Fill;
  fillB: Fill;
  batchA?: number;
  batchB?: number;
}

export function cpuGemm<R>(p: GemmSpec, read: (heap: Float32Array, at: number) => R): R | null {
  const g = gemm;
  if (g === null) return null;
  const { m, k, n, transposeA, transposeB } = p;
  const batchA = p.batchA ?? 1;
  const batchB = p.batchB ?? 1;
  const batch = Math.max(batchA, batchB);
  // Our memory: packed-B panel and edge tile, then A, B, C (all batches).
  const s = scratchBytes(k);
  const pbuf = 0;
  const tmp = align(s.pbuf);
  const A = tmp + align(s.tmp);
  const B = A + align(batchA * m * k * 4);
  const C = B + align(batchB * k * n * 4);
  const end = C + batch * m * n * 4;
  if (end > MAX_PAGES * 65536) return null;
  const have = g.memory.buffer.byteLength;
  if (end > have) g.memory.grow(Math.ceil((end - have) / 65536));
  const heap = new Float32Array(g.memory.buffer);
  p.fillA(heap, A / 4);
  p.fillB(heap, B / 4);

  // Byte strides of A[i][kk] and B[kk][j], stored row-major or transposed.
  const sam = transposeA ? 4 : k * 4;
  const sak = transposeA ? m * 4 : 4;
  const sbk = transposeB ? 4 : n * 4;
  const sbn = transposeB ? k * 4 : 4;
  const panels = Math.ceil(n / NR);
  for (let bi = 0; bi < batch; bi++) {
    const aOff = A + (bi % batchA) * m * k * 4;
    const bOff = B + (bi % batchB) * k * n * 4;
    const cOff = C + bi * m * n * 4;
    g.gemm(aOff, sam, sak, bOff, sbk, sbn, cOff, n * 4, n, k, 0, m, 0, panels, pbuf, tmp);
  }
  return read(heap, C / 4);
}

/** Copies `values` in (a Fill). */
export const copyIn =
  (values: Float32Array): Fill =>
  (heap, at) =>
    heap.set(values, at);

/** C = op(A)·op(B) with the GEMM as a new cpu tensor, or null when it is not for the GEMM. */
function gemmMatMul(
  backend: CpuBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const k = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  const outShape = broadcast_util.assertAndGetBroadcastShape(outerA, outerB).concat([m, n]);
  if (2 * Math.max(batchA, batchB) * m * n * k < MIN_FLOPS) return null;
  const av = float32Values(backend, a);
  const bv = float32Values(backend, b);
  if (av === null || bv === null) return null;
  const spec = { m, k, n, transposeA, transposeB, batchA, batchB };
  const values = cpuGemm({ ...spec, fillA: copyIn(av), fillB: copyIn(bv) }, (heap, at) =>
    heap.slice(at, at + util.sizeFromShape(outShape)),
  );
  return values === null ? null : backend.makeTensorInfo(outShape, 'float32', values);
}

/** Installs the override (once); returns false when the cpu backend package is not loaded yet. */
export function installCpuFastMatMul(): boolean {
  return overrideKernel(CPU, BatchMatMul, () => (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const backend = args.backend as unknown as CpuBackendLike;
    return gemmMatMul(backend, a, b, transposeA, transposeB);
  });
}
