/**
 * Wall time per kernel while a few training steps run: wraps every kernel registered for one
 * backend with a timer, and puts the originals back on stop(). Meant for synchronous backends
 * (wasm, cpu), where a kernel's wall time is its compute time; on webgl/webgpu it only measures
 * how long recording the GPU work took.
 */
import {
  getKernelsForBackend,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
}

export interface KernelProfile {
  /** Restores the original kernels and returns the totals, slowest first. */
  stop(): KernelTime[];
}

export function profileKernels(backendName: string): KernelProfile {
  const originals = getKernelsForBackend(backendName);
  const totals = new Map<string, KernelTime>();
  for (const original of originals) {
    const row: KernelTime = { kernel: original.kernelName, calls: 0, ms: 0 };
    totals.set(original.kernelName, row);
    const timed: KernelConfig = {
      ...original,
      kernelFunc: (args) => {
        const t0 = performance.now();
        try {
          return original.kernelFunc(args);
        } finally {
          row.ms += performance.now() - t0;
          row.calls++;
        }
      },
    };
    unregisterKernel(original.kernelName, backendName);
    registerKernel(timed);
  }
  return {
    stop() {
      for (const original of originals) {
        unregisterKernel(original.kernelName, backendName);
        registerKernel(original);
      }
      return [...totals.values()].filter((r) => r.calls > 0).sort((a, b) => b.ms - a.ms);
    },
  };
}
