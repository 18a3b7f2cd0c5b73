/**
 * Starts a TF.js backend with fallback: the requested one, then the ones after it in
 * BACKENDS order (webgpu → webgl → wasm → cpu). Each backend's package is imported only
 * when it is tried. A backend counts as started once a small op round-trips correctly.
 * A GPU backend that is only a software renderer here (SwiftShader …, see core/gpu-renderer)
 * can be skipped with a notice; `startOnlyBackend` starts one backend or fails (benchmarks).
 */
import * as tf from '@tensorflow/tfjs-core';
import { classifyGpu, type GpuClass } from '../core/gpu-renderer';
import { BACKENDS, type BackendName } from '../contracts/config';
import { installCpuKernels } from './cpu/cpu-kernels';
import { installWasmKernels, startWasmThreads } from './wasm/wasm-kernels';
import { installWebglKernels } from './webgl/webgl-kernels';
import { installWebgpuKernels } from './webgpu/webgpu-kernels';
import type { DeviceMemory } from '../contracts/metrics';

export interface BackendStart {
  backend: BackendName;
  /** One line per backend that failed before the running one, saying why. */
  notices: string[];
}

export interface BackendOptions {
  /** Called before the wasm backend starts, e.g. to set where its .wasm files are served. */
  beforeWasm?: () => Promise<void> | void;
  /**
   * What startBackend does with webgpu or webgl when it is a software renderer here: 'use' it
   * (the default), 'skip' it with a notice (the default choice of backend, which nobody named),
   * or 'skip-fallbacks': use it only when it is the requested backend itself.
   */
  softwareRenderers?: 'use' | 'skip' | 'skip-fallbacks';
}

const LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** The parts of WebGPU's adapter we read (no @webgpu/types in this project's type set). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter: (options?: { powerPreference?: string }) => Promise<AdapterLike | null>;
}

async function describeWebGpu(): Promise<GpuClass | null> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return null;
  // The adapter TF.js asks for (tfjs-backend-webgpu's factory uses high-performance too).
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.());
  return classifyGpu({
    isFallbackAdapter: adapter.isFallbackAdapter ?? info?.isFallbackAdapter,
    vendor: info?.vendor,
    architecture: info?.architecture,
    device: info?.device,
    description: info?.description,
  });
}

function describeWebGl(): GpuClass | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as
    WebGLRenderingContext | WebGL2RenderingContext | null;
  if (!gl) return null;
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const text = (p: number) => String(gl.getParameter(p) ?? '');
    return classifyGpu({
      glVendor: text(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR),
      glRenderer: text(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER),
    });
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/**
 * What a GPU backend would run on here (its own adapter or context, opened and closed again):
 * null for wasm and cpu, or when the browser offers no such GPU or does not say.
 */
export async function describeGpu(name: BackendName): Promise<GpuClass | null> {
  try {
    if (name === 'webgpu') return await describeWebGpu();
    if (name === 'webgl') return describeWebGl();
  } catch {
    // A probe that throws says nothing; starting the backend will tell.
  }
  return null;
}

async function register(name: BackendName, options: BackendOptions): Promise<void> {
  switch (name) {
    case 'webgpu':
      if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
        throw new Error('this browser exposes no WebGPU (navigator.gpu is missing)');
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      installWebgpuKernels();
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      installWebglKernels();
      return;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      installWasmKernels();
      await options.beforeWasm?.();
      return;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await installCpuKernels();
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
  if (name === 'wasm') startWasmThreads(tf.backend());
  // Smoke test: a real kernel and a real read-back.
  const probe = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(2)));
  const values = await probe.data();
  probe.dispose();
  if (values[0] !== 3 || values[1] !== 4) throw new Error(`${name} computed wrong values`);
}

export function fallbackChain(requested: BackendName): BackendName[] {
  return BACKENDS.slice(BACKENDS.indexOf(requested));
}

type SoftwareMode = NonNullable<BackendOptions['softwareRenderers']>;

function mightSkip(name: BackendName, requested: BackendName, mode: SoftwareMode): boolean {
  if (name !== 'webgpu' && name !== 'webgl') return false;
  return mode === 'skip' || (mode === 'skip-fallbacks' && name !== requested);
}

/**
 * Whether startBackend skips `name` (on its way down from `requested`) given what it runs on
 * here (`gpu`, from describeGpu): the notice saying so, or null to try it.
 */
export function softwareSkipNotice(
  name: BackendName,
  requested: BackendName,
  mode: SoftwareMode,
  gpu: GpuClass | null,
): string | null {
  if (!gpu?.software || !mightSkip(name, requested, mode)) return null;
  const why = mode === 'skip' ? 'skipped by default' : 'skipped as a fallback';
  return `${LABELS[name]} here is a software renderer (${gpu.softwareName}), ${why}`;
}

/** Starts exactly `name`, no fallback; throws why not (and leaves no half-started backend). */
export async function startOnlyBackend(
  name: BackendName,
  options: BackendOptions = {},
): Promise<void> {
  try {
    await tryBackend(name, options);
  } catch (err) {
    if (tf.findBackendFactory(name)) tf.removeBackend(name);
    throw err;
  }
}

export async function startBackend(
  requested: BackendName,
  options: BackendOptions = {},
): Promise<BackendStart> {
  const notices: string[] = [];
  const mode = options.softwareRenderers ?? 'use';
  for (const name of fallbackChain(requested)) {
    if (mightSkip(name, requested, mode)) {
      const skip = softwareSkipNotice(name, requested, mode, await describeGpu(name));
      if (skip) {
        notices.push(skip);
        continue;
      }
    }
    try {
      await startOnlyBackend(name, options);
      return { backend: name, notices };
    } catch (err) {
      notices.push(`${name} could not start: ${(err as Error).message}`);
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
