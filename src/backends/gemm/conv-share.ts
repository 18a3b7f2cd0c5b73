/**
 * One thread's share of a 2-D convolution over one WebAssembly.Memory (../wasm/wasm-conv-team
 * splits a batch between the training worker and the GEMM helper, each running this on its own
 * images). Shapes as in ../shared/conv-im2col (NHWC, float32): X [B,H,W,Ci], W [KH,KW,Ci,Co],
 * Y [B,OH,OW,Co], P = OH·OW rows per image, KK = KH·KW·Ci. For each block of images [b, e) of
 * [b0, b1) that this thread claims (two threads claim blocks in turn: ../gemm/gemm-team):
 *   cols [(e−b)·P, KK] = im2col(X[b:e])           (this thread's own cols buffer, in cache)
 *   Y[b:e] as [(e−b)·P, Co] = cols · W [KK, Co]    (written in place)
 * A 1×1 stride-1 unpadded conv needs no im2col: A is X itself.
 *
 * The filter gradient (`filter: true`; `w` is then dY [B,OH,OW,Co] and `y` this thread's dW
 * [KK, Co], `part` a second [KK, Co] buffer) from the same cols blocks, no transposes:
 *   dW = Σ_blocks cols[b:e]ᵀ · dY[b:e]    (A = colsᵀ read column-major in place, depth (e−b)·P)
 * this thread's first block written into dW, each later one into `part` and added; a thread
 * that claims no block leaves dW zero.
 *
 * A job travels through the team's control block as CONV_WORDS Int32 words (byte addresses and
 * sizes; encodeConv / decodeConv), so the helper needs no message and no copy.
 */
import type { Geometry } from '../shared/conv-im2col';
import { im2col } from '../shared/conv-im2col';
import { NR } from './gemm-module';
import type { GemmFn, Scratch } from './gemm-team';

/** Byte addresses of X, W, Y and this thread's cols; images [b0, b1) in blocks of `imgs`. */
export interface ConvJob {
  x: number;
  w: number;
  y: number;
  cols: number;
  g: Geometry;
  b0: number;
  b1: number;
  imgs: number;
  /** The filter gradient (see the header) instead of Y, with this second [KK, Co] buffer. */
  filter?: boolean;
  part?: number;
}

const GEOMETRY: (keyof Geometry)[] = [
  'B',
  'H',
  'W',
  'Ci',
  'OH',
  'OW',
  'Co',
  'KH',
  'KW',
  'sh',
  'sw',
  'dh',
  'dw',
  'pt',
  'pl',
];

/** Words of one encoded job: 4 addresses, the geometry, the share, the block, 2 scratch, filter. */
export const CONV_WORDS = 4 + GEOMETRY.length + 3 + 2 + 2;

export function encodeConv(j: ConvJob, s: Scratch): number[] {
  const tail = [s.pbuf, s.tmp, j.filter === true ? 1 : 0, j.part ?? 0];
  return [j.x, j.w, j.y, j.cols, ...GEOMETRY.map((k) => j.g[k]), j.b0, j.b1, j.imgs, ...tail];
}

export function decodeConv(words: ArrayLike<number>, at: number): [ConvJob, Scratch] {
  const v = (i: number) => words[at + i] as number;
  const g = {} as Geometry;
  GEOMETRY.forEach((k, i) => (g[k] = v(4 + i)));
  const n = 4 + GEOMETRY.length;
  const job: ConvJob = {
    ...{ x: v(0), w: v(1), y: v(2), cols: v(3), g, b0: v(n), b1: v(n + 1), imgs: v(n + 2) },
    ...{ filter: v(n + 5) === 1, part: v(n + 6) },
  };
  return [job, { pbuf: v(n + 3), tmp: v(n + 4) }];
}

/** Whether the conv is a plain product of X's rows by W (no im2col). */
export const isPointwise = (g: Geometry) =>
  g.KH === 1 && g.KW === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0;

