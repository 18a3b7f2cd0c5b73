/**
 * A fast Conv2DBackpropInput for the TF.js wasm backend (call once the wasm backend package is
 * loaded, before or after the backend starts; calling again does nothing).
 *
 * Conv2DBackpropInput is both ∂L/∂x of conv2d and the forward pass of conv2dTranspose.
 * tfjs-backend-wasm 4.22 runs it as a scalar C++ loop (channels outermost), while its Conv2D runs
 * XNNPACK; in our conv VQ-VAE it took ~72 % of a training step. This override rewrites it as
 * stride-1 XNNPACK Conv2Ds, one per sub-pixel phase, so no multiply-adds are spent on the zeros
 * a stride-s transposed convolution inserts.
 *
 * Formula. Shapes: dY [B,OH,OW,Co], W [KH,KW,Ci,Co], dX [B,H,W,Ci], strides (sh,sw), forward
 * top/left padding (pt,pl) from backend_util.computeConv2DInfo of the forward conv x → dY.
 * One axis (the other is the same):
 *
 *   dX[i] = Σ_{o,k: o·s + k − pt = i} dY[o] · W[k]
 *
 * Write i + pt = q·s + r (0 ≤ r < s): the taps are k = r + m·s and o = q − m for
 * m = 0 … M_r − 1, M_r = ⌈(K − r)/s⌉ (0 when r ≥ K). With the phase's taps reversed,
 * G_r[t] = W[r + (M_r − 1 − t)·s], phase r is a stride-1 'valid' convolution of dY zero-padded by
 * M_r − 1 above:
 *
 *   P_r[q] = Σ_{t < M_r} dY[q − (M_r − 1) + t] · G_r[t]
 *
 * In 2-D, for each of the sh·sw phases (rh,rw) with taps (a phase without taps is zeros):
 *
 *   G[th, tw, co, ci] = W[rh + (M_rh−1−th)·sh, rw + (M_rw−1−tw)·sw, ci, co]  [M_rh,M_rw,Co,Ci]
 *   Y_(rh,rw) = Conv2D(dY, G, stride 1, explicit padding)                  [B, Qh, Qw, Ci]
 *   dX[b, i, j, :] = Y_(rh,rw)[b, qh − q0h, qw − q0w, :]   where i + pt = qh·sh + rh,
 *                                                               j + pl = qw·sw + rw
 *
 * Rows q run from q0 = min(⌊pt/s⌋, min_r M_r − 1) (so every top padding M_r − 1 − q0 ≥ 0) to
 * q1 = max(⌈(pt + H)/s⌉, OH) (so the bottom padding q1 − OH ≥ 0), Q = q1 − q0. Stride 1 is the
 * single-phase case (G is W flipped with Ci/Co swapped; for 'same' padding Y is dX itself).
 * Work: Σ_phases B·Qh·Qw·M_rh·M_rw·Co·Ci ≈ B·H·W·KH·KW·Ci·Co/(sh·sw), the exact count.
 *
 * Measured (Node, wasm SIMD, one thread, batch 128, 3×3 'same', median of 3–7; the machine was
 * shared, so ±30 %), package kernel → this one: conv2dTranspose 14×14×64 → 28×28×32 stride 2:
 * 403 → 38 ms; 7×7×16 → 14×14×64: 116 → 13 ms; conv2d ∂x 14×14×32 ← 7×7×64 stride 2:
 * 89 → 9 ms; 28×28×32 ← 28×28×1 stride 1: 112 → 4 ms. Per VQ-VAE training step (5 calls):
 * 667 → 52 ms. A single conv with the phases as output channels (each phase padded to ⌈K/s⌉²
 * taps: 1.78× the work for 3×3 stride 2) took twice as long, and so did the wasm DepthToSpace
 * kernel for the interleave.
 *
 * The tiny G are built in JS straight from the wasm heap, the interleave (and crop) is one JS
 * pass over the heap, and Conv2D is called through getKernel(Conv2D, 'wasm').kernelFunc (as the
 * backends' own kernels do), so nothing is recorded on the gradient tape; every intermediate is
 * freed with backend.disposeData. Other layouts (NCHW) and dtypes go to the package's kernel,
 * whose setupFunc the override keeps.
 */
import {
  Conv2D,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { inputGradInfo } from '../shared/conv-geometry';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { planAxis, type AxisPlan, phaseConvAttrs } from '../shared/conv-phases';
import { overrideKernel, type FastPath } from '../shared/override-kernel';
import { runWasmKernel } from './run-wasm-kernel';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const WASM = 'wasm';

/** G_(rh,rw) (see the header) for W [KH,KW,Ci,Co]: a new wasm tensor [M_rh, M_rw, Co, Ci]. */
function phaseFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  rh: number,
  rw: number,
  sh: number,
  sw: number,
  Mh: number,
  Mw: number,
): TensorInfo {
  const [, KW, Ci, Co] = filter.shape as [number, number, number, number];
  const g = backend.makeOutput([Mh, Mw, Co, Ci], 'float32');
  // Views only after makeOutput: an allocation can grow (and detach) the heap.
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const out = backend.typedArrayFromHeap(g) as Float32Array;
  let o = 0;
  for (let th = 0; th < Mh; th++) {
    const kh = rh + (Mh - 1 - th) * sh;
    for (let tw = 0; tw < Mw; tw++) {
      const kw = rw + (Mw - 1 - tw) * sw;
      const wBase = (kh * KW + kw) * Ci * Co; // W[kh, kw, ·, ·]
      for (let co = 0; co < Co; co++) {
        for (let ci = 0; ci < Ci; ci++) out[o++] = w[wBase + ci * Co + co]!;
      }
    }
  }
  return g;
}

