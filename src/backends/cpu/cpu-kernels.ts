/**
 * Our replacements for the TF.js cpu backend's kernels. Call once the
 * '@tensorflow/tfjs-backend-cpu' package is imported (before or after the backend starts);
 * calling again does nothing. Installed only by src/backends/setup.ts's register('cpu') (and the
 * Node CLI): the naive bench (src/bench/stock-backend.ts) and the unit tests, which use the cpu
 * backend as their reference, keep the stock kernels.
 *
 * The cpu backend is TF.js's fallback when its wasm backend cannot start. Where the engine still
 * has WebAssembly SIMD, products and convolutions (the bulk of the work) go to our GEMM
 * (./cpu-fast-matmul; ./cpu-fast-conv: im2col / col2im around it); without WebAssembly the stock
 * JS kernels remain for them. Elementwise kernels (Add, Sub, Multiply, RealDiv:
 * ./cpu-fast-elementwise; Sqrt, Exp, Relu …: ./cpu-fast-unary) and Sum over leading axes
 * (./cpu-fast-sum) run the stock formulas in one tight JS loop each, bit-identical to the stock
 * kernels and a few times faster.
 */
import { installCpuAdam } from '../shared/fused-adam';
import { installCpuFastConv } from './cpu-fast-conv';
import { installCpuFastElementwise } from './cpu-fast-elementwise';
import { installCpuFastMatMul, prepareCpuGemm } from './cpu-fast-matmul';
import { installCpuFastSum } from './cpu-fast-sum';
import { installCpuFastUnary } from './cpu-fast-unary';

/** Resolves once the GEMM is compiled (or known to be unavailable here). */
export async function installCpuKernels(): Promise<void> {
  installCpuFastMatMul();
  installCpuFastConv();
  installCpuFastElementwise();
  installCpuFastUnary();
  installCpuFastSum();
  installCpuAdam();
  await prepareCpuGemm();
}
