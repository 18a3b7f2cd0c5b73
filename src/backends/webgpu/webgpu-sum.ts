/**
 * Sum and Mean on the webgpu backend without workgroup barriers, on software adapters (see
 * ./webgpu-matmul for why only there). TF.js's ReduceProgram gives each output one workgroup of
 * 64–256 invocations that combine partial sums through shared memory with log₂(size) barriers,
 * after transposing the reduced axes inward; on SwiftShader the bias gradient of the MLP VAE
 * (sum over the batch of a [128, 784] tensor) took 270–680 ms a step that way.
 *
 * Ours handles reductions over leading axes (the bias gradients): it views x as a [rows, cols]
 * matrix and lets each invocation add up one column serially, in index order, four columns at
 * a time where cols % 4 = 0:
 *   y[c] = Σ_r x[r, c]     [rows, cols] → [cols]
 * Mean divides by rows. Other axis sets and int32 sums keep the stock kernel. (A row-wise
 * variant for trailing axes was tried and removed: it gave wrong means in the app, e.g. of a
 * [128] vector, which a smoke test caught: the loss at step 1 came out 96× too large.)
 */
import {
  getKernel,
  Mean,
  registerKernel,
  Sum,
  unregisterKernel,
  util,
  type KernelConfig,
  type KernelFunc,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  dispatchFits,
  onSoftwareAdapter,
  withShape,
  type WebGpuBackendLike,
  type WebGpuProgramLike,
  float32Data,
} from './webgpu-program';

const WEBGPU = 'webgpu';
const WORKGROUP = 64;

export interface ReducePlan {
  /** Values summed into each output. */
  rows: number;
  /** Outputs. */
  cols: number;
}

/** How we reduce `shape` over `axes` (any order, possibly negative), or null for stock. */
export function planReduce(shape: number[], axes: number[]): ReducePlan | null {
  const rank = shape.length;
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((a) => a < 0 || a >= rank)) return null;
  const size = util.sizeFromShape(shape);
  if (size === 0) return null;
  const reduced = util.sizeFromShape(sorted.map((a) => shape[a]!));
  const leading = sorted.every((a, i) => a === i);
  return leading && sorted.length < rank ? { rows: reduced, cols: size / reduced } : null;
}

/** The program computing plan's sums (or means) of a [rows, cols] float32 x. */
export function reduceProgram(plan: ReducePlan, mean: boolean): WebGpuProgramLike {
  const { rows, cols } = plan;
  const vec = cols % 4 === 0;
  const w = vec ? 4 : 1;
  const cw = cols / w; // elements of x's array per row, and outputs
  const scale = mean ? ` / ${rows}.0` : '';
  const type = vec ? 'vec4<f32>' : 'f32';
  return {
    variableNames: ['x'],
    variableComponents: [w],
    outputShape: [cols],
    outputComponent: w,
    shaderKey: `latentLabReduce_columns_${rows}_${cols}_${mean ? 'mean' : 'sum'}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(cw / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    // uniforms.outShape: a real bound, and it keeps the uniform buffer in the bind group layout.
    // A flat dispatch layout: TF.js calls main with the invocation's global index.
    // Element cw·r + i of x for r = 0 … rows-1.
    getUserCode: () => `fn main(index : i32) {
  let i = index;
  if (i >= ${cw} || uniforms.outShape < 1) { return; }
  var s = ${type}(0.0);
  for (var r = 0; r < ${rows}; r++) { s = s + x[r * ${cw} + i]; }
  result[i] = s${scale};
}
`,
  };
}

function install(kernelName: typeof Sum | typeof Mean): boolean {
  const original = getKernel(kernelName, WEBGPU);
  if (original === undefined) return false;
  const mean = kernelName === Mean;
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const backend = args.backend as unknown as WebGpuBackendLike;
    if (!float32Data(backend, x) || !onSoftwareAdapter(backend)) return original.kernelFunc(args);
    const axes = util.parseAxisParam(axis, x.shape);
    const plan = planReduce(x.shape, axes);
    if (!plan) return original.kernelFunc(args);
    const program = reduceProgram(plan, mean);
    if (!dispatchFits(backend, program.dispatch)) return original.kernelFunc(args);
    const out = backend.runWebGPUProgram(
      program,
      [withShape(x, [plan.rows, plan.cols])],
      'float32',
    );
    const shape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return withShape(out, shape);
  };
  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel(kernelName, WEBGPU);
  registerKernel(config);
  return true;
}

let installed = false;

/** Installs Sum and Mean; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuSum(): boolean {
  if (installed) return true;
  if (getKernel(Sum, WEBGPU) === undefined || getKernel(Mean, WEBGPU) === undefined) return false;
  installed = install(Sum) && install(Mean);
  return installed;
}
