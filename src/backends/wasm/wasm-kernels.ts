/**
 * Our replacements and additions for the TF.js wasm backend's kernels. Call once the
 * '@tensorflow/tfjs-backend-wasm' package is imported (before or after the backend starts);
 * calling again does nothing. Conv2DBackpropFilter is added on import of ./conv-wasm-gradients.
 */
// Conv2DBackpropFilter, which tfjs-backend-wasm lacks (side effect: registers it for 'wasm').
import './conv-wasm-gradients';
import { installFastWasmConvBackpropInput } from './conv-wasm-backprop-input';
import { installWasmConvFilter } from './wasm-conv-filter';
import { installWasmConvGemm } from './wasm-conv-gemm';
import { installWasmAdam } from './wasm-adam';
import { installFastWasmGather } from './wasm-fast-gather';
import { installFastWasmIdentity } from './wasm-fast-identity';
import { installFastWasmMatMul } from './wasm-fast-matmul';
import { installFastWasmSlice } from './wasm-fast-slice';
import {
  keepSingleThreadedWasmBuild,
  parallelMatMulSupported,
  prepareSingleThreadGemm,
  startParallelMatMul,
} from './wasm-parallel-matmul';
import { installFastWasmSum } from './wasm-fast-sum';

/**
 * Once the wasm backend is initialised: the two-thread route starts in the background, over the
 * backend's heap where that is shared (./shared-heap), where the page is cross-origin isolated.
 */
export function startWasmThreads(backend: unknown): void {
  if (parallelMatMulSupported()) void startParallelMatMul({ backend });
}

export function installWasmKernels(): void {
  // BatchMatMul with our GEMM: on two threads where the page is cross-origin isolated (started
  // by startWasmThreads), on one where the engine has relaxed SIMD (not Node 20); until, or
  // unless, one of them is ready, products take the XNNPACK route of installFastWasmMatMul.
  keepSingleThreadedWasmBuild();
  void prepareSingleThreadGemm();
  installFastWasmMatMul();
  installFastWasmGather();
  // Slices read in place, not from a copy of the whole input (k-means' and EM's chunks).
  installFastWasmSlice();
  // Identity shares its input's data instead of copying it (gradients run it ~60 times a step).
  installFastWasmIdentity();
  installFastWasmConvBackpropInput();
  // Conv2D (and so our conv gradients, built from it) as im2col + the same GEMM where it pays.
  installWasmConvGemm();
  // Conv2DBackpropFilter from im2col blocks and the same GEMM, no transposes (over the
  // dilated-conv kernel of ./conv-wasm-gradients, which stays the fallback).
  installWasmConvFilter();
  installFastWasmSum();
  // Adam's update of each variable in one pass (src/train/fused-adam.ts).
  installWasmAdam();
}
