/**
 * Conv2DBackpropFilter for webgl when the conv has few output channels (e.g. the decoders' last
 * conv, dW [3, 3, 32, 1] over 28×28): spread dY to the input positions per tap, then one batched
 * packed matmul with X. The stock shader gives each of the KH·KW·Ci·Co filter entries one
 * fragment that loops over the whole batch and image (288 fragments × 100,352 iterations, two
 * single-float reads per multiply-add, ~0.3 s on SwiftShader); our im2col route
 * (./webgl-filter-by-im2col) would write B·OH·OW·KH·KW·Ci values for a matmul with 1 output
 * column (half of each 2×2 packed texel wasted). Here:
 *
 *   D[b, r, c, t·Co + co] = dY[b, y, x, co]  if r = y·sh + kh·dh − pt, c = x·sw + kw·dw − pl
 *                                             for some in-range (y, x); else 0
 *                           t = kh·KW + kw   D [B, H, W, KH·KW·Co]   (one small shader)
 *   P[b, t·Co + co, ci]   = Σ_{r,c} D[b, r, c, t·Co + co] · X[b, r, c, ci]
 *                           batched matmul, D viewed [B, H·W, T·Co] transposed × X [B, H·W, Ci]
 *   dW[kh, kw, ci, co]    = Σ_b P[b, t·Co + co, ci]     (Sum over axis 0, then a transpose)
 *
 * which is the forward formula dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, y·sh+kh·dh−pt, x·sw+kw·dw−pl, ci]
 * · dY[b,y,x,co] with each (y, x) moved to the X position it multiplies. Used on the same rule as
 * ./webgl-conv-by-taps (D at most a quarter of the im2col matrix: 4·Co·H·W ≤ Ci·OH·OW, filter
 * bigger than 1×1). NHWC float32 only. Not specific to software renderers.
 */
import {
  BatchMatMul,
  Reshape,
  Sum,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelScratch, runBackendKernel } from '../shared/run-kernel';
import { convByTapsApplies, type WebglProgramRunner } from './webgl-conv-by-taps';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { filterGradInfo, matchesOutput, type ConvInfo } from '../shared/conv-geometry';

/** dY [B, OH, OW, Co] → D [B, H, W, KH·KW·Co] (the spread above). */
function spreadProgram(info: ConvInfo) {
  const { batchSize: B, inHeight: H, inWidth: W, outChannels: Co } = info;
  const { outHeight: OH, outWidth: OW, filterWidth: KW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top: pt, left: pl } = info.padInfo;
  const T = info.filterHeight * KW;
  return {
    variableNames: ['dy'],
    outputShape: [B, H, W, T * Co],
    userCode: `
      void main() {
        ivec4 c = getOutputCoords(); // b, r, col, t·Co + co
        int t = c.w / ${Co};
        int co = c.w - t * ${Co};
        int kh = t / ${KW};
        int kw = t - kh * ${KW};
        int ys = c.y - kh * ${dh} + ${pt}; // = y·sh
        int xs = c.z - kw * ${dw} + ${pl}; // = x·sw
        int y = ys / ${sh};
        int x = xs / ${sw};
        float v = 0.0;
        if (ys >= 0 && xs >= 0 && y * ${sh} == ys && x * ${sw} == xs && y < ${OH} && x < ${OW}) {
          v = getDy(c.x, y, x, co);
        }
        setOutput(v);
      }
    `,
  };
}

/** dW by tap spreading where convByTapsApplies, else null (the caller picks another route). */
export function conv2DBackpropFilterByTaps(name: string) {
  return (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const inputs = nhwcFloat32Pair(args.inputs.x, args.inputs.dy, attrs.dataFormat);
    if (inputs === null) return null;
    const [x, dy] = inputs;
    const info = filterGradInfo(x.shape, attrs);
    if (!convByTapsApplies(info) || !matchesOutput(dy.shape, info)) return null;
    const backend = args.backend as KernelBackend & WebglProgramRunner;
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
    const { filterHeight: KH, filterWidth: KW } = info;
    const T = KH * KW;
    const { run, keep, dispose } = kernelScratch(name, backend);
    try {
      const d = keep(backend.runWebGLProgram(spreadProgram(info), [dy], 'float32'));
      const d3 = run(Reshape, { x: d }, { shape: [B, H * W, T * Co] });
      const x3 = run(Reshape, { x }, { shape: [B, H * W, Ci] });
      // P [B, T·Co, Ci]
      const p = run(BatchMatMul, { a: d3, b: x3 }, { transposeA: true, transposeB: false });
      const p2 = run(Reshape, { x: p }, { shape: [B, T * Co * Ci] });
      const s = run(Sum, { x: p2 }, { axis: [0], keepDims: false }); // [T·Co·Ci]
      const s4 = run(Reshape, { x: s }, { shape: [KH, KW, Co, Ci] });
      return runBackendKernel(name, Transpose, backend, { x: s4 }, { perm: [0, 1, 3, 2] });
    } finally {
      dispose();
    }
  };
}
