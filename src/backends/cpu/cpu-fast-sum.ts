/**
 * Sum over the leading axes for TF.js's pure-JS `cpu` backend, bit-identical to the stock kernel.
 *
 * The stock Sum reduces innermost axes only: for any other axes it first transposes x (a generic
 * element-by-element Transpose) so the reduced axes come last, then sums each output's run in a
 * double. Bias gradients reduce the leading axes of a large tensor (∂b = Σ_{b,y,x} ∂y[b,y,x,c]),
 * and that transpose made Sum a quarter of a conv VAE step on cpu (315 ms of ~1.3 s, CPU time,
 * `npm run train -- --backend cpu --arch conv --profile 3`).
 *
 * Here, for float32 x [R…, L…] summed over exactly the axes [0, r) (in that order, r < rank):
 *   out[j] = Σ_{i<R} x[i·L + j]     R = size of the leading r axes, L = size of the rest
 * accumulated in doubles in the same order i = 0, 1, … as the stock kernel, read in memory
 * order, with no transpose. Everything else goes to the stock kernel.
 */
import {
  getKernel,
  registerKernel,
  Sum,
  unregisterKernel,
  util,
  type KernelFunc,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type CpuBackendLike } from './cpu-backend-like';

const CPU = 'cpu';

let installed = false;
let enabled = true;
const stats = { fastCalls: 0, stockCalls: 0 };

/** Sends every call to the stock kernel while false (tests compare the two). */
export function setCpuSumEnabled(on: boolean): void {
  enabled = on;
}

export function cpuSumStats() {
  return { ...stats };
}

function leadingSum(backend: CpuBackendLike, x: TensorInfo, attrs: SumAttrs): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const values = backend.data.get(x.dataId).values;
  if (!(values instanceof Float32Array) || values.length === 0) return null;
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  const r = axes.length;
  if (r === 0 || r >= x.shape.length || axes.some((a, i) => a !== i)) return null;
  const kept = x.shape.slice(r);
  const L = util.sizeFromShape(kept);
  const R = values.length / L;
  const acc = new Float64Array(L);
  for (let i = 0; i < R; i++) {
    const base = i * L;
    for (let j = 0; j < L; j++) acc[j]! += values[base + j]!;
  }
  const shape = attrs.keepDims ? [...new Array<number>(r).fill(1), ...kept] : kept;
  return backend.makeTensorInfo(shape, 'float32', new Float32Array(acc));
}

/** Installs the wrapper (once); returns false when the cpu backend package is not loaded yet. */
export function installCpuFastSum(): boolean {
  if (installed) return true;
  const original = getKernel(Sum, CPU);
  if (original === undefined) return false;
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const backend = args.backend as unknown as CpuBackendLike;
    const ours = enabled ? leadingSum(backend, x, args.attrs as unknown as SumAttrs) : null;
    if (ours !== null) {
      stats.fastCalls++;
      return ours;
    }
    stats.stockCalls++;
    return original.kernelFunc(args);
  };
  unregisterKernel(Sum, CPU);
  registerKernel({ ...original, kernelFunc });
  installed = true;
  return true;
}
