/**
 * Conv2D for the TF.js wasm backend as im2col + our WebAssembly SIMD GEMM on one thread (the
 * zero-copy kernel of ./wasm-parallel-matmul, over TF.js's own memory, with fused multiply-adds),
 * instead of XNNPACK's convolution. Our Conv2DBackpropInput (./conv-wasm-backprop-input,
 * sub-pixel phases) and Conv2DBackpropFilter (./conv-filter-by-conv) are built from the
 * registered wasm Conv2D, so they take this route too.
 *
 * Shapes (NHWC, float32): X [B,H,W,Ci], W [KH,KW,Ci,Co], Y [B,OH,OW,Co]; P = OH·OW rows per
 * image, KK = KH·KW·Ci (./conv-im2col has the cols formula). For a block of images [b0, b1):
 *   cols [(b1−b0)·P, KK] = im2col(X[b0:b1])       (a temporary wasm tensor, ≤ blockFloats)
 *   Y[b0:b1] as [(b1−b0)·P, Co] = cols · W [KK, Co]   (W and Y read / written in place)
 * Blocks are small enough that cols is still in cache when the GEMM reads it (the GEMM streams
 * its A once per 8-column panel of B: a whole-batch cols, megabytes, would come from memory
 * Co/8 times). A 1×1 stride-1 unpadded conv needs no im2col: A is X itself.
 *
 * Measured in headless Chromium here (ms per conv, median of 5–7, XNNPACK → this; a 2-core
 * machine at load 3–5, so ±15 %): [128,14,14,32]*[3,3,32,64] s2 9.3 → 6.4; the transposed
 * convs' phases [128,8,8,32]*[2,2,32,64] 3.5 → 2.5, [128,15,15,64]*[2,2,64,32] 15.1 → 10.8,
 * [128,15,14,64]*[2,1,64,32] 7.7 → 6.3; 1×1 [128,7,7,64]*[1,1,64,32] 0.8 → 0.5; the filter
 * gradient's dilated [32,29,29,128]*[14,14,128,64] 38.8 → 34.2. Blocks of 48 Ki floats measured
 * the same within noise. Not used, because slower or even: the two-thread route (copies into a
 * shared memory and a whole-batch cols: 12.9 vs 12.0 for the first shape, on a busy machine);
 * Co = 1 as Yᵀ = Wᵀ · colsᵀ (B transposed, 1 row: 25 vs 16 for [128,28,28,32]*[3,3,32,1]);
 * a whole-batch cols on one thread (0.3–0.6× XNNPACK: cols re-read from memory per panel);
 * im2col with an element loop instead of copyWithin (~2 ns per float). Node 20 (V8 11.3,
 * relaxed SIMD behind a flag) is about even with XNNPACK.
 *
 * Where: the one-thread kernel is ready (relaxed SIMD: Chrome ≥ 114) and ./wasm-parallel-matmul's
 * mode is 'auto' or 'one-thread'; KK ≥ MIN_KK and Co ≥ MIN_CO (B is packed in panels of 8
 * columns and im2col costs KK copies per row against KK·Co multiply-adds, so thin products such
 * as the first layer's Ci = 1 stay on XNNPACK; the output layer's Co = 1 takes the direct loop of
 * ./wasm-thin-conv); at least
 * MIN_PARALLEL_FLOPS. Everything else (NCHW, other dtypes) runs the package's kernel, whose
 * setupFunc the override keeps.
 */
