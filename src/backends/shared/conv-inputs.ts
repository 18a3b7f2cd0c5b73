/**
 * The inputs our conv kernels take: two rank-4 float32 tensors in NHWC layout (X [B,H,W,Ci],
 * W [KH,KW,Ci,Co] or dY [B,OH,OW,Co]). Anything else goes to the stock kernel.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

const rank4Float32 = (t: TensorInfo | undefined): t is TensorInfo =>
  t !== undefined && t.dtype === 'float32' && t.shape.length === 4;

/** The pair (a, b) when both are rank-4 float32 and the layout is NHWC, else null. */
export function nhwcFloat32Pair(
  a: TensorInfo | undefined,
  b: TensorInfo | undefined,
  dataFormat: string,
): [TensorInfo, TensorInfo] | null {
  return dataFormat === 'NHWC' && rank4Float32(a) && rank4Float32(b) ? [a, b] : null;
}
