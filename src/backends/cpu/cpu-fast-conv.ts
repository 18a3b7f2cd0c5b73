/**
 * Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter for TF.js's pure-JS `cpu` backend as
 * im2col / col2im in JS around our WebAssembly SIMD GEMM (./cpu-fast-matmul's cpuGemm).
 *
 * The stock kernels are scalar JS loops: a conv VAE training step (batch 128) took ~41 s of CPU
 * time here, 37 s of it in Conv2DBackpropFilter (`npm run train -- --backend cpu --arch conv
 * --profile 1`). Where the GEMM is not ready (no WebAssembly SIMD), for NCHW, non-float32 or
 * empty tensors, the stock kernels run.
 *
 * Shapes (NHWC): X [B,H,W,Ci], W [KH,KW,Ci,Co], Y = dY [B,OH,OW,Co]; strides (sh,sw), dilations
 * (dh,dw), top/left padding (pt,pl) from backend_util.computeConv2DInfo, as the stock kernels.
 * With N = B·OH·OW rows and KK = KH·KW·Ci columns:
 *   cols[(b,oy,ox), (kh,kw,ci)] = X[b, oy·sh + kh·dh − pt, ox·sw + kw·dw − pl, ci]  (0 outside)
 *   Conv2D                Y [N, Co]   = cols [N, KK] · W [KK, Co]
 *   Conv2DBackpropInput   dcols [N,KK] = dY [N, Co] · Wᵀ,  dX = col2im(dcols): each dcols entry
 *                         added to the X element its cols entry was read from
 *   Conv2DBackpropFilter  dW [KK, Co] = colsᵀ · dY [N, Co]
 * im2col writes straight into the GEMM's memory; col2im reads the product from there. Both work
 * on a few images at a time (cols is KH·KW times the size of X), so that our memory holds at most
 * 16 MiB of cols; the chunks' dW are summed.
 */
import {
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  type Conv2DAttrs,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type CpuBackendLike, float32Values } from './cpu-backend-like';
import { col2im, geometry, im2col, type Geometry } from '../shared/conv-im2col';
import { conv2DInfo, filterGradInfo, inputGradInfo, matchesOutput } from '../shared/conv-geometry';
import { overrideKernel, type KernelArgs } from '../shared/override-kernel';
import { copyIn, cpuGemm } from './cpu-fast-matmul';

const CPU = 'cpu';
/** The most floats of cols (or dcols) built at once: 16 MiB (see inChunks). */
let maxCols = 4 << 20;

/** Sets how many floats of cols one chunk may take (tests: several chunks on small tensors). */
export function setCpuConvChunkFloats(floats: number): void {
  maxCols = floats;
}

/**
 * Runs `step(b0, b1)` over the batch in chunks of images whose cols take at most maxCols
 * floats (one image at least), so that our GEMM's memory stays small; false as soon as a step
 * does (the GEMM is not there: the stock kernel then computes the whole result).
 */
function inChunks(g: Geometry, step: (b0: number, b1: number) => boolean): boolean {
  const perImage = g.OH * g.OW * g.KH * g.KW * g.Ci;
  const chunk = Math.max(1, Math.floor(maxCols / perImage));
  for (let b0 = 0; b0 < g.B; b0 += chunk) {
    if (!step(b0, Math.min(g.B, b0 + chunk))) return false;
  }
  return true;
}

function values(backend: CpuBackendLike, t: TensorInfo): Float32Array | null {
  return t.shape.length === 4 ? float32Values(backend, t) : null;
}

