/**
 * What our webgpu kernels need from tfjs-backend-webgpu without importing it (the package is
 * loaded only when the webgpu backend is tried, src/backends/setup.ts): the shape of a program
 * object that backend.runWebGPUProgram compiles and runs, the backend's members we call, and
 * whether the backend runs on a software adapter (SwiftShader …, see core/gpu-renderer).
 *
 * Program objects: runWebGPUProgram builds the WGSL header (bindings: result at 0, the inputs
 * at 1…, a uniform struct after them with NAN, INFINITY, each input's and the output's shape
 * and strides, then `uniforms`), appends getUserCode() (which defines `fn main()`, reading
 * globalId …) and caches the pipeline under shaderKey + ranks + dtypes.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { classifyGpu } from '../../core/gpu-renderer';

/** The parts of tfjs-backend-webgpu's WebGPUProgram that our programs fill in. */
export interface WebGpuProgramLike {
  variableNames: string[];
  /** Components per element of each input's array (4: array<vec4<f32>>). */
  variableComponents?: number[];
  outputShape: number[];
  /** Components per element of the result array. */
  outputComponent?: number;
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Extra uniform struct members, e.g. 'rows : i32,'. */
  uniforms?: string;
  getUserCode: () => string;
}

/** A uniform value as runWebGPUProgram takes it. */
export interface ProgramUniform {
  type: 'int32' | 'float32';
  data: number[];
}

/** The members of tfjs-backend-webgpu's WebGPUBackend that our kernels use. */
export interface WebGpuBackendLike {
  runWebGPUProgram: (
    program: WebGpuProgramLike,
    inputs: TensorInfo[],
    outputDtype: 'float32' | 'int32',
    uniforms?: ProgramUniform[],
  ) => TensorInfo;
  disposeData: (dataId: object) => boolean;
  /** Each tensor's data as stored, with the dtype it was written as. */
  tensorMap: { get(dataId: object): { dtype: string } | undefined };
  adapterInfo?: { vendor?: string; architecture?: string };
  device: {
    limits: { maxStorageBuffersPerShaderStage: number; maxComputeWorkgroupsPerDimension: number };
  };
}

const softwareByBackend = new WeakMap<object, boolean>();

/**
 * Whether `backend` runs on a software adapter (SwiftShader's Vulkan on the CPU, lavapipe …),
 * from the adapter info TF.js kept when it started. Cached per backend instance.
 */
export function onSoftwareAdapter(backend: WebGpuBackendLike): boolean {
  let software = softwareByBackend.get(backend);
  if (software === undefined) {
    const info = backend.adapterInfo ?? {};
    software = classifyGpu({ vendor: info.vendor, architecture: info.architecture }).software;
    softwareByBackend.set(backend, software);
  }
  return software;
}

/** Whether a dispatch fits WebGPU's per-dimension limit (TF.js would otherwise reshape it). */
export function dispatchFits(backend: WebGpuBackendLike, dispatch: number[]): boolean {
  const max = backend.device.limits.maxComputeWorkgroupsPerDimension;
  return dispatch.every((d) => d >= 1 && d <= max);
}

/**
 * Whether every input is float32 data, as our programs read it (array<f32> or vec4<f32>). Not
 * just the label: TF.js's webgpu Cast from int32 or bool to float32 keeps the data (and its
 * stored dtype) and only relabels it, e.g. tf.cast(tf.oneHot(…), 'float32') in the VQ-VAE's code
 * counts, which our programs would read as tiny floats (the bit patterns of 0 and 1 as f32).
 * Stock programs read the stored dtype; ours leave such inputs to them.
 */
export function float32Data(backend: WebGpuBackendLike, ...inputs: TensorInfo[]): boolean {
  return inputs.every(
    (t) => t.dtype === 'float32' && backend.tensorMap.get(t.dataId)?.dtype === 'float32',
  );
}

/** The same data seen with another shape (what the Reshape kernel returns, without a copy). */
export function withShape(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
