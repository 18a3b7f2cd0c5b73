/**
 * im2col / col2im for NHWC 2-D convolutions, shared by the cpu backend's kernels
 * (./cpu-fast-conv) and the wasm backend's Conv2D (./wasm-conv-gemm): pure JS over Float32Arrays.
 *
 * Shapes (NHWC): X [B,H,W,Ci], W [KH,KW,Ci,Co], Y [B,OH,OW,Co]; strides (sh,sw), dilations
 * (dh,dw), top/left padding (pt,pl) from backend_util.computeConv2DInfo. With N = B·OH·OW rows
 * and KK = KH·KW·Ci columns:
 *   cols[(b,oy,ox), (kh,kw,ci)] = X[b, oy·sh + kh·dh − pt, ox·sw + kw·dw − pl, ci]  (0 outside)
 * so that Y [N, Co] = cols [N, KK] · W [KK, Co]. col2im adds dcols [N, KK] back into dX.
 */
import type { backend_util } from '@tensorflow/tfjs-core';

export interface Geometry {
  B: number;
  H: number;
  W: number;
  Ci: number;
  OH: number;
  OW: number;
  Co: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
}

export function geometry(info: backend_util.Conv2DInfo): Geometry | null {
  const g: Geometry = {
    B: info.batchSize,
    H: info.inHeight,
    W: info.inWidth,
    Ci: info.inChannels,
    OH: info.outHeight,
    OW: info.outWidth,
    Co: info.outChannels,
    KH: info.filterHeight,
    KW: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
  const empty = [g.B, g.H, g.W, g.Ci, g.OH, g.OW, g.Co, g.KH, g.KW].some((d) => !(d > 0));
  return empty || info.dataFormat !== 'channelsLast' ? null : g;
}

/**
 * For output pixel (oy, ox) and kernel row kh: the input row iy, and the taps kw in [kw0, kw1)
 * that read X inside the image (the others read the zero padding; none when iy is outside).
 * With dilation dw = 1 those taps' Ci values are one contiguous run in X and in cols.
 */
function taps(
  g: Geometry,
  oy: number,
  kh: number,
  ox: number,
): [iy: number, kw0: number, kw1: number] {
  const iy = oy * g.sh + kh * g.dh - g.pt;
  if (iy < 0 || iy >= g.H) return [iy, 0, 0];
  const x0 = ox * g.sw - g.pl;
  // kw0 = first kw with x0 + kw·dw ≥ 0, kw1 = first kw with x0 + kw·dw ≥ W.
  const kw0 = x0 >= 0 ? 0 : Math.min(g.KW, Math.ceil(-x0 / g.dw));
  const kw1 = Math.max(kw0, Math.min(g.KW, Math.ceil((g.W - x0) / g.dw)));
  return [iy, kw0, kw1];
}

/** Runs shorter than this many floats are copied by a loop, longer ones by copyWithin. */
const SHORT_RUN = 16;

/** The rows of cols for images [b0, b1), written from X (see the header). */
export function im2col(
  x: Float32Array,
  g: Geometry,
  b0: number,
  b1: number,
): (heap: Float32Array, at: number) => void {
  const { H, W, Ci, OH, OW, KH, KW, sw, dw, pl } = g;
  return (heap, at) => {
    // x inside heap's own buffer (the wasm backend's memory): copy runs with copyWithin (a
    // memmove, ~4× faster than an element loop for runs of 32+ floats) from x's offset there.
    const xAt = x.buffer === heap.buffer ? (x.byteOffset - heap.byteOffset) / 4 : -1;
    // Short runs (a first layer's Ci = 1: KW floats) by an element loop: a copyWithin call
    // costs more than copying a dozen floats.
    const copy = (o: number, s: number, len: number) => {
      if (len <= 0) return;
      if (xAt >= 0 && len >= SHORT_RUN) heap.copyWithin(o, xAt + s, xAt + s + len);
      else for (let c = 0; c < len; c++) heap[o + c] = x[s + c]!;
    };
    let d = at;
    for (let b = b0; b < b1; b++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          for (let kh = 0; kh < KH; kh++) {
            const [iy, kw0, kw1] = taps(g, oy, kh, ox);
            const rowEnd = d + KW * Ci;
            if (kw0 > 0) heap.fill(0, d, d + kw0 * Ci);
            const base = (b * H + iy) * W;
            const x0 = ox * sw - pl;
            if (dw === 1) {
              copy(d + kw0 * Ci, (base + x0 + kw0) * Ci, (kw1 - kw0) * Ci);
            } else {
              for (let kw = kw0; kw < kw1; kw++) copy(d + kw * Ci, (base + x0 + kw * dw) * Ci, Ci);
            }
            if (kw1 < KW) heap.fill(0, d + kw1 * Ci, rowEnd);
            d = rowEnd;
          }
        }
      }
    }
  };
}

/**
 * Adds the rows of dcols for images [b0, b1), at heap[at …], into dX [B,H,W,Ci] (see the
 * header); dilation 1 (gradients).
 */
export function col2im(
  heap: Float32Array,
  at: number,
  g: Geometry,
  dx: Float32Array,
  b0: number,
  b1: number,
) {
  const { H, W, Ci, OH, OW, KH, KW, sw, pl } = g;
  let d = at;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        for (let kh = 0; kh < KH; kh++) {
          const [iy, kw0, kw1] = taps(g, oy, kh, ox);
          const s = ((b * H + iy) * W + ox * sw - pl + kw0) * Ci;
          const o = d + kw0 * Ci;
          const len = (kw1 - kw0) * Ci;
          for (let c = 0; c < len; c++) dx[s + c]! += heap[o + c]!;
          d += KW * Ci;
        }
      }
    }
  }
}
