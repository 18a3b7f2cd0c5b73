/**
 * Our changes to the TF.js webgpu backend's kernels. Call once the '@tensorflow/tfjs-backend-webgpu'
 * package is imported (before or after the backend starts); calling again does nothing.
 *   AddN: any number of inputs (TF.js's fails from 8 on; ./webgpu-add-n), on every adapter.
 *
 * Our former barrier-free programs for software adapters (BatchMatMul, Sum, Mean, the convs, bias
 * Add on SwiftShader) were removed: the app skips a software WebGPU unless it is asked for by
 * name, and there the wasm backend is several times faster than either program.
 */
import { installWebgpuAddN } from './webgpu-add-n';

export function installWebgpuKernels(): void {
  installWebgpuAddN();
}
