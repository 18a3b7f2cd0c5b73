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
import { HEAP_MAX_PAGES, isSharedMemory } from './shared-heap';

export type TapFn = (...args: number[]) => void;

/**
 * The module (export `tap`) for blocks of 4·V channels: over `nb` images, `nh` × `nw` output
 * pixels, out[4V] += Σ dY · X[4V]. Addresses and strides in bytes (xImg, xRow, xCol: X per
 * image, per output row, per output column; dyImg, dyRow: dY per image and row).
 */
export function buildThinFilterModule(V: number, sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  const [x, dy, out, nb, nh, nw, xImg, xRow, xCol, dyImg, dyRow] = Array.from(
    { length: 11 },
    (_, i) => i,
  ) as number[];
  const L = new Locals(11);
  const [b, i, j, qx, qd] = [L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const d = L.add(V128);
  const acc = Array.from({ length: V }, () => L.add(V128));
  const at = (base: number, stride: number, index: number) =>
    flat(op.get(base), op.get(index), op.get(stride), op.mul, op.add);
  const body = flat(
    ...acc.map((a) => flat(op.v128Zero, op.set(a!))),
    whileLt(
      b!,
      nb!,
      flat(
        op.i32(0),
        op.set(i!),
        whileLt(
          i!,
          nh!,
          flat(
            // qx = x + b·xImg + i·xRow, qd = dy + b·dyImg + i·dyRow
            at(x!, xImg!, b!),
            op.get(i!),
            op.get(xRow!),
            op.mul,
            op.add,
            op.set(qx!),
            at(dy!, dyImg!, b!),
            op.get(i!),
            op.get(dyRow!),
            op.mul,
            op.add,
            op.set(qd!),
            op.i32(0),
            op.set(j!),
            whileLt(
              j!,
              nw!,
              flat(
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
              ),
            ),
            incConst(i!, 1),
          ),
        ),
        incConst(b!, 1),
      ),
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
  return encodeModule({
    memory: {
      module: 'env',
      name: 'memory',
      min: 1,
      max: sharedMaxPages ?? 65536,
      shared: sharedMaxPages !== undefined,
    },
    funcs: [
      {
        params: new Array<number>(11).fill(I32),
        results: [],
        locals: L.types,
        body,
        export: 'tap',
      },
    ],
  });
}

/** Channels per block: 4·V with V ≤ 8 (sums kept in registers) dividing Ci / 4; 0: Ci % 4 ≠ 0. */
export function blockVectors(ci: number): number {
  if (ci % 4 !== 0) return 0;
  for (let v = 8; v >= 1; v--) if ((ci / 4) % v === 0) return v;
  return 0;
}

/** The output rows o in [0, n) whose input row o·s + off lies in [0, size): [first, end). */
export function validRange(n: number, size: number, s: number, off: number): [number, number] {
  const first = Math.max(0, Math.ceil(-off / s));
  const end = Math.min(n, Math.floor((size - 1 - off) / s) + 1);
  return [first, Math.max(first, end)];
}

interface WasmLike {
  wasm: { HEAPF32: Float32Array; asm?: { memory?: unknown } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
}

/**
 * Instances of generated modules over one memory (TF.js's heap, plain or shared), compiled once
 * per kind (`name`, V, shared or not), instantiated once per memory; null where compiling or
 * instantiating fails (no SIMD: the caller's fallback from then on).
 */
export function moduleCache(
  name: string,
  build: (V: number, sharedMaxPages?: number) => Uint8Array<ArrayBuffer>,
) {
  const modules = new Map<string, WebAssembly.Module | null>();
  let instances: { memory: unknown; byV: Map<number, TapFn> } = { memory: null, byV: new Map() };
  return (memory: unknown, V: number): TapFn | null => {
    if (!(memory instanceof WebAssembly.Memory)) return null;
    if (instances.memory !== memory) instances = { memory, byV: new Map() };
    const have = instances.byV.get(V);
    if (have) return have;
    const shared = isSharedMemory(memory);
    const key = `${V} ${shared}`;
    let module = modules.get(key);
    if (module === null) return null;
    try {
      if (module === undefined) {
        module = new WebAssembly.Module(build(V, shared ? HEAP_MAX_PAGES : undefined));
        modules.set(key, module);
      }
      const fn = new WebAssembly.Instance(module, { env: { memory } }).exports[name] as TapFn;
      instances.byV.set(V, fn);
      return fn;
    } catch {
      modules.set(key, null);
      return null;
    }
  };
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
  backend.wasm.HEAPF32.fill(0, dw / 4, dw / 4 + g.KH * g.KW * g.Ci);
  const C = 4 * V;
  for (let kh = 0; kh < g.KH; kh++) {
    const [oh0, oh1] = validRange(g.OH, g.H, g.sh, kh * g.dh - g.pt);
    for (let kw = 0; kw < g.KW; kw++) {
      const [ow0, ow1] = validRange(g.OW, g.W, g.sw, kw * g.dw - g.pl);
      if (oh0 === oh1 || ow0 === ow1) continue; // this tap sees only padding: dW stays 0
      const ih = oh0 * g.sh + kh * g.dh - g.pt;
      const iw = ow0 * g.sw + kw * g.dw - g.pl;
      for (let c = 0; c < g.Ci; c += C) {
        tap(
          xOff + ((ih * g.W + iw) * g.Ci + c) * 4,
          dyOff + (oh0 * g.OW + ow0) * 4,
          dw + ((kh * g.KW + kw) * g.Ci + c) * 4,
          g.B,
          oh1 - oh0,
          ow1 - ow0,
          g.H * g.W * g.Ci * 4,
          g.sh * g.W * g.Ci * 4,
          g.sw * g.Ci * 4,
          g.OH * g.OW * 4,
          g.OW * 4,
        );
      }
    }
  }
  return out;
}
