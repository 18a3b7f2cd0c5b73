/**
 * Conv2DBackpropInput for webgl (conv2dTranspose's forward pass, conv2d's ∂L/∂x) when dX has no
 * more channels than dY (e.g. the decoders' convT 64 → 32 at 14 → 28, the encoder's ∂x of
 * conv 32 → 64): "tap products, then gather-add", instead of one im2col + matmul per sub-pixel
 * phase (./conv-input-by-phases). The phase route writes im2col matrices of Σ_phases
 * B·Q²·M_phase·Co ≈ B·OH·OW·KH·KW·Co values and interleaves the phase outputs; here the
 * products are formed on dY's grid, before the spatial scatter, in an intermediate of
 * B·OH·OW·KH·KW·Ci values (Ci/Co of that), with the same multiply-adds:
 *
 *   Z[(b·OH + y)·OW + x, t·Ci + ci] = Σ_co dY[b, y, x, co] · W[kh, kw, ci, co]    t = kh·KW + kw
 *       one packed BatchMatMul  dY [B·OH·OW, Co] × W viewed [KH·KW·Ci, Co]ᵀ        (no copies)
 *   dX[b, i, j, ci] = Σ_{kh,kw} Z[(b·OH + y)·OW + x, t·Ci + ci]
 *                     over i + pt − kh = y·sh, j + pl − kw = x·sw with 0 ≤ y < OH, 0 ≤ x < OW
 *       one shader: ⌈KH/sh⌉·⌈KW/sw⌉ taps at most per dX value, Z and dX packed
 *
 * Used when Ci ≤ Co and the filter is bigger than 1×1; NHWC float32 only (else null: the caller
 * takes the phase route). The same arithmetic on any GPU, not specific to software renderers.
 */
import {
  BatchMatMul,
  Reshape,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelScratch } from '../shared/run-kernel';
import type { WebglProgramRunner } from './webgl-conv-by-taps';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { inputGradInfo, matchesOutput, type ConvInfo } from '../shared/conv-geometry';

/** Whether `info` (of the forward conv) takes the tap-products route for ∂x. */
export function inputByTapsApplies(info: ConvInfo): boolean {
  return info.filterHeight * info.filterWidth > 1 && info.inChannels <= info.outChannels;
}

/**
 * The gather-add shader: Z [1, B·OH·OW, KH·KW·Ci] (packed) → dX [B, H, W, Ci] (packed). Each
 * fragment makes dX's 2×2 block (j, ci), (j, ci+1), (j+1, ci), (j+1, ci+1), visiting only the
 * taps that hit: kh ≡ i + pt (mod sh), kw ≡ j + pl (mod sw). With Ci even, (ci, ci+1) of one Z
 * row lie in one texel (its .xy for an even row, .zw for an odd one): one read per tap and j.
 */
function gatherAddProgram(info: ConvInfo) {
  const { inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top: pt, left: pl } = info.padInfo;
  const pair =
    Ci % 2 === 0
      ? `vec4 z = getZ(0, row, col);
              acc += (row - (row / 2) * 2) == 0 ? z.xy : z.zw;`
      : `acc += vec2(getChannel(getZ(0, row, col), vec2(float(row), float(col))),
                getChannel(getZ(0, row, col + 1), vec2(float(row), float(col + 1))));`;
  return {
    variableNames: ['Z'],
    packedInputs: true,
    packedOutput: true,
    outputShape: [info.batchSize, H, W, Ci],
    userCode: `
      vec2 column(int b, int i, int j, int ci) {
        vec2 acc = vec2(0.0);
        int kh0 = (i + ${pt}) - ((i + ${pt}) / ${sh}) * ${sh};
        int kw0 = (j + ${pl}) - ((j + ${pl}) / ${sw}) * ${sw};
        for (int m = 0; m < ${Math.ceil(KH / sh)}; m++) {
          int kh = kh0 + m * ${sh};
          if (kh >= ${KH}) break;
          int ys = i + ${pt} - kh; // = y·sh
          if (ys < 0) break;
          int y = ys / ${sh};
          if (y >= ${OH}) continue;
          for (int n = 0; n < ${Math.ceil(KW / sw)}; n++) {
            int kw = kw0 + n * ${sw};
            if (kw >= ${KW}) break;
            int xs = j + ${pl} - kw; // = x·sw
            if (xs < 0) break;
            int x = xs / ${sw};
            if (x >= ${OW}) continue;
            int row = (b * ${OH} + y) * ${OW} + x;
            int col = (kh * ${KW} + kw) * ${Ci} + ci;
            ${pair}
          }
        }
        return acc;
      }

      void main() {
        ivec4 c = getOutputCoords(); // b, i, j, ci of the block's first value
        vec2 a = column(c.x, c.y, c.z, c.w);
        vec2 b = c.z + 1 < ${W} ? column(c.x, c.y, c.z + 1, c.w) : vec2(0.0);
        setOutput(vec4(a, b));
      }
    `,
  };
}

/** dX by tap products where inputByTapsApplies, else null (the caller picks another route). */
export function conv2DBackpropInputByTaps(name: string) {
  return (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const inputs = nhwcFloat32Pair(args.inputs.dy, args.inputs.filter, attrs.dataFormat);
    if (inputs === null) return null;
    const [dy, filter] = inputs;
    const info = inputGradInfo(filter.shape, attrs);
    if (!inputByTapsApplies(info) || !matchesOutput(dy.shape, info)) return null;
    const backend = args.backend as KernelBackend & WebglProgramRunner;
    const { batchSize: B, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
    const T = info.filterHeight * info.filterWidth;
    const { run, dispose } = kernelScratch(name, backend);
    try {
      const dy3 = run(Reshape, { x: dy }, { shape: [1, B * OH * OW, Co] });
      const w3 = run(Reshape, { x: filter }, { shape: [1, T * Ci, Co] });
      // Z [1, B·OH·OW, KH·KW·Ci]
      const z = run(BatchMatMul, { a: dy3, b: w3 }, { transposeA: false, transposeB: true });
      return backend.runWebGLProgram(gatherAddProgram(info), [z], 'float32');
    } finally {
      dispose();
    }
  };
}
