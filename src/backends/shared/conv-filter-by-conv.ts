/**
 * Conv2DBackpropFilter (∂L/∂W of a 2-D convolution) composed of a backend's own kernels
 * (Slice, PadV2, Transpose and a forward Conv2D with dilation), for any backend that has them:
 * conv2DBackpropFilterByConv(name) is the kernel function for backend `name`. Used for wasm
 * (./conv-wasm-gradients: wasm has no such kernel). webgl has its own routes now
 * (./webgl-filter-by-im2col, ./webgl-filter-by-taps): there this one long-reduction matmul ran
 * at ~0.6 of the packed matmul's usual rate.
 *
 * Formula. Shapes: X [B,H,W,Ci], dY [B,OH,OW,Co], dW [KH,KW,Ci,Co], strides (sh,sw), top/left
 * padding (pt,pl) from backend_util.computeConv2DInfo (exactly what the forward pass used):
 *
 *   dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, y·sh+kh−pt, x·sw+kw−pl, ci] · dY[b,y,x,co]   (X = 0 outside)
 *
 * Read with Xp = X zero-padded by (pt,pl) and cut to HP = KH + sh·(OH−1) rows and
 * WP = KW + sw·(OW−1) columns (the rows and columns the taps can reach), this is itself a
 * stride-1 convolution with dilation (sh,sw), where batch and channel roles are swapped:
 *
 *   I[ci, r, c, b]    = Xp[b, r, c, ci]                 I: [Ci, HP, WP, B]   (input, B channels)
 *   F[y, x, b, co]    = dY[b, y, x, co]                 F: [OH, OW, B, Co]   (filter)
 *   O[ci, kh, kw, co] = Σ_{y,x,b} I[ci, kh + sh·y, kw + sw·x, b] · F[y, x, b, co]
 *                     = dW[kh, kw, ci, co]              O: [Ci, KH, KW, Co]  ('valid' output size
 *                                                           HP − sh·(OH−1) = KH, WP − sw·(OW−1) = KW)
 *
 * so the work (B·OH·OW·KH·KW·Ci·Co multiply-adds) runs in the backend's Conv2D kernel (wasm:
 * XNNPACK; webgl: im2col + packed matmul); the rest are copies of X and dY.
 *
 * Limitations: NHWC only; dilation 1 (tfjs's Conv2D gradient asserts this for every backend);
 * float32 only. Every intermediate is freed with backend.disposeData before returning.
 */
import {
  Conv2D,
  PadV2,
  Slice,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runBackendKernel } from './run-kernel';
import { filterGradInfo, matchesOutput } from './conv-geometry';

/** Conv2DBackpropFilter for backend `name`: dW from the layer input x and output gradient dy. */
export function conv2DBackpropFilterByConv(name: string): KernelFunc {
  const run = (
    kernel: string,
    backend: KernelBackend,
    inputs: NamedTensorInfoMap,
    attrs: NamedAttrMap,
  ): TensorInfo => runBackendKernel(name, kernel, backend, inputs, attrs);
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) {
      throw new Error(`Conv2DBackpropFilter (${name}): expected inputs x and dy.`);
    }
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const { dataFormat } = a;
    if (dataFormat !== 'NHWC') {
      throw new Error(
        `Conv2DBackpropFilter (${name}) supports dataFormat 'NHWC' only, got '${dataFormat}'.`,
      );
    }
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new Error(
        `Conv2DBackpropFilter (${name}) needs float32 inputs, got ${x.dtype}, ${dy.dtype}.`,
      );
    }
    if (x.shape.length !== 4 || dy.shape.length !== 4) {
      throw new Error(
        `Conv2DBackpropFilter (${name}) needs rank-4 x and dy, got ${x.shape}, ${dy.shape}.`,
      );
    }
    const info = filterGradInfo(x.shape, a);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
    const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const { top: pt, left: pl } = info.padInfo;
    if (!matchesOutput(dy.shape, info)) {
      throw new Error(
        `Conv2DBackpropFilter (${name}): dy shape ${dy.shape} does not match the conv output ${info.outShape}.`,
      );
    }

    // Rows/columns of zero-padded X that the taps reach: padded coordinates 0 … HP−1, i.e. X rows
    // −pt … HP−pt−1. Keep X rows [0, keepH) (drop any the forward pass never read, e.g. a
    // leftover row in 'valid' stride 2), then zero-pad pt above and padB below.
    const HP = KH + sh * (OH - 1);
    const WP = KW + sw * (OW - 1);
    const keepH = Math.min(H, HP - pt);
    const keepW = Math.min(W, WP - pl);
    const padB = HP - pt - keepH;
    const padR = WP - pl - keepW;
    if (keepH <= 0 || keepW <= 0 || pt < 0 || pl < 0) {
      throw new Error(
        `Conv2DBackpropFilter (${name}): unsupported padding ${JSON.stringify(a.pad)}.`,
      );
    }

    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      temps.push(t);
      return t;
    };
    try {
      let xp: TensorInfo = x;
      if (keepH < H || keepW < W) {
        xp = keep(
          run(Slice, backend, { x: xp }, { begin: [0, 0, 0, 0], size: [B, keepH, keepW, Ci] }),
        );
      }
      if (pt > 0 || pl > 0 || padB > 0 || padR > 0) {
        const paddings = [
          [0, 0],
          [pt, padB],
          [pl, padR],
          [0, 0],
        ];
        xp = keep(run(PadV2, backend, { x: xp }, { paddings, constantValue: 0 }));
      }
      // I[ci, r, c, b] = Xp[b, r, c, ci]: [Ci, HP, WP, B]
      const I = keep(run(Transpose, backend, { x: xp }, { perm: [3, 1, 2, 0] }));
      // F[y, x, b, co] = dY[b, y, x, co]: [OH, OW, B, Co]
      const F = keep(run(Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] }));
      // O[ci, kh, kw, co] = Σ_{y,x,b} I[ci, kh + sh·y, kw + sw·x, b] · F[y, x, b, co]: [Ci, KH, KW, Co]
      const O = keep(
        run(
          Conv2D,
          backend,
          { x: I, filter: F },
          { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] },
        ),
      );
      // dW[kh, kw, ci, co] = O[ci, kh, kw, co]: [KH, KW, Ci, Co]
      const dW = run(Transpose, backend, { x: O }, { perm: [1, 2, 0, 3] });
      if (dW.shape.join() !== [KH, KW, Ci, Co].join()) {
        backend.disposeData(dW.dataId);
        throw new Error(`Conv2DBackpropFilter (${name}): internal shape error, got ${dW.shape}.`);
      }
      return dW;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