/**
 * dX[b,i,j,:] = Y_(rh,rw)[b, ⌊(i+offH)/sh⌋, ⌊(j+offW)/sw⌋, :] with rh = (i+offH) mod sh and
 * rw = (j+offW) mod sw (zeros for a phase without taps), in one pass over the heap: interleave
 * and crop together (the wasm Slice kernel would first copy its whole input out of the heap).
 * Per Ci-run copy, measured for 3.2 M floats: copyWithin 2.2 ms, an element loop 3.8 ms at Ci = 32
 * but 0.25–2 ms at Ci = 1–16, set(subarray) ~5 ms.
 */
function interleave(
  backend: BackendWasm,
  phases: (TensorInfo | null)[],
  outShape: [number, number, number, number],
  rows: AxisPlan,
  cols: AxisPlan,
): TensorInfo {
  const [B, H, W, Ci] = outShape;
  const sh = rows.taps.length;
  const sw = cols.taps.length;
  const dx = backend.makeOutput(outShape, 'float32');
  // One view of the whole heap (taken after the last allocation); tensors as float offsets in it.
  const dst = backend.typedArrayFromHeap(dx) as Float32Array;
  const heap = new Float32Array(dst.buffer);
  const at = (t: TensorInfo) => (backend.typedArrayFromHeap(t) as Float32Array).byteOffset >> 2;
  const src = phases.map((y) => (y ? at(y) : -1));
  const Qh = rows.rows;
  const Qw = cols.rows;
  let d = dst.byteOffset >> 2;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < H; i++) {
      const ph = i + rows.offset;
      const rowBase = (b * Qh + Math.floor(ph / sh)) * Qw;
      const phaseRow = (ph % sh) * sw;
      for (let j = 0; j < W; j++, d += Ci) {
        const pw = j + cols.offset;
        const y = src[phaseRow + (pw % sw)]!;
        if (y < 0) {
          heap.fill(0, d, d + Ci);
          continue;
        }
        const s = y + (rowBase + Math.floor(pw / sw)) * Ci;
        if (Ci > 16) heap.copyWithin(d, s, s + Ci);
        else for (let c = 0; c < Ci; c++) heap[d + c] = heap[s + c]!;
      }
    }
  }
  return dx;
}

/**
 * Conv2DBackpropInput for the wasm backend as XNNPACK Conv2Ds, one per phase (see the header);
 * null (the package's kernel) for other layouts and dtypes.
 */
const conv2DBackpropInputWasm: FastPath = (args) => {
  const backend = args.backend as BackendWasm;
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const inputs = nhwcFloat32Pair(args.inputs.dy, args.inputs.filter, attrs.dataFormat);
  if (inputs === null) return null;
  const [dy, filter] = inputs;
  const info = inputGradInfo(filter.shape, attrs);
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `Conv2DBackpropInput (wasm): dy shape ${dy.shape} does not match the conv output ${info.outShape}.`,
    );
  }
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const rows = planAxis(info.filterHeight, sh, info.padInfo.top, H, info.outHeight);
  const cols = planAxis(info.filterWidth, sw, info.padInfo.left, W, info.outWidth);
  const outShape: [number, number, number, number] = [B, H, W, Ci];

  // Y_(rh,rw): [B, Qh, Qw, Ci], or null for a phase without taps.
  const phases: (TensorInfo | null)[] = [];
  try {
    for (let rh = 0; rh < sh; rh++) {
      for (let rw = 0; rw < sw; rw++) {
        const Mh = rows.taps[rh]!;
        const Mw = cols.taps[rw]!;
        if (Mh === 0 || Mw === 0) {
          phases.push(null);
          continue;
        }
        const g = phaseFilter(backend, filter, rh, rw, sh, sw, Mh, Mw);
        try {
          phases.push(
            runWasmKernel(
              Conv2D,
              backend,
              { x: dy, filter: g },
              phaseConvAttrs(rows, cols, Mh, Mw),
            ),
          );
        } finally {
          backend.disposeData(g.dataId);
        }
      }
    }
    const only = phases[0];
    const uncropped = rows.offset === 0 && cols.offset === 0;
    if (phases.length === 1 && only && uncropped && only.shape.join() === outShape.join()) {
      phases.length = 0; // stride 1 without a crop: the conv's output is dX (not freed)
      return only;
    }
    return interleave(backend, phases, outShape, rows, cols);
  } finally {
    for (const y of phases) if (y) backend.disposeData(y.dataId);
  }
};

/** Installs the override (idempotent); returns false when the wasm backend package is not loaded. */
export function installFastWasmConvBackpropInput(): boolean {
  return overrideKernel(WASM, Conv2DBackpropInput, () => conv2DBackpropInputWasm);
}
