/**
 * Our replacements and additions for the TF.js wasm backend's kernels. Call once the
 * '@tensorflow/tfjs-backend-wasm' package is imported (before or after the backend starts);
 * calling again does nothing. Conv2DBackpropFilter is added on import of ./conv-wasm-gradients.
 */
import { installFastWasmConvBackpropInput } from './conv-wasm-backprop-input';
import { installFastWasmGather } from './wasm-fast-gather';
import { installFastWasmMatMul } from './wasm-fast-matmul';

export function installWasmKernels(): void {
  installFastWasmMatMul();
  installFastWasmGather();
  installFastWasmConvBackpropInput();
}
