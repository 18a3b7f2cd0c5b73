/**
 * AddN on the webgpu backend for any number of tensors. TF.js's kernel binds every input and
 * the output as storage buffers of one shader; WebGPU allows 8 per shader stage unless the
 * device asks for more (TF.js does not), so AddN of 8 or more tensors fails to compile and,
 * WebGPU errors being asynchronous, the result is left unwritten (seen with the trainer's
 * finite-weights check, Σ over 10 weights). This wrapper adds them in groups that fit, then
 * adds the group sums the same way:
 *   Σᵢ xᵢ = Σ_g (Σ_{i ∈ g} xᵢ)      groups of at most maxStorageBuffersPerShaderStage − 1.
 * On every adapter: it is a correctness fix, not a speed choice.
 */
import {
  AddN,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WebGpuBackendLike } from './webgpu-program';

const WEBGPU = 'webgpu';
let installed = false;

/** Splits `items` into consecutive groups of at most `size` (size ≥ 2). */
export function groupsOf<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Installs the wrapper; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuAddN(): boolean {
  if (installed) return true;
  const original = getKernel(AddN, WEBGPU);
  if (original === undefined) return false;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as unknown as WebGpuBackendLike;
    const size = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    let tensors = args.inputs as unknown as TensorInfo[];
    const temps: TensorInfo[] = [];
    try {
      while (tensors.length > size) {
        tensors = groupsOf(tensors, size).map((g) => {
          if (g.length === 1) return g[0]!;
          const sum = original.kernelFunc({ ...args, inputs: g as never }) as TensorInfo;
          temps.push(sum);
          return sum;
        });
      }
      return original.kernelFunc({ ...args, inputs: tensors as never });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel(AddN, WEBGPU);
  registerKernel(config);
  installed = true;
  return true;
}
