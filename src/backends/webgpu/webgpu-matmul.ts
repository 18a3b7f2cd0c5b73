/**
 * BatchMatMul on the webgpu backend through our barrier-free program (./webgpu-matmul-program)
 * when the adapter is a software one; every other case keeps TF.js's kernel.
 *
 * Why only on software adapters: on SwiftShader (WebGPU on the CPU, as in headless Chromium
 * without a GPU) compute invocations run as SIMD lanes and every workgroupBarrier() is a
 * coroutine switch, so TF.js's shared-memory tiled programs (MatMulPackedProgram …) crawl:
 * 0.3–0.6 GFLOP/s on the MLP VAE's products on two cores, where ours, each invocation reading
 * its operands straight from the storage buffers, ran at 3.5–4.7 (8–12× faster). On a real GPU
 * the tiled programs, which share operand tiles through fast workgroup memory, are the right
 * choice, so they stay. Our program computes the same sums (in the same k order per output,
 * fused multiply-adds), see tests/browser/webgpu-kernels.test.mjs.
 *
 * Handled: float32 operands with batch dimensions equal or one of them 1 (vec4 reads where the
 * dimensions allow, see vec4MatMulFits, else scalar ones). Not handled (stock kernel): other
 * dtypes, other broadcasts, empty products.
 */
import {
  backend_util,
  BatchMatMul,
  getKernel,
  registerKernel,
  unregisterKernel,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { matMulProgram, planMatMul, type MatMulDims } from './webgpu-matmul-program';
import {
  dispatchFits,
  onSoftwareAdapter,
  withShape,
  type WebGpuBackendLike,
  float32Data,
} from './webgpu-program';

const WEBGPU = 'webgpu';
let installed = false;
/** Products that went through our program (for tests). */
let ourCalls = 0;

export function webgpuMatMulCalls(): number {
  return ourCalls;
}

const product = (dims: number[]) => dims.reduce((p, d) => p * d, 1);

/** The product's dimensions, or null when the batch dimensions need real broadcasting. */
export function matMulDims(
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): { dims: MatMulDims; outShape: number[] } | null {
  const ra = aShape.length;
  const rb = bShape.length;
  if (ra < 2 || rb < 2) return null;
  const aOuter = aShape.slice(0, -2);
  const bOuter = bShape.slice(0, -2);
  const batchA = product(aOuter);
  const batchB = product(bOuter);
  let outOuter: number[];
  try {
    outOuter = backend_util.assertAndGetBroadcastShape(aOuter, bOuter);
  } catch {
    return null; // the stock kernel says why
  }
  // Batches pair one to one, or one operand's single matrix serves every batch.
  const paired = aOuter.length === bOuter.length && aOuter.every((d, i) => d === bOuter[i]);
  if (product(outOuter) !== Math.max(batchA, batchB)) return null;
  if (!paired && batchA !== 1 && batchB !== 1) return null;
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const k = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const kB = transposeB ? bShape[rb - 1]! : bShape[rb - 2]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  if (k !== kB) return null; // the stock kernel says why
  return {
    dims: { batchA, batchB, m, n, k, transposeA, transposeB },
    outShape: [...outOuter, m, n],
  };
}

/** Our product, or null to leave it to the stock kernel. */
function tryOurs(
  backend: WebGpuBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  attrs: BatchMatMulAttrs,
) {
  if (!float32Data(backend, a, b)) return null;
  if (!onSoftwareAdapter(backend)) return null;
  const found = matMulDims(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
  if (!found || found.dims.m * found.dims.n * found.dims.k === 0) return null;
  const { dims, outShape } = found;
  const program = matMulProgram(dims, planMatMul(dims));
  if (!dispatchFits(backend, program.dispatch)) return null;
  const a3 = withShape(a, [dims.batchA, a.shape.at(-2)!, a.shape.at(-1)!]);
  const b3 = withShape(b, [dims.batchB, b.shape.at(-2)!, b.shape.at(-1)!]);
  const out = backend.runWebGPUProgram(program, [a3, b3], 'float32');
  ourCalls++;
  return withShape(out, outShape);
}

/** Installs the wrapper; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuMatMul(): boolean {
  if (installed) return true;
  const original = getKernel(BatchMatMul, WEBGPU);
  if (original === undefined) return false;
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const backend = args.backend as unknown as WebGpuBackendLike;
    return tryOurs(backend, a, b, attrs) ?? original.kernelFunc(args);
  };
  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel(BatchMatMul, WEBGPU);
  registerKernel(config);
  installed = true;
  return true;
}
