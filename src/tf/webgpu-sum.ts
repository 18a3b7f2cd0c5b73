/**
 * Sum and Mean on the webgpu backend without workgroup barriers, on software adapters (see
 * ./webgpu-matmul for why only there). TF.js's ReduceProgram gives each output one workgroup of
 * 64–256 invocations that combine partial sums through shared memory with log₂(size) barriers,
 * after transposing the reduced axes inward; on SwiftShader the bias gradient of the MLP VAE
 * (sum over the batch of a [128, 784] tensor) took 270–680 ms a step that way.
 *
 * Ours views x as a [rows, cols] matrix and lets each invocation add up one output serially,
 * in index order, four columns at a time where cols % 4 = 0:
 *   columns (the reduced axes lead):   y[c] = Σ_r x[r, c]     [rows, cols] → [cols]
 *   rows    (the reduced axes trail):  y[r] = Σ_c x[r, c]     [rows, cols] → [rows]
 * Mean divides by the number of values summed. Other axis sets, int32 sums, and a few long
 * rows (where one invocation would run alone for long) keep the stock kernel.
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
} from './webgpu-program';

const WEBGPU = 'webgpu';
const WORKGROUP = 64;
/** Below this many outputs a row sum runs on too few invocations; longer rows keep the stock kernel. */
const FEW_ROWS = 16;
const LONG_ROW = 4096;

export interface ReducePlan {
  kind: 'columns' | 'rows';
  rows: number;
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
  const trailing = sorted.every((a, i) => a === rank - sorted.length + i);
  if (leading && sorted.length < rank)
    return { kind: 'columns', rows: reduced, cols: size / reduced };
  if (trailing) {
    const rows = size / reduced;
    if (rows < FEW_ROWS && reduced > LONG_ROW) return null;
    return { kind: 'rows', rows, cols: reduced };
  }
  return null;
}

/** The program computing plan's sums (or means) of a [rows, cols] float32 x. */
export function reduceProgram(plan: ReducePlan, mean: boolean): WebGpuProgramLike {
  const { kind, rows, cols } = plan;
  const vec = cols % 4 === 0;
  const w = vec ? 4 : 1;
  const cw = cols / w; // elements of x's array per row
  const outputs = kind === 'columns' ? cw : rows;
  const scale = mean ? ` / ${kind === 'columns' ? rows : cols}.0` : '';
  const type = vec ? 'vec4<f32>' : 'f32';
  // columns: element cw·r + i for r = 0 … rows-1;  rows: element cw·i + j for j = 0 … cw-1.
  const body =
    kind === 'columns'
      ? `for (var r = 0; r < ${rows}; r++) { s = s + x[r * ${cw} + i]; }
  result[i] = s${scale};`
      : `for (var j = 0; j < ${cw}; j++) { s = s + x[i * ${cw} + j]; }
  result[i] = ${vec ? 's.x + s.y + s.z + s.w' : 's'}${scale};`;
  return {
    variableNames: ['x'],
    variableComponents: [w],
    outputShape: [kind === 'columns' ? cols : rows],
    outputComponent: kind === 'columns' ? w : 1,
    shaderKey: `latentLabReduce_${kind}_${rows}_${cols}_${mean ? 'mean' : 'sum'}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(outputs / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    // uniforms.outShape: a real bound, and it keeps the uniform buffer in the bind group layout.
    // A flat dispatch layout: TF.js calls main with the invocation's global index.
    getUserCode: () => `fn main(index : i32) {
  let i = index;
  if (i >= ${outputs} || uniforms.outShape < 1) { return; }
  var s = ${type}(0.0);
  ${body}
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
    if (x.dtype !== 'float32' || !onSoftwareAdapter(backend)) return original.kernelFunc(args);
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
