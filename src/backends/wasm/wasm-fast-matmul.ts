/**
 * Routes every wasm BatchMatMul through XNNPACK's fast GEMM (call once the wasm backend package
 * is loaded, before or after the backend starts).
 *
 * tfjs-backend-wasm 4.22 hands a matmul to XNNPACK's fully-connected operator only when neither
 * operand is transposed and both have batch 1 (batch_mat_mul_impl.cc); every other case runs a
 * scalar triple loop. Training hits that loop all the time: for y = x·W the gradients are
 *   ∂L/∂x = dy · Wᵀ   (transposeB)   and   ∂L/∂W = xᵀ · dy   (transposeA),
 * which measured on this machine (Node, wasm SIMD, one thread, [128,784]×[784,512]):
 *   x·W 3.6 ms (28 GFLOP/s), dy·Wᵀ 44 ms (2.3 GFLOP/s), xᵀ·dy 89 ms (1.2 GFLOP/s).
 * Transposing the operand explicitly first (a copy, O(mk) against the product's O(mkn)) and then
 * multiplying untransposed takes 5.3 ms and 3.9 ms: 8–20× faster, same numbers up to float
 * summation order.
 *
 * For rank-3 operands with batch > 1 the original kernel is kept (no XNNPACK path exists), but the
 * transposes still go first, so the loop reads memory in order. The wrapper keeps the original
 * kernel's setupFunc, which binds its C function when the backend starts.
 *
 * Large float32 products with batch 1 go first to ./wasm-parallel-matmul (our own GEMM, on one
 * thread or two), where it is ready; the route above is the fallback.
 */
import {
  BatchMatMul,
  getKernel,
  Transpose,
  type BatchMatMulAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { overrideKernel, type KernelArgs } from '../shared/override-kernel';
import { tryWasmGemm } from './wasm-parallel-matmul';

const WASM = 'wasm';

/** perm that swaps the last two axes of a rank-r tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Explicit transposes, then XNNPACK (or, batched, the original loop). */
function transposedFirst(original: KernelFunc, transpose: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend: anyBackend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if (!transposeA && !transposeB) return original(args) as TensorInfo;
    const backend = anyBackend as KernelBackend;
    const temps: TensorInfo[] = [];
    const flip = (t: TensorInfo): TensorInfo => {
      const out = transpose({
        inputs: { x: t },
        backend,
        attrs: { perm: swapLastTwo(t.shape.length) },
      }) as TensorInfo;
      temps.push(out);
      return out;
    };
    try {
      return original({
        inputs: { a: transposeA ? flip(a) : a, b: transposeB ? flip(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/** Installs the override; returns false when the wasm backend package is not loaded yet. */
export function installFastWasmMatMul(): boolean {
  const transpose = getKernel(Transpose, WASM);
  if (transpose === undefined) return false;
  return overrideKernel(WASM, BatchMatMul, (original) => {
    const stock = transposedFirst(original, transpose.kernelFunc);
    return (args) => {
      const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      // Our own GEMM (./wasm-parallel-matmul) where it is ready: on two threads on
      // cross-origin-isolated pages, on one with fused multiply-adds where the engine has them.
      const ours = tryWasmGemm(args.backend, a, b, transposeA, transposeB, () => stock(args));
      return ours ?? stock(args);
    };
  });
}
