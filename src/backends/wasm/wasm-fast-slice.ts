/**
 * Slice on the wasm backend, read in place from TF.js's memory.
 *
 * tfjs-backend-wasm 4.22's Slice first copies the whole input out of the heap (readSync) and
 * then takes the slice from that copy: a chunk of 2,048 rows of the [60000, 784] training set
 * (k-means' and EM's passes, a prior's encoding of the training set, evaluation in chunks)
 * copies all 188 MB to keep 6 MB. Measured in Node, a k-means iteration over MNIST took about
 * a minute, nearly all of it in those copies. Here the output is copied straight from a view of
 * the input on the heap: one TypedArray.set for a contiguous slice, one per innermost row
 * otherwise,
 *
 *   out[i_0 … i_{r−1}] = x[b_0 + i_0 … b_{r−1} + i_{r−1}]      x [d_0 … d_{r−1}] → [s_0 … s_{r−1}]
 *
 * the same values as the package's kernel. Strings keep the original kernel.
 */
import { Slice, slice_util, util, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';
import type { WasmHeapBackend } from './wasm-fast-gather';

const WASM = 'wasm';

/** Installs the override (once); returns false when the wasm backend package is not loaded yet. */
export function installFastWasmSlice(): boolean {
  return overrideKernel(WASM, Slice, () => (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return null;
    const { begin, size } = args.attrs as unknown as SliceAttrs;
    const [b, s] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(s, x.dtype);
    const count = util.sizeFromShape(s);
    if (count === 0) return out;
    // Views after makeOutput: an allocation may grow (and so replace) the heap's buffer.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const strides = util.computeStrides(x.shape);
    if (slice_util.isSliceContinous(x.shape, b, s)) {
      const offset = slice_util.computeFlatOffset(b, strides);
      dst.set(src.subarray(offset, offset + count));
      return out;
    }
    // Row by row along the last axis: an odometer over the outer indices i_0 … i_{r−2}.
    const r = s.length;
    const row = s[r - 1]!;
    const index = new Array<number>(Math.max(r - 1, 0)).fill(0);
    for (let o = 0; o < count; o += row) {
      let offset = b[r - 1]!;
      for (let a = 0; a < r - 1; a++) offset += (b[a]! + index[a]!) * strides[a]!;
      dst.set(src.subarray(offset, offset + row), o);
      for (let a = r - 2; a >= 0; a--) {
        if (++index[a]! < s[a]!) break;
        index[a] = 0;
      }
    }
    return out;
  });
}