/** The three kernels: a new cpu tensor, or null for the stock kernel. */
const FAST: Record<string, (backend: CpuBackendLike, args: KernelArgs) => TensorInfo | null> = {
  [Conv2D]: (backend, { inputs, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Conv2DAttrs;
    const xv = values(backend, x);
    const wv = values(backend, filter);
    if (xv === null || wv === null || a.dataFormat !== 'NHWC') return null;
    const info = conv2DInfo(x.shape, filter.shape, a);
    const g = geometry(info);
    if (g === null) return null;
    const P = g.OH * g.OW;
    const KK = g.KH * g.KW * g.Ci;
    const y = new Float32Array(g.B * P * g.Co);
    const done = inChunks(g, (b0, b1) => {
      const spec = { m: (b1 - b0) * P, k: KK, n: g.Co, transposeA: false, transposeB: false };
      const fill = { fillA: im2col(xv, g, b0, b1), fillB: copyIn(wv) };
      const out = (heap: Float32Array, at: number) =>
        y.set(heap.subarray(at, at + spec.m * g.Co), b0 * P * g.Co);
      return cpuGemm({ ...spec, ...fill }, out) !== null;
    });
    return done ? backend.makeTensorInfo(info.outShape, 'float32', y) : null;
  },
  [Conv2DBackpropInput]: (backend, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropInputAttrs;
    const dyv = values(backend, dy);
    const wv = values(backend, filter);
    if (dyv === null || wv === null || a.dataFormat !== 'NHWC') return null;
    const info = inputGradInfo(filter.shape, a);
    const g = geometry(info);
    if (g === null || !matchesOutput(dy.shape, info)) return null;
    const P = g.OH * g.OW;
    const KK = g.KH * g.KW * g.Ci;
    const dx = new Float32Array(g.B * g.H * g.W * g.Ci);
    const done = inChunks(g, (b0, b1) => {
      // dcols = dY [rows, Co] · Wᵀ, W stored [KK, Co] (transposeB).
      const spec = { m: (b1 - b0) * P, k: g.Co, n: KK, transposeA: false, transposeB: true };
      const dyRows = dyv.subarray(b0 * P * g.Co, b1 * P * g.Co);
      const fill = { fillA: copyIn(dyRows), fillB: copyIn(wv) };
      const out = (heap: Float32Array, at: number) => col2im(heap, at, g, dx, b0, b1);
      return cpuGemm({ ...spec, ...fill }, out) !== null;
    });
    return done ? backend.makeTensorInfo(info.inShape, 'float32', dx) : null;
  },
  [Conv2DBackpropFilter]: (backend, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const xv = values(backend, x);
    const dyv = values(backend, dy);
    if (xv === null || dyv === null || a.dataFormat !== 'NHWC') return null;
    const info = filterGradInfo(x.shape, a);
    const g = geometry(info);
    if (g === null || !matchesOutput(dy.shape, info)) return null;
    const P = g.OH * g.OW;
    const KK = g.KH * g.KW * g.Ci;
    const dw = new Float32Array(KK * g.Co);
    const done = inChunks(g, (b0, b1) => {
      // dW += colsᵀ · dY over this chunk's rows: cols stored [rows, KK] = [k, m] (transposeA).
      const spec = { m: KK, k: (b1 - b0) * P, n: g.Co, transposeA: true, transposeB: false };
      const dyRows = dyv.subarray(b0 * P * g.Co, b1 * P * g.Co);
      const fill = { fillA: im2col(xv, g, b0, b1), fillB: copyIn(dyRows) };
      const out = (heap: Float32Array, at: number) => {
        for (let i = 0; i < dw.length; i++) dw[i]! += heap[at + i]!;
      };
      return cpuGemm({ ...spec, ...fill }, out) !== null;
    });
    return done ? backend.makeTensorInfo(a.filterShape, 'float32', dw) : null;
  },
};

/**
 * Installs the overrides (once) over the kernels registered for the cpu backend; returns false
 * when the cpu backend package is not loaded yet. A kernel left out of the build is skipped.
 */
export function installCpuFastConv(): boolean {
  let any = false;
  for (const [name, fast] of Object.entries(FAST)) {
    const ok = overrideKernel(CPU, name, () => (args) => {
      const backend = args.backend as unknown as CpuBackendLike;
      return fast(backend, args);
    });
    any ||= ok;
  }
  return any;
}