import {
  Conv2D,
  type Conv2DAttrs,
  type DataId,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { isPointwise } from '../gemm/conv-share';
import { geometry, im2col, type Geometry } from '../shared/conv-im2col';
import { conv2DInfo } from '../shared/conv-geometry';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { overrideKernel, type KernelArgs } from '../shared/override-kernel';
import { NR } from '../gemm/gemm-module';
import { convOnTeam } from './wasm-conv-team';
import { thinConv } from './wasm-thin-conv';
import {
  autoFor,
  chooseWay,
  gemmState,
  recordWay,
  type WasmBackendLike as GemmBackendLike,
} from './wasm-gemm-state';
import { localGemm, MIN_PARALLEL_FLOPS } from './wasm-parallel-matmul';

const WASM = 'wasm';
/** Smallest KH·KW·Ci and Co for the GEMM route (see the header). */
export const MIN_KK = 32;
export const MIN_CO = 8;
/** Rows per gemm call for a 1×1 conv, and floats of cols per block (512 KiB: the L2 here). */
const BLOCK_ROWS = 384;
let blockFloats = 128 << 10;

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
type WasmBackendLike = GemmBackendLike & { disposeData(id: DataId): boolean };

/** Sets the floats of cols per block (tests: several blocks on small tensors). */
export function setWasmConvBlockFloats(floats: number): void {
  blockFloats = floats;
}

/** The floats of cols per block (./wasm-conv-filter uses the same). */
export const wasmConvBlockFloats = () => blockFloats;

/**
 * Y as a new wasm tensor through our GEMM on one thread or two, or null for the package's
 * kernel. Two threads (./wasm-conv-team) in mode 'two-threads', and in 'auto' when timing says
 * they are faster than one (the one-thread way is ours where ready, else `stock`).
 */
function viaGemm(args: KernelArgs, stock: KernelFunc): TensorInfo | TensorInfo[] | null {
  const a = args.attrs as unknown as Conv2DAttrs;
  const inputs = nhwcFloat32Pair(args.inputs.x, args.inputs.filter, a.dataFormat);
  if (inputs === null) return null;
  const [x, filter] = inputs;
  const info = conv2DInfo(x.shape, filter.shape, a);
  const g = geometry(info);
  if (g === null) return null;
  const P = g.OH * g.OW;
  const N = g.B * P;
  const KK = g.KH * g.KW * g.Ci;
  const backend = args.backend as unknown as WasmBackendLike;
  const xOff = backend.dataIdMap.get(x.dataId)?.memoryOffset;
  const wOff = backend.dataIdMap.get(filter.dataId)?.memoryOffset;
  if (xOff == null || wOff == null) return null;
  const { mode, team } = gemmState;
  // One output channel (a last layer): a direct SIMD loop, no im2col (./wasm-thin-conv).
  if (g.Co === 1) return mode === 'off' ? null : thinConv(backend, g, xOff, wOff, info.outShape);
  if (KK < MIN_KK || g.Co < MIN_CO || 2 * N * KK * g.Co < MIN_PARALLEL_FLOPS) return null;
  if (team !== null && (mode === 'two-threads' || (mode === 'auto' && team.worker !== null))) {
    // Timings per shape in 'auto' only (the key is built per call, so not in other modes).
    const auto = mode === 'auto' ? autoFor(`conv ${Object.values(g).join(' ')}`) : null;
    const way = auto !== null ? chooseWay(auto) : 'two';
    const flops = 2 * N * KK * g.Co;
    const t0 = performance.now();
    if (way === 'two') {
      const o = { xOff, wOff, outShape: info.outShape };
      const out = convOnTeam(backend, team, g, o, blockFloats, false);
      if (out !== null && auto !== null) recordWay(auto, 'two', performance.now() - t0, flops);
      // null: one image, or too big for our memory; one thread below.
      if (out !== null) return out;
    } else {
      const out = oneThread(backend, g, xOff, wOff, info.outShape) ?? stock(args);
      if (auto !== null) recordWay(auto, 'one', performance.now() - t0, flops);
      return out;
    }
  }
  return oneThread(backend, g, xOff, wOff, info.outShape);
}

/** Y through our GEMM on this thread over TF.js's memory, or null where it is not ready. */
function oneThread(
  backend: WasmBackendLike,
  g: Geometry,
  xOff: number,
  wOff: number,
  outShape: number[],
): TensorInfo | null {
  const P = g.OH * g.OW;
  const N = g.B * P;
  const KK = g.KH * g.KW * g.Ci;
  const local = localGemm(backend, KK);
  if (local === null) return null;
  const [gemm, pbuf, tmp] = local;
  const y = backend.makeOutput(outShape, 'float32');
  const yOff = backend.dataIdMap.get(y.dataId)?.memoryOffset as number;
  const panels = Math.ceil(g.Co / NR);
  const ldc = g.Co * 4;
  const mul = (at: number, c: number, r0: number, r1: number) =>
    gemm(at, KK * 4, 4, wOff, ldc, 4, c, ldc, g.Co, KK, r0, r1, 0, panels, pbuf, tmp);
  if (isPointwise(g)) {
    for (let r0 = 0; r0 < N; r0 += BLOCK_ROWS) mul(xOff, yOff, r0, Math.min(N, r0 + BLOCK_ROWS));
    return y;
  }
  const imgs = Math.min(g.B, Math.max(1, Math.floor(blockFloats / (P * KK))));
  const cols = backend.makeOutput([imgs * P * KK], 'float32');
  const at = backend.dataIdMap.get(cols.dataId)?.memoryOffset as number;
  const heap = backend.wasm.HEAPF32; // after the makeOutputs, which may grow (replace) the heap
  const xs = heap.subarray(xOff / 4, xOff / 4 + g.B * g.H * g.W * g.Ci);
  for (let b0 = 0; b0 < g.B; b0 += imgs) {
    const b1 = Math.min(g.B, b0 + imgs);
    im2col(xs, g, b0, b1)(heap, at / 4);
    mul(at, yOff + b0 * P * ldc, 0, (b1 - b0) * P);
  }
  backend.disposeData(cols.dataId);
  return y;
}

/** Installs the override; returns false when the wasm backend package is not loaded yet. */
export function installWasmConvGemm(): boolean {
  return overrideKernel(WASM, Conv2D, (stock) => (args) => viaGemm(args, stock));
}
