/**
 * AddN on the webgpu backend for any number of tensors. TF.js's kernel binds every input and
 * the output as storage buffers of one shader; WebGPU allows 8 per shader stage unless the
 * device asks for more (TF.js does not), so AddN of 8 or more tensors fails to compile and,
 * WebGPU errors being asynchronous, the result is left unwritten (seen with the trainer's
 * finite-weights check, Σ over 10 weights). This override adds them in groups that fit, then
 * adds the group sums the same way:
 *   Σᵢ xᵢ = Σ_g (Σ_{i ∈ g} xᵢ)      groups of at most maxStorageBuffersPerShaderStage − 1.
 * On every adapter: it is a correctness fix, not a speed choice.
 */
import { AddN, type TensorInfo } from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';

const WEBGPU = 'webgpu';

/** The members of tfjs-backend-webgpu's WebGPUBackend used here (no runtime import). */
interface WebGpuBackendLike {
  disposeData: (dataId: object) => boolean;
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
}

/** Splits `items` into consecutive groups of at most `size` (size ≥ 2). */
export function groupsOf<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Installs the override; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuAddN(): boolean {
  return overrideKernel(WEBGPU, AddN, (stock) => (args) => {
    const backend = args.backend as unknown as WebGpuBackendLike;
    const size = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    let tensors = args.inputs as unknown as TensorInfo[];
    if (tensors.length <= size) return null;
    const temps: TensorInfo[] = [];
    try {
      while (tensors.length > size) {
        tensors = groupsOf(tensors, size).map((g) => {
          if (g.length === 1) return g[0]!;
          const sum = stock({ ...args, inputs: g as never }) as TensorInfo;
          temps.push(sum);
          return sum;
        });
      }
      return stock({ ...args, inputs: tensors as never });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  });
}
