/**
 * Conv2D for webgl when the output has few channels (e.g. the decoders' last conv, 3×3, 32 → 1
 * over 28×28): "tap products, then shift-and-add", instead of the stock im2col + packed matmul.
 *
 * The stock kernel builds an im2col matrix of B·OH·OW·KH·KW·Ci values (for the decoder's last conv
 * at batch 128: 28.9 M values, written with a division-heavy shader and read back once) and
 * multiplies it by a [KH·KW·Ci, Co] filter; with Co = 1 that is one multiply-add per im2col value
 * and half of each 2×2 packed output texel is wasted. Here the products are formed before the
 * spatial shift, so the big intermediate has Co/Ci as many values:
 *
 *   Z[p, t·Co + co] = Σ_ci X[p, ci] · W[kh, kw, ci, co]    p = (b·H + r)·W + c, t = kh·KW + kw
 *       one packed BatchMatMul  [B·H·W, Ci] × [Ci, KH·KW·Co]      (same multiply-adds per output
 *       position of X as the stock conv spends per output position of Y when stride is 1)
 *   Y[b, y, x, co] = Σ_{kh,kw} Z[(b·H + r)·W + c, t·Co + co]   r = y·sh + kh·dh − pt,
 *                                                              c = x·sw + kw·dw − pl (inside X)
 *       one small shader: KH·KW reads per output value
 *
 * Used when the intermediate Z (B·H·W·KH·KW·Co values) is at most a quarter of the im2col
 * matrix (B·OH·OW·KH·KW·Ci), i.e. 4·Co·H·W ≤ Ci·OH·OW, and the filter is bigger than 1×1 (the
 * stock kernel runs 1×1 convs as a plain matmul already). The same arithmetic on any GPU, so
 * not specific to software renderers. NHWC float32 only; anything else goes to the stock kernel.
 */
import {
  BatchMatMul,
  Reshape,
  Transpose,
  type Conv2DAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelScratch } from '../shared/run-kernel';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { conv2DInfo, type ConvInfo } from '../shared/conv-geometry';

/** The part of tfjs-backend-webgl's MathBackendWebGL used here (no runtime import). */
export interface WebglProgramRunner {
  runWebGLProgram(
    program: { variableNames: string[]; outputShape: number[]; userCode: string },
    inputs: TensorInfo[],
    outputDtype: 'float32',
  ): TensorInfo;
}

/** Whether `info` takes the tap-products route (see the header for the rule). */
export function convByTapsApplies(info: ConvInfo): boolean {
  const { inChannels: Ci, outChannels: Co, inHeight: H, inWidth: W } = info;
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  return KH * KW > 1 && 4 * Co * H * W <= Ci * OH * OW && info.dataFormat === 'channelsLast';
}

/** The shift-and-add shader: Z [1, B·H·W, KH·KW·Co] (unpacked) → Y [B, OH, OW, Co]. */
function shiftAddProgram(info: ConvInfo) {
  const { inHeight: H, inWidth: W, outChannels: Co, filterHeight: KH, filterWidth: KW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top: pt, left: pl } = info.padInfo;
  return {
    variableNames: ['Z'],
    outputShape: info.outShape,
    userCode: `
      void main() {
        ivec4 c = getOutputCoords(); // b, y, x, co
        float s = 0.0;
        for (int kh = 0; kh < ${KH}; kh++) {
          int r = c.y * ${sh} + kh * ${dh} - ${pt};
          if (r < 0 || r >= ${H}) continue;
          for (int kw = 0; kw < ${KW}; kw++) {
            int col = c.z * ${sw} + kw * ${dw} - ${pl};
            if (col < 0 || col >= ${W}) continue;
            s += getZ(0, (c.x * ${H} + r) * ${W} + col, (kh * ${KW} + kw) * ${Co} + c.w);
          }
        }
        setOutput(s);
      }
    `,
  };
}

/** Conv2D for webgl: the tap-products route where it applies, else `fallback` (stock). */
export function conv2DByTaps(name: string, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as Conv2DAttrs;
    const inputs = nhwcFloat32Pair(args.inputs.x, args.inputs.filter, attrs.dataFormat);
    if (inputs === null) return fallback(args);
    const [x, filter] = inputs;
    const info = conv2DInfo(x.shape, filter.shape, attrs);
    if (!convByTapsApplies(info)) return fallback(args);
    const backend = args.backend as KernelBackend & WebglProgramRunner;
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
    const T = info.filterHeight * info.filterWidth;
    const { run, dispose } = kernelScratch(name, backend);
    try {
      // X as [1, B·H·W, Ci]; W [KH, KW, Ci, Co] → [Ci, KH, KW, Co] → [1, Ci, KH·KW·Co].
      const x3 = run(Reshape, { x }, { shape: [1, B * H * W, Ci] });
      const wt = run(Transpose, { x: filter }, { perm: [2, 0, 1, 3] });
      const w3 = run(Reshape, { x: wt }, { shape: [1, Ci, T * Co] });
      // Z [1, B·H·W, KH·KW·Co]
      const z = run(BatchMatMul, { a: x3, b: w3 }, { transposeA: false, transposeB: false });
      return backend.runWebGLProgram(shiftAddProgram(info), [z], 'float32');
    } finally {
      dispose();
    }
  };
}