/** Claims the next block of images to compute: its index (done once ≥ the number of blocks). */
export type Claim = () => number;

/** Every block in order, on this thread alone. */
const inOrder = (): Claim => {
  let next = 0;
  return () => next++;
};

/**
 * Computes Y (or dW) for the blocks of `imgs` images of [b0, b1) that `claim` hands this thread
 * (by default all of them; two threads claim in turn from one counter: ./gemm-team).
 */
export function convShare(
  memory: WebAssembly.Memory,
  gemm: GemmFn,
  j: ConvJob,
  s: Scratch,
  claim: Claim = inOrder(),
) {
  const blocks = Math.ceil((j.b1 - j.b0) / j.imgs);
  if (j.filter === true) return filterShare(memory, gemm, j, s, claim, blocks);
  const { g } = j;
  const P = g.OH * g.OW;
  const KK = g.KH * g.KW * g.Ci;
  const ldc = g.Co * 4;
  const panels = Math.ceil(g.Co / NR);
  const mul = (a: number, b: number, e: number) =>
    gemm(
      a,
      KK * 4,
      4,
      j.w,
      ldc,
      4,
      j.y + b * P * ldc,
      ldc,
      g.Co,
      KK,
      0,
      (e - b) * P,
      0,
      panels,
      s.pbuf,
      s.tmp,
    );
  const pointwise = isPointwise(g);
  // A view made now: the memory may have grown (a new buffer) since the last job.
  const heap = new Float32Array(memory.buffer);
  const xs = heap.subarray(j.x / 4, j.x / 4 + g.B * g.H * g.W * g.Ci);
  for (let c = claim(); c < blocks; c = claim()) {
    const b = j.b0 + c * j.imgs;
    const e = Math.min(j.b1, b + j.imgs);
    if (pointwise) {
      mul(j.x + b * P * KK * 4, b, e);
    } else {
      im2col(xs, g, b, e)(heap, j.cols / 4);
      mul(j.cols, b, e);
    }
  }
}

/** This thread's dW [KK, Co] = Σ over its blocks of colsᵀ · dY (see the header). */
function filterShare(
  memory: WebAssembly.Memory,
  gemm: GemmFn,
  j: ConvJob,
  s: Scratch,
  claim: Claim,
  blocks: number,
) {
  const { g } = j;
  const P = g.OH * g.OW;
  const KK = g.KH * g.KW * g.Ci;
  const ldc = g.Co * 4;
  const panels = Math.ceil(g.Co / NR);
  const pointwise = isPointwise(g);
  const heap = new Float32Array(memory.buffer);
  const xs = heap.subarray(j.x / 4, j.x / 4 + g.B * g.H * g.W * g.Ci);
  const dw = heap.subarray(j.y / 4, j.y / 4 + KK * g.Co);
  const part = heap.subarray((j.part ?? 0) / 4, (j.part ?? 0) / 4 + KK * g.Co);
  let first = true;
  for (let c = claim(); c < blocks; c = claim()) {
    const b = j.b0 + c * j.imgs;
    const e = Math.min(j.b1, b + j.imgs);
    let a = j.x + b * P * KK * 4;
    if (!pointwise) {
      im2col(xs, g, b, e)(heap, j.cols / 4);
      a = j.cols;
    }
    const out = first ? j.y : (j.part as number);
    // A = colsᵀ [KK, depth] column-major (sam = 4), B = dY rows [depth, Co], C [KK, Co].
    gemm(
      a,
      4,
      KK * 4,
      j.w + b * P * ldc,
      ldc,
      4,
      out,
      ldc,
      g.Co,
      (e - b) * P,
      0,
      KK,
      0,
      panels,
      s.pbuf,
      s.tmp,
    );
    if (!first) for (let i = 0; i < dw.length; i++) dw[i]! += part[i]!;
    first = false;
  }
  if (first) dw.fill(0); // no block came to this thread
}
