/**
 * Conv2DBackpropFilter for webgl as im2col + batched packed matmul with a short reduction
 * ("split-K" over groups of images), then a sum over the groups.
 *
 * Our first webgl route (./conv-filter-by-conv: one dilated Conv2D with batch and channels
 * swapped) makes one long matmul: for dW [3,3,32,64] over dY [128,14,14,64] every output texel
 * loops over all B·OH·OW = 25,088 positions, streaming two 200 kB strips per fragment, and
 * SwiftShader runs it at ~0.6 of the packed matmul's usual rate (cache misses); it also pads and
 * transposes X first. Here the reduction is cut into N = B/G groups of G images:
 *
 *   A[n, t·Ci + ci, (g·OH + y)·OW + x] = X[n·G + g, y·sh + kh·dh − pt, x·sw + kw·dw − pl, ci]
 *                                       (0 outside X), t = kh·KW + kw     A [N, KH·KW·Ci, G·OH·OW]
 *                                       one packed shader (the im2col of stock Conv2D, per group)
 *   P[n] = A[n] · dY[n]                 dY viewed [N, G·OH·OW, Co]       P [N, KH·KW·Ci, Co]
 *   dW   = Σ_n P[n]                     Sum over axis 0 (./webgl-sum-by-matmul) → [KH, KW, Ci, Co]
 *
 * i.e. dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, y·sh+kh·dh−pt, x·sw+kw·dw−pl, ci] · dY[b,y,x,co], the
 * same multiply-adds with no transposes; the row order t·Ci + ci is already dW's [KH,KW,Ci,Co].
 * G is the largest divisor of B with G·OH·OW ≤ GROUP_POSITIONS (each fragment then loops at
 * most GROUP_POSITIONS/2 times). Not specific to software renderers. NHWC float32 only.
 */
import {
  BatchMatMul,
  Reshape,
  Sum,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { kernelScratch, runBackendKernel } from '../shared/run-kernel';
import type { WebglProgramRunner } from './webgl-conv-by-taps';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { filterGradInfo, matchesOutput, type ConvInfo } from '../shared/conv-geometry';

/** Upper bound on G·OH·OW, the matmul's reduction length per group. */
export const GROUP_POSITIONS = 512;

/** G: the largest divisor of B with G·positions ≤ GROUP_POSITIONS (at least 1). */
export function imagesPerGroup(B: number, positions: number): number {
  for (let g = Math.min(B, Math.floor(GROUP_POSITIONS / positions)); g > 1; g--) {
    if (B % g === 0) return g;
  }
  return 1;
}

/** The packed im2col shader: X [B, H, W, Ci] → A [B/G, KH·KW·Ci, G·OH·OW]. */
function im2colProgram(info: ConvInfo, G: number) {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci } = info;
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top: pt, left: pl } = info.padInfo;
  const K = KH * KW * Ci;
  const L = G * OH * OW;
  let unrolled = '';
  for (let dr = 0; dr <= 1; dr++) {
    for (let dc = 0; dc <= 1; dc++) {
      unrolled += `
        k = rc.y + ${dr};
        l = rc.z + ${dc};
        if (k < ${K} && l < ${L}) {
          t = k / ${Ci};
          ci = k - t * ${Ci};
          kh = t / ${KW};
          g = l / ${OH * OW};
          pq = l - g * ${OH * OW};
          y = pq / ${OW};
          r = y * ${sh} + kh * ${dh} - ${pt};
          c = (pq - y * ${OW}) * ${sw} + (t - kh * ${KW}) * ${dw} - ${pl};
          if (r >= 0 && r < ${H} && c >= 0 && c < ${W}) {
            result[${dr * 2 + dc}] =
              getChannel(getX(rc.x * ${G} + g, r, c, ci), vec2(float(c), float(ci)));
          }
        }`;
    }
  }
  return {
    variableNames: ['X'],
    packedInputs: true,
    packedOutput: true,
    outputShape: [B / G, K, L],
    userCode: `
      void main() {
        ivec3 rc = getOutputCoords(); // n, k, l of the 2×2 block's first value
        vec4 result = vec4(0);
        int k, l, t, ci, kh, g, pq, y, r, c;
        ${unrolled}
        setOutput(result);
      }
    `,
  };
}

/** Conv2DBackpropFilter for webgl by grouped im2col; other layouts/dtypes go to `fallback`. */
export function conv2DBackpropFilterByIm2col(name: string, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const inputs = nhwcFloat32Pair(args.inputs.x, args.inputs.dy, attrs.dataFormat);
    if (inputs === null) return fallback(args);
    const [x, dy] = inputs;
    const info = filterGradInfo(x.shape, attrs);
    if (!matchesOutput(dy.shape, info)) {
      throw new Error(
        `Conv2DBackpropFilter (${name}): dy shape ${dy.shape} does not match the conv output ${info.outShape}.`,
      );
    }
    const backend = args.backend as KernelBackend & WebglProgramRunner;
    const { batchSize: B, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
    const { filterHeight: KH, filterWidth: KW } = info;
    const G = imagesPerGroup(B, OH * OW);
    const N = B / G;
    const K = KH * KW * Ci;
    const { run, keep, dispose } = kernelScratch(name, backend);
    try {
      const a = keep(backend.runWebGLProgram(im2colProgram(info, G), [x], 'float32'));
      const dy3 = run(Reshape, { x: dy }, { shape: [N, G * OH * OW, Co] });
      const p = run(BatchMatMul, { a, b: dy3 }, { transposeA: false, transposeB: false });
      const total =
        N === 1
          ? p
          : run(
              Sum,
              { x: run(Reshape, { x: p }, { shape: [N, K * Co] }) },
              { axis: [0], keepDims: false },
            );
      return runBackendKernel(name, Reshape, backend, { x: total }, { shape: [KH, KW, Ci, Co] });
    } finally {
      dispose();
    }
  };
}
