/**
 * Conv2D with one output channel (the conv models' last layer, 32 → 1 channels at 28×28) on the
 * wasm backend, directly: no im2col. Shapes as in ./wasm-thin-filter (X [B,H,W,Ci],
 * W [KH,KW,Ci,1], Y [B,OH,OW,1]):
 *
 *   Y[b, oh, ow] = Σ_(kh, kw) Σ_c X[b, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, c] · W[kh, kw, c]
 *
 * tap by tap, over the rectangle of output pixels whose input pixel lies inside X (so no test
 * runs in the loops), Y starting at zero. A generated WebAssembly SIMD loop keeps the tap's
 * weights (a block of 4·V channels) in registers and takes four neighbouring output pixels at a
 * time: four independent sums of V products, folded into one vector [s₀, s₁, s₂, s₃] by two
 * rounds of shuffles and added to Y's four floats at once (one pixel at a time at a row's end).
 * XNNPACK took ~16 ms for [128,28,28,32] ⊛ [3,3,32,1] in Chromium (./wasm-conv-gemm's header),
 * the GEMM route more (8-column panels for one column). One thread, in TF.js's memory in place.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { flat, incConst, incLocal, Locals, whileLt } from '../gemm/gemm-codegen';
import { encodeModule, I32, op, V128, type Bytes } from '../gemm/wasm-asm';
import type { Geometry } from '../shared/conv-im2col';
import type { WasmBackendLike } from './wasm-gemm-state';
import {
  blockVectors,
  forEachTap,
  heapMemory,
  moduleCache,
  overRows,
  strideArgs,
} from './thin-taps';

/** i8x16.shuffle of two f32x4 by float lanes (0–3: the first operand, 4–7: the second). */
const shuffle = (lanes: number[]): Bytes =>
  op.i8x16Shuffle(lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));

/**
 * The module (export `row`) for blocks of 4·V channels: over `nb` images and `nh` × `nw` output
 * pixels, y += Σ_c x · w (w: this tap's 4·V weights). Addresses and strides in bytes (xImg,
 * xRow, xCol: X per image, per output row, per output column; yImg, yRow: Y per image and row).
 */
export function buildThinConvModule(V: number, sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  const [x, w, y, nb, nh, nw, xImg, xRow, xCol, yImg, yRow] = Array.from(
    { length: 11 },
    (_, i) => i,
  ) as number[];
  const L = new Locals(11);
  const [b, i, j, n4, qx, qy, x4] = Array.from({ length: 7 }, () => L.add(I32)) as number[];
  const wv = Array.from({ length: V }, () => L.add(V128));
  const acc = Array.from({ length: 4 }, () => L.add(V128));
  const [t, u] = [L.add(V128), L.add(V128)];
  /** acc[k] = Σ_v x[qx + k·xCol + 16v] · w_v (the k-th pixel's partial sums). */
  const dot = (k: number): Bytes =>
    flat(
      ...wv.map((wreg, v) =>
        flat(
          op.get(qx!),
          ...(k > 0 ? [op.get(xCol!), op.i32(k), op.mul, op.add] : []),
          op.v128Load(16 * v),
          op.get(wreg!),
          op.f32x4Mul,
          ...(v > 0 ? [op.get(acc[k]!), op.f32x4Add] : []),
          op.set(acc[k]!),
        ),
      ),
    );
  const pair = (a: number, c: number, out: number): Bytes =>
    // [a0+a2, c0+c2, a1+a3, c1+c3]
    flat(
      op.get(a),
      op.get(c),
      shuffle([0, 4, 1, 5]),
      op.get(a),
      op.get(c),
      shuffle([2, 6, 3, 7]),
      op.f32x4Add,
      op.set(out),
    );
  const four = flat(
    dot(0),
    dot(1),
    dot(2),
    dot(3),
    pair(acc[0]!, acc[1]!, t),
    pair(acc[2]!, acc[3]!, u),
    // y[0..3] += [Σa0, Σa1, Σa2, Σa3]
    op.get(qy!),
    op.get(qy!),
    op.v128Load(),
    op.get(t),
    op.get(u),
    shuffle([0, 1, 4, 5]),
    op.get(t),
    op.get(u),
    shuffle([2, 3, 6, 7]),
    op.f32x4Add,
    op.f32x4Add,
    op.v128Store(),
    incLocal(qx!, x4!),
    incConst(qy!, 16),
    incConst(j!, 4),
  );
  const one = flat(
    dot(0),
    // horizontal sum into lane 0
    op.get(acc[0]!),
    op.get(acc[0]!),
    op.get(acc[0]!),
    shuffle([2, 3, 0, 1]),
    op.f32x4Add,
    op.set(t),
    op.get(t),
    op.get(t),
    op.get(t),
    shuffle([1, 0, 3, 2]),
    op.f32x4Add,
    op.set(t),
    op.get(qy!),
    op.get(qy!),
    op.f32Load(),
    op.get(t),
    op.f32x4ExtractLane(0),
    op.f32Add,
    op.f32Store(),
    incLocal(qx!, xCol!),
    incConst(qy!, 4),
    incConst(j!, 1),
  );
  const pointers: [number, number, number, number][] = [
    [qx!, x!, xImg!, xRow!],
    [qy!, y!, yImg!, yRow!],
  ];
  const body = flat(
    ...wv.map((r, v) => flat(op.get(w!), op.v128Load(16 * v), op.set(r!))),
    op.get(nw!),
    op.i32(-4),
    op.and,
    op.set(n4!),
    op.get(xCol!),
    op.i32(4),
    op.mul,
    op.set(x4!),
    overRows(
      { b: b!, i: i!, nb: nb!, nh: nh!, pointers },
      flat(op.i32(0), op.set(j!), whileLt(j!, n4!, four), whileLt(j!, nw!, one)),
    ),
  );
  const params = new Array<number>(11).fill(I32);
  return encodeModule({
    memory: heapMemory(sharedMaxPages),
    funcs: [{ params, results: [], locals: L.types, body, export: 'row' }],
  });
}

const rowFor = moduleCache('row', buildThinConvModule);

/**
 * Y [B,OH,OW,1] as a new tensor of `backend`, from X and W at byte offsets xOff, wOff of its
 * memory; null where this kernel does not apply (Co ≠ 1, Ci not a multiple of 4, no SIMD).
 */
export function thinConv(
  backend: WasmBackendLike,
  g: Geometry,
  xOff: number,
  wOff: number,
  outShape: number[],
): TensorInfo | null {
  if (g.Co !== 1) return null;
  const V = blockVectors(g.Ci);
  const row = V === 0 ? null : rowFor(backend.wasm.asm?.memory, V);
  if (row === null) return null;
  const out = backend.makeOutput(outShape, 'float32');
  const y = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  backend.wasm.HEAPF32.fill(0, y / 4, y / 4 + g.B * g.OH * g.OW);
  forEachTap(g, 4 * V, (t) => row(xOff + t.x, wOff + t.w, y + t.y, ...strideArgs(g, t)));
  return out;
}
