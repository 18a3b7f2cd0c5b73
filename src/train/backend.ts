/**
 * Starts a TF.js backend with fallback: the requested one, then the ones after it in
 * BACKENDS order (webgpu → webgl → wasm → cpu). Each backend's package is imported only
 * when it is tried. A backend counts as started once a small op round-trips correctly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, type BackendName } from './config';
import { installWasmKernels } from '../tf/wasm-kernels';
import type { DeviceMemory } from './metrics';

export interface BackendStart {
  backend: BackendName;
  /** One line per backend that failed before the running one, saying why. */
  notices: string[];
}

export interface BackendOptions {
  /** Called before the wasm backend starts, e.g. to set where its .wasm files are served. */
  beforeWasm?: () => Promise<void> | void;
}

async function register(name: BackendName, options: BackendOptions): Promise<void> {
  switch (name) {
    case 'webgpu':
      if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
        throw new Error('this browser exposes no WebGPU (navigator.gpu is missing)');
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      installWasmKernels();
      await options.beforeWasm?.();
      return;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
  }
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<void> {
  await register(name, options);
  if (!tf.findBackendFactory(name)) {
    throw new Error(`no ${name} adapter or context is available here`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${name} failed to initialise`);
  // Smoke test: a real kernel and a real read-back.
  const probe = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(2)));
  const values = await probe.data();
  probe.dispose();
  if (values[0] !== 3 || values[1] !== 4) throw new Error(`${name} computed wrong values`);
}

export function fallbackChain(requested: BackendName): BackendName[] {
  return BACKENDS.slice(BACKENDS.indexOf(requested));
}

export async function startBackend(
  requested: BackendName,
  options: BackendOptions = {},
): Promise<BackendStart> {
  const notices: string[] = [];
  for (const name of fallbackChain(requested)) {
    try {
      await tryBackend(name, options);
      return { backend: name, notices };
    } catch (err) {
      notices.push(`${name} could not start: ${(err as Error).message}`);
      if (tf.findBackendFactory(name)) tf.removeBackend(name);
    }
  }
  throw new Error(`no TensorFlow.js backend could start. ${notices.join('; ')}`);
}

/** tf.memory() of the running backend as plain numbers (see DeviceMemory). */
export function deviceMemory(): DeviceMemory {
  const m = tf.memory() as tf.MemoryInfo & {
    numBytesInGPU?: number;
    numBytesAllocatedInGPU?: number; // webgpu
    numBytesInGPUAllocated?: number; // webgl
  };
  const out: DeviceMemory = { numTensors: m.numTensors, numBytes: m.numBytes };
  if (m.numBytesInGPU !== undefined) out.gpuBytesUsed = m.numBytesInGPU;
  const allocated = m.numBytesAllocatedInGPU ?? m.numBytesInGPUAllocated;
  if (allocated !== undefined) out.gpuBytesAllocated = allocated;
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  if (wasm?.HEAPU8) out.wasmHeapBytes = wasm.HEAPU8.byteLength;
  return out;
}
