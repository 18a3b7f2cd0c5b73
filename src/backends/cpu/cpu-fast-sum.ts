/**
 * Sum over the leading axes for TF.js's pure-JS `cpu` backend, bit-identical to the stock kernel.
 *
 * The stock Sum reduces innermost axes only: for any other axes it first transposes x (a generic
 * element-by-element Transpose) so the reduced axes come last, then sums each output's run in a
 * double. Bias gradients reduce the leading axes of a large tensor (∂b = Σ_{b,y,x} ∂y[b,y,x,c]),
 * and that transpose made Sum a quarter of a conv VAE step on cpu (315 ms of ~1.3 s, CPU time,
 * `npm run train -- --backend cpu --arch conv --profile 3`).
 *
 * Here, for float32 x [R…, L…] summed over the leading axes [0, r) (../shared/leading-axes):
 *   out[j] = Σ_{i<R} x[i·L + j]     R = size of the leading r axes, L = size of the rest
 * accumulated in doubles in the same order i = 0, 1, … as the stock kernel, read in memory
 * order, with no transpose. Everything else goes to the stock kernel.
 */
import { Sum, util, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { leadingAxes, reducedShape } from '../shared/leading-axes';
import { overrideKernel } from '../shared/override-kernel';
import { type CpuBackendLike, float32Values } from './cpu-backend-like';

/**
 * Whether the axes come in increasing order (after wrapping negative ones): the stock kernel sums
 * in the order the axes are given, so only then is our memory order its order too.
 */
function ascending(axis: number | number[], rank: number): boolean {
  const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a));
  return axes.every((a, i) => i === 0 || axes[i - 1]! < a);
}

function leadingSum(backend: CpuBackendLike, x: TensorInfo, attrs: SumAttrs): TensorInfo | null {
  const r = leadingAxes(attrs.axis, x.shape);
  if (r === null || !ascending(attrs.axis, x.shape.length)) return null;
  const values = float32Values(backend, x);
  if (values === null) return null;
  const L = util.sizeFromShape(x.shape.slice(r));
  const R = values.length / L;
  const acc = new Float64Array(L);
  for (let i = 0; i < R; i++) {
    const base = i * L;
    for (let j = 0; j < L; j++) acc[j]! += values[base + j]!;
  }
  const shape = reducedShape(x.shape, r, attrs.keepDims);
  return backend.makeTensorInfo(shape, 'float32', new Float32Array(acc));
}

/** Installs the override (once); returns false when the cpu backend package is not loaded yet. */
export function installCpuFastSum(): boolean {
  return overrideKernel('cpu', Sum, () => (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const backend = args.backend as unknown as CpuBackendLike;
    return leadingSum(backend, x, args.attrs as unknown as SumAttrs);
  });
}
