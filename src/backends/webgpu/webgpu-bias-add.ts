/**
 * Add of a per-channel vector on the webgpu backend (a layer's bias), on software adapters (see
 * ./webgpu-matmul for why only there):
 *   y[i] = x[i] + bias[i mod C]      x [..., C] (as the output), bias [C] or [1, …, 1, C]
 * TF.js's broadcasting BinaryOpProgram turns every output index into coordinates and back; on
 * SwiftShader the conv VAE's [128, 28, 28, 32] + [32] took 0.5–1.7 s that way. Ours reads four
 * channels at a time where C % 4 = 0. Every other Add keeps the stock kernel.
 */
import {
  Add,
  getKernel,
  registerKernel,
  unregisterKernel,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  dispatchFits,
  onSoftwareAdapter,
  type WebGpuBackendLike,
  type WebGpuProgramLike,
  float32Data,
} from './webgpu-program';

const WEBGPU = 'webgpu';
const WORKGROUP = 64;
/** Below this many elements the stock kernel is as good (and saves a shader). */
const MIN_SIZE = 4096;
let installed = false;
let ourCalls = 0;

/** Bias adds that went through our program (for tests). */
export function webgpuBiasAddCalls(): number {
  return ourCalls;
}

/** Which input is the per-channel vector: 'b', 'a', or null when it is not a bias add. */
export function biasSide(aShape: number[], bShape: number[]): 'a' | 'b' | null {
  const isBias = (x: number[], v: number[]) => {
    const c = x.at(-1);
    return (
      x.length >= 2 &&
      x.length <= 4 && // outShape is a vecN<i32> uniform up to rank 4
      v.length >= 1 &&
      v.length <= x.length &&
      v.at(-1) === c &&
      v.slice(0, -1).every((d) => d === 1) &&
      util.sizeFromShape(x) >= MIN_SIZE
    );
  };
  if (isBias(aShape, bShape)) return 'b';
  if (isBias(bShape, aShape)) return 'a';
  return null;
}

/** y = x + bias[i mod C] over `size` elements, vec4 where C % 4 = 0. */
export function biasAddProgram(shape: number[]): WebGpuProgramLike {
  const size = util.sizeFromShape(shape);
  const c = shape.at(-1)!;
  const w = c % 4 === 0 ? 4 : 1;
  const n = size / w;
  return {
    variableNames: ['x', 'bias'],
    variableComponents: [w, w],
    outputShape: shape,
    outputComponent: w,
    shaderKey: `latentLabBiasAdd_${size}_${c}`,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(n / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    // A flat dispatch: TF.js calls main with the global index. outShape keeps the uniforms bound.
    getUserCode: () => `fn main(index : i32) {
  if (index >= ${n} || uniforms.outShape[0] < 1) { return; }
  result[index] = x[index] + bias[index % ${c / w}];
}
`,
  };
}

/** Installs the wrapper; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuBiasAdd(): boolean {
  if (installed) return true;
  const original = getKernel(Add, WEBGPU);
  if (original === undefined) return false;
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const backend = args.backend as unknown as WebGpuBackendLike;
    const side = biasSide(a.shape, b.shape);
    if (side === null || !float32Data(backend, a, b)) return original.kernelFunc(args);
    if (!onSoftwareAdapter(backend)) return original.kernelFunc(args);
    const [x, bias] = side === 'b' ? [a, b] : [b, a];
    const program = biasAddProgram(x.shape);
    if (!dispatchFits(backend, program.dispatch)) return original.kernelFunc(args);
    ourCalls++;
    return backend.runWebGPUProgram(program, [x, bias], 'float32');
  };
  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel(Add, WEBGPU);
  registerKernel(config);
  installed = true;
  return true;
}
