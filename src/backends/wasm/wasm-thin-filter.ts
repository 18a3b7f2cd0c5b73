/**
 * The filter gradient of a convolution with one output channel (the conv models' last layer,
 * 32 → 1 channels at 28×28) on the wasm backend, directly: no im2col, no transposes.
 *
 *   dW[kh, kw, c, 0] = Σ_b Σ_(oh, ow) dY[b, oh, ow] · X[b, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, c]
 *   X [B,H,W,Ci], dY [B,OH,OW,1], dW [KH,KW,Ci,1]; the (oh, ow) where the input index is inside X
 *   form a rectangle per tap (kh, kw), so no test runs in the loops.
 *
 * The GEMM route needs Co ≥ 8 (its micro-tiles are 8 columns wide), so this layer took the
 * fallback: X transposed (a 12.8 MB copy at batch 128), dY padded and a dilated convolution, a
 * quarter of a conv model's step in Chromium (~33 ms of ~137). Here one generated WebAssembly
 * SIMD loop per tap and block of channels keeps up to 8 four-float sums in registers over every
 * (b, oh, ow): a splat of dY and one load and multiply-add per 4 channels, each image's X read
 * from cache. One thread; it runs in TF.js's memory in place (a plain or a shared heap).
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import { flat, incConst, incLocal, Locals, whileLt } from '../gemm/gemm-codegen';
import { encodeModule, I32, op, V128 } from '../gemm/wasm-asm';
import type { Geometry } from '../shared/conv-im2col';
import {
  blockVectors,
  forEachTap,
  heapMemory,
  moduleCache,
  overRows,
  strideArgs,
} from './thin-taps';

/**
 * The module (export `tap`) for blocks of 4·V channels: over `nb` images, `nh` × `nw` output
 * pixels, out[4V] += Σ dY · X[4V]. Addresses and strides in bytes (./thin-taps strideArgs: X per
 * image, per output row, per output column; dY per image and row).
 */
export function buildThinFilterModule(V: number, sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  const [x, out, dy, nb, nh, nw, xImg, xRow, xCol, dyImg, dyRow] = Array.from(
    { length: 11 },
    (_, i) => i,
  ) as number[];
  const L = new Locals(11);
  const [b, i, j, qx, qd] = [L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const d = L.add(V128);
  const acc = Array.from({ length: V }, () => L.add(V128));
  const pixel = flat(
    op.get(qd!),
    op.v128Load32Splat(),
    op.set(d),
    ...acc.map((a, v) =>
      flat(
        op.get(a!),
        op.get(d),
        op.get(qx!),
        op.v128Load(16 * v),
        op.f32x4Mul,
        op.f32x4Add,
        op.set(a!),
      ),
    ),
    incLocal(qx!, xCol!),
    incConst(qd!, 4),
    incConst(j!, 1),
  );
  const pointers: [number, number, number, number][] = [
    [qx!, x!, xImg!, xRow!],
    [qd!, dy!, dyImg!, dyRow!],
  ];
  const body = flat(
    ...acc.map((a) => flat(op.v128Zero, op.set(a!))),
    overRows(
      { b: b!, i: i!, nb: nb!, nh: nh!, pointers },
      flat(op.i32(0), op.set(j!), whileLt(j!, nw!, pixel)),
    ),
    ...acc.map((a, v) =>
      flat(
        op.get(out!),
        op.get(out!),
        op.v128Load(16 * v),
        op.get(a!),
        op.f32x4Add,
        op.v128Store(16 * v),
      ),
    ),
  );
  const params = new Array<number>(11).fill(I32);
  return encodeModule({
    memory: heapMemory(sharedMaxPages),
    funcs: [{ params, results: [], locals: L.types, body, export: 'tap' }],
  });
}

interface WasmLike {
  wasm: { HEAPF32: Float32Array; asm?: { memory?: unknown } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
}

const tapFor = moduleCache('tap', buildThinFilterModule);

/**
 * dW [KH,KW,Ci,1] as a new tensor of `backend`, from X and dY at byte offsets xOff, dyOff of its
 * memory; null where this kernel does not apply (Co ≠ 1, Ci not a multiple of 4, no SIMD).
 */
export function thinFilterGrad(
  anyBackend: unknown,
  g: Geometry,
  xOff: number,
  dyOff: number,
  shape: number[],
): TensorInfo | null {
  if (g.Co !== 1) return null;
  const V = blockVectors(g.Ci);
  const backend = anyBackend as WasmLike;
  const tap = V === 0 ? null : tapFor(backend.wasm.asm?.memory, V);
  if (tap === null) return null;
  const out = backend.makeOutput(shape, 'float32');
  const dw = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  // Taps that see only padding keep their zeros.
  backend.wasm.HEAPF32.fill(0, dw / 4, dw / 4 + g.KH * g.KW * g.Ci);
  forEachTap(g, 4 * V, (t) => tap(xOff + t.x, dw + t.w, dyOff + t.y, ...strideArgs(g, t)));
  return out;
}
