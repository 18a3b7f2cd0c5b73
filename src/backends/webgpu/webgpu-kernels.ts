/**
 * Our replacements for some of the TF.js webgpu backend's kernels. Call once the
 * '@tensorflow/tfjs-backend-webgpu' package is imported (before or after the backend starts);
 * calling again does nothing. The bench's naive way (src/bench/stock-backend.ts) does not.
 *   BatchMatMul, Sum, Mean, Conv2D and its two gradients, bias Add: our own programs on
 *     software adapters (SwiftShader …), where TF.js's shared-memory programs (and its
 *     broadcasting add) are many times slower; stock kernels on real GPUs (./webgpu-matmul,
 *     ./webgpu-sum, ./webgpu-conv, ./webgpu-bias-add say why).
 *   AddN: any number of inputs (TF.js's fails from 8 on; ./webgpu-add-n), on every adapter.
 */
import { installWebgpuAddN } from './webgpu-add-n';
import { installWebgpuBiasAdd } from './webgpu-bias-add';
import { installWebgpuConv } from './webgpu-conv';
import { installWebgpuMatMul } from './webgpu-matmul';
import { installWebgpuSum } from './webgpu-sum';

export function installWebgpuKernels(): void {
  installWebgpuMatMul();
  installWebgpuSum();
  installWebgpuConv();
  installWebgpuBiasAdd();
  installWebgpuAddN();
}
