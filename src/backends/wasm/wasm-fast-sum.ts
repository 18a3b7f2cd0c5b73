/**
 * Sum over leading axes on the wasm backend as one XNNPACK average pooling (call once the wasm
 * backend package is loaded; calling again does nothing).
 *
 * tfjs-backend-wasm 4.22's Sum reduces innermost axes only, so for any other axes it first
 * transposes the whole input. The bias gradient of every conv layer is such a sum,
 * ∂b = Σ_{b,y,x} dY[b,y,x,:] (axes [0,1,2] of NHWC), and so is a dense layer's (axis 0).
 * Reading x as an image [1, n1, n2, C] (n1 = x.shape[0], n1·n2 = N = the product of the reduced
 * leading dims, C = the product of the rest; the same buffer, no copy),
 *
 *   sum(x, leading axes)[c] = Σ_n x[n, c] = N · AvgPool_{n1×n2, 'valid'}(x)[0, 0, 0, c]
 *
 * and XNNPACK's average pooling reduces over pixels with the channels innermost, reading x once
 * in order. Measured (Node, wasm SIMD, one thread, a fresh input each call; the machine was
 * shared): dY [128,28,28,32] 7.8–17 ms → 0.9 ms, [128,14,14,64] 3.5–17 ms → 0.6 ms.
 * (1ᴺ · X as a BatchMatMul was slower than the original: XNNPACK repacks X as a weight matrix.)
 * Other axes and non-float32 inputs keep the original kernel, whose setupFunc the override keeps.
 * float32 throughout like the original; the summation order differs, so results agree to
 * float32 rounding, not bit for bit.
 */
import {
  AvgPool,
  getKernel,
  Sum,
  util,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { leadingAxes, reducedShape } from '../shared/leading-axes';
import { overrideKernel, type FastPath } from '../shared/override-kernel';

const WASM = 'wasm';

/** Sum for the wasm backend: leading-axes reductions as N · AvgPool (see the header), else null. */
const sumWasm: FastPath = (args) => {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const k = leadingAxes(axis, x.shape);
  const pool = getKernel(AvgPool, WASM);
  if (k === null || pool === undefined || x.dtype !== 'float32') return null;
  const N = util.sizeFromShape(x.shape.slice(0, k));
  const C = util.sizeFromShape(x.shape.slice(k));
  if (N < 2) return null;
  const n1 = x.shape[0]!;
  const n2 = N / n1;
  // The same buffer read as an image [1, n1, n2, C] (as the backends' own Reshape does).
  const image: TensorInfo = { dataId: x.dataId, shape: [1, n1, n2, C], dtype: x.dtype };
  const out = pool.kernelFunc({
    inputs: { x: image },
    backend,
    attrs: { filterSize: [n1, n2], strides: [1, 1], pad: 'valid' },
  }) as TensorInfo;
  const sums = backend.typedArrayFromHeap(out) as Float32Array;
  for (let c = 0; c < C; c++) sums[c]! *= N;
  out.shape = reducedShape(x.shape, k, keepDims);
  return out;
};

/** Installs the override (idempotent); returns false when the wasm backend package is not loaded. */
export function installFastWasmSum(): boolean {
  return overrideKernel(WASM, Sum, () => sumWasm);
}
