/**
 * What the one-output-channel convolution kernels share (./wasm-thin-conv: Y; ./wasm-thin-filter:
 * dW): the walk over taps, each with the rectangle of output pixels whose input pixel lies in X
 * (so their loops test nothing), the loop over images and rows of such a rectangle as generated
 * WebAssembly, and the compiled modules per memory (TF.js's heap, plain or shared).
 * Shapes: X [B,H,W,Ci], W and dW [KH,KW,Ci,1], Y and dY [B,OH,OW,1] (NHWC, float32).
 */
import { flat, incConst, whileLt } from '../gemm/gemm-codegen';
import { op, type Bytes, type ModuleDef } from '../gemm/wasm-asm';
import type { Geometry } from '../shared/conv-im2col';
import { HEAP_MAX_PAGES, isSharedMemory } from './shared-heap';

export type WasmFn = (...args: number[]) => void;

/**
 * The import of TF.js's heap by a generated module: a plain memory, or (`sharedMaxPages`) a
 * shared one of that maximum (./shared-heap).
 */
export function heapMemory(sharedMaxPages?: number): ModuleDef['memory'] {
  const shared = sharedMaxPages !== undefined;
  return { module: 'env', name: 'memory', min: 1, max: sharedMaxPages ?? 65536, shared };
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

/** One tap's rectangle and channel block, as byte offsets from X's, W's and Y's starts. */
export interface TapBlock {
  /** X at the rectangle's first pixel and the block's first channel. */
  x: number;
  /** W (or dW) at this tap and channel block. */
  w: number;
  /** Y (or dY) at the rectangle's first pixel. */
  y: number;
  rows: number;
  cols: number;
}

/** Calls `visit` for every tap (kh, kw) that sees X and every block of `C` channels. */
export function forEachTap(g: Geometry, C: number, visit: (t: TapBlock) => void): void {
  for (let kh = 0; kh < g.KH; kh++) {
    const [oh0, oh1] = validRange(g.OH, g.H, g.sh, kh * g.dh - g.pt);
    for (let kw = 0; kw < g.KW; kw++) {
      const [ow0, ow1] = validRange(g.OW, g.W, g.sw, kw * g.dw - g.pl);
      if (oh0 === oh1 || ow0 === ow1) continue; // this tap sees only padding
      const ih = oh0 * g.sh + kh * g.dh - g.pt;
      const iw = ow0 * g.sw + kw * g.dw - g.pl;
      for (let c = 0; c < g.Ci; c += C)
        visit({
          x: ((ih * g.W + iw) * g.Ci + c) * 4,
          w: ((kh * g.KW + kw) * g.Ci + c) * 4,
          y: (oh0 * g.OW + ow0) * 4,
          rows: oh1 - oh0,
          cols: ow1 - ow0,
        });
    }
  }
}

/**
 * The kernels' common arguments after their three addresses (x, w or out, y or dy): images,
 * rows, columns, then X's bytes per image, per output row and per output column, and Y's per
 * image and per row.
 */
export function strideArgs(g: Geometry, t: TapBlock): number[] {
  const xImg = g.H * g.W * g.Ci * 4;
  return [
    g.B,
    t.rows,
    t.cols,
    xImg,
    g.sh * g.W * g.Ci * 4,
    g.sw * g.Ci * 4,
    g.OH * g.OW * 4,
    g.OW * 4,
  ];
}

/** Locals of the generated loop over a rectangle's images and rows. */
export interface RowLoop {
  b: number;
  i: number;
  nb: number;
  nh: number;
  /** Per pointer: [local, base param, bytes per image param, bytes per row param]. */
  pointers: [number, number, number, number][];
}

/**
 * `for b < nb: for i < nh: (each pointer = base + b·img + i·row); body` as WebAssembly.
 */
export function overRows(l: RowLoop, body: Bytes): Bytes {
  const set = ([q, base, img, row]: [number, number, number, number]) =>
    flat(
      op.get(base),
      op.get(l.b),
      op.get(img),
      op.mul,
      op.add,
      op.get(l.i),
      op.get(row),
      op.mul,
      op.add,
      op.set(q),
    );
  return whileLt(
    l.b,
    l.nb,
    flat(
      op.i32(0),
      op.set(l.i),
      whileLt(l.i, l.nh, flat(...l.pointers.map(set), body, incConst(l.i, 1))),
      incConst(l.b, 1),
    ),
  );
}

/**
 * Export `name` of generated modules, built by `build` for blocks of V vectors over a plain or a
 * shared heap: compiled once per (V, kind), instantiated once per memory; null where compiling
 * or instantiating fails (no SIMD: the caller's fallback from then on).
 */
export function moduleCache(
  name: string,
  build: (V: number, sharedMaxPages?: number) => Uint8Array<ArrayBuffer>,
) {
  const modules = new Map<string, WebAssembly.Module | null>();
  let instances: { memory: unknown; byV: Map<number, WasmFn> } = { memory: null, byV: new Map() };
  return (memory: unknown, V: number): WasmFn | null => {
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
      const fn = new WebAssembly.Instance(module, { env: { memory } }).exports[name] as WasmFn;
      instances.byV.set(V, fn);
      return fn;
    } catch {
      modules.set(key, null);
      return null;
    }
  };
}
