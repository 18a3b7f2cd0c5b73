/**
 * Generates a WebAssembly SIMD GEMM module: C[m×n] = A[m×k] · B[k×n] in float32, each operand
 * given by a byte address into one imported memory and byte strides, so either operand may be
 * transposed in memory without a copy.
 *
 * Structure (the usual register-blocked GEMM, BLIS-style, reduced to what small MLP products need):
 * - B is packed one panel of NR = 8 columns at a time into a small buffer, [k][8] contiguous
 *   (zero-padded past n), right before the panel is used, so it is hot in L1 while every row block
 *   of A streams past it. Packing a transposed B (rows of Bᵀ contiguous) uses 4×4 SIMD transposes.
 * - The micro-kernel keeps an MR×8 tile of C (MR ≤ 6 rows × 2 v128) in 12 accumulators, and per k
 *   broadcasts one A value per row (v128.load32_splat) against two B vectors: 12 mul + 12 add per
 *   6 + 2 loads. 6×8 fits V8's 15 usable xmm registers on x64 (12 accumulators, 2 B, 1 A).
 *   k is unrolled by 4 with constant load offsets. A is read in place: row-major A through one
 *   pointer per row, transposed A (column-major) through one pointer and offsets 0, 4, … 20.
 *   With `relaxed`, each mul + add is one f32x4.relaxed_madd (an FMA where the CPU has one).
 *   Measured in Node on one core here (CPU time, [128,784]×[784,512] and the other MLP VAE
 *   shapes): ~27 GFLOP/s with mul + add (XNNPACK: 23–29), ~32 GFLOP/s fused.
 * - gemm() computes the rows [r0, r1) of the column panels [p0, p1): the unit a thread is given.
 *
 * Built from TypeScript loops by ./wasm-asm (no assembler dependency, nothing fetched).
 */
import { encodeModule, I32, op, V128, type Bytes, type FuncDef } from './wasm-asm';

/** Micro-tile rows (default, max) and columns. */
export const MR = 6;
export const NR = 8;
/** k-unroll of the micro-kernel. */
const KU = 4;
const NV = NR / 4;

export interface GemmModuleOptions {
  /** Import a shared memory (needed to instantiate over a SharedArrayBuffer-backed Memory). */
  shared: boolean;
  /** Use f32x4.relaxed_madd (relaxed SIMD; fused where the host has FMA) instead of mul + add. */
  relaxed?: boolean;
  /** Maximum pages the imported memory may declare (shared memories must declare one). */
  maxPages?: number;
  /** Micro-tile rows, 1…6 (default MR). */
  mr?: number;
}

/** Byte sizes of the per-thread scratch gemm() needs: packed B panel and edge tile. */
export function scratchBytes(k: number): { pbuf: number; tmp: number } {
  return { pbuf: Math.max(k, KU) * NR * 4, tmp: MR * NR * 4 };
}

const flat = (...parts: Bytes[]): Bytes => parts.flat();

/** Local-variable allocator for one function (params first). */
class Locals {
  readonly types: number[] = [];
  constructor(private readonly nParams: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.nParams + this.types.length - 1;
  }
}

/** `while (get(i) < get(limit)) { body; }` */
function whileLt(i: number, limit: number, body: Bytes): Bytes {
  return flat(
    op.block,
    op.loop,
    op.get(i),
    op.get(limit),
    op.geS,
    op.brIf(1),
    body,
    op.br(0),
    op.end,
    op.end,
  );
}

/** local[i] += n (constant). */
const incConst = (i: number, n: number): Bytes => flat(op.get(i), op.i32(n), op.add, op.set(i));
/** local[i] += local[j]. */
const incLocal = (i: number, j: number): Bytes => flat(op.get(i), op.get(j), op.add, op.set(i));

/**
 * pack(bp, sbk, sbn, k, nvalid, dst): dst[kk*8 + j] = B[bp + kk*sbk + j*sbn] for j < nvalid,
 * 0 for nvalid ≤ j < 8.
 */
function packFunc(): FuncDef {
  const [bp, sbk, sbn, k, nvalid, dst] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const kk = L.add(I32);
  const j = L.add(I32);
  const src = L.add(I32);
  const d = L.add(I32);
  const k4 = L.add(I32);
  const r = Array.from({ length: 8 }, () => L.add(V128));
  const t = Array.from({ length: 4 }, () => L.add(V128));
  const lanes = (l: number[]): number[] =>
    l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);

  // Row-major B, full panel: copy 8 contiguous floats per k.
  const rowMajor = flat(
    op.i32(0),
    op.set(kk),
    whileLt(
      kk,
      k,
      flat(
        op.get(dst),
        op.get(bp),
        op.v128Load(0),
        op.v128Store(0),
        op.get(dst),
        op.get(bp),
        op.v128Load(16),
        op.v128Store(16),
        incLocal(bp, sbk),
        incConst(dst, NR * 4),
        incConst(kk, 1),
      ),
    ),
  );

  // Transposed B (sbk == 4), full panel: 8 rows of Bᵀ, 4 k at a time, two 4×4 transposes.
  const transpose4 = (rows: number[], outOffset: number): Bytes => {
    const [a, b, c, e] = t as [number, number, number, number];
    const [r0, r1, r2, r3] = rows as [number, number, number, number];
    const shuf = (x: number, y: number, l: number[]) =>
      flat(op.get(x), op.get(y), op.i8x16Shuffle(lanes(l)));
    return flat(
      shuf(r0, r1, [0, 4, 1, 5]),
      op.set(a),
      shuf(r2, r3, [0, 4, 1, 5]),
      op.set(b),
      shuf(r0, r1, [2, 6, 3, 7]),
      op.set(c),
      shuf(r2, r3, [2, 6, 3, 7]),
      op.set(e),
      op.get(dst),
      shuf(a, b, [0, 1, 4, 5]),
      op.v128Store(outOffset),
      op.get(dst),
      shuf(a, b, [2, 3, 6, 7]),
      op.v128Store(outOffset + NR * 4),
      op.get(dst),
      shuf(c, e, [0, 1, 4, 5]),
      op.v128Store(outOffset + 2 * NR * 4),
      op.get(dst),
      shuf(c, e, [2, 3, 6, 7]),
      op.v128Store(outOffset + 3 * NR * 4),
    );
  };
  const loadRows: Bytes = flat(
    ...r.map((ri, jj) =>
      flat(op.get(src), op.get(sbn), op.i32(jj), op.mul, op.add, op.v128Load(0), op.set(ri)),
    ),
  );
  const transposed = flat(
    op.get(k),
    op.i32(-4),
    op.and,
    op.set(k4),
    op.get(bp),
    op.set(src),
    op.i32(0),
    op.set(kk),
    whileLt(
      kk,
      k4,
      flat(
        loadRows,
        transpose4(r.slice(0, 4), 0),
        transpose4(r.slice(4, 8), 16),
        incConst(src, 16),
        incConst(dst, 4 * NR * 4),
        incConst(kk, 4),
      ),
    ),
    // Tail k4..k: scalar, per column.
    op.i32(0),
    op.set(j),
    whileLt(
      j,
      nvalid,
      flat(
        op.get(src),
        op.get(j),
        op.get(sbn),
        op.mul,
        op.add,
        op.set(d),
        op.get(dst),
        op.get(j),
        op.i32(4),
        op.mul,
        op.add,
        op.set(bp), // reuse bp as the write pointer
        op.get(k4),
        op.set(kk),
        whileLt(
          kk,
          k,
          flat(
            op.get(bp),
            op.get(d),
            op.f32Load(0),
            op.f32Store(0),
            incConst(d, 4),
            incConst(bp, NR * 4),
            incConst(kk, 1),
          ),
        ),
        incConst(j, 1),
      ),
    ),
  );

  // Anything else (a partial panel): zero the panel, then copy column by column.
  const general = flat(
    op.i32(0),
    op.set(kk),
    op.get(dst),
    op.set(d),
    whileLt(
      kk,
      k,
      flat(
        op.get(d),
        op.v128Zero,
        op.v128Store(0),
        op.get(d),
        op.v128Zero,
        op.v128Store(16),
        incConst(d, NR * 4),
        incConst(kk, 1),
      ),
    ),
    op.i32(0),
    op.set(j),
    whileLt(
      j,
      nvalid,
      flat(
        op.get(bp),
        op.get(j),
        op.get(sbn),
        op.mul,
        op.add,
        op.set(src),
        op.get(dst),
        op.get(j),
        op.i32(4),
        op.mul,
        op.add,
        op.set(d),
        op.i32(0),
        op.set(kk),
        whileLt(
          kk,
          k,
          flat(
            op.get(d),
            op.get(src),
            op.f32Load(0),
            op.f32Store(0),
            incLocal(src, sbk),
            incConst(d, NR * 4),
            incConst(kk, 1),
          ),
        ),
        incConst(j, 1),
      ),
    ),
  );

  const full = flat(op.get(nvalid), op.i32(NR), op.eq);
  const body = flat(
    full,
    op.get(sbn),
    op.i32(4),
    op.eq,
    op.and,
    op.if,
    rowMajor,
    op.else,
    full,
    op.get(sbk),
    op.i32(4),
    op.eq,
    op.and,
    op.if,
    transposed,
    op.else,
    general,
    op.end,
    op.end,
  );
  return { params: [I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}

/**
 * kernel(a, lda, pb, c, ldc, k, nvalid, tmp) for an mr×8 tile.
 * colA = false: A row-major, row i at a + i*lda, k contiguous.
 * colA = true: A column-major, A[i][kk] at a + kk*lda + 4*i.
 */
function kernelFunc(mr: number, colA: boolean, relaxed: boolean): FuncDef {
  const [a, lda, pb, c, ldc, k, nvalid, tmp] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const kk = L.add(I32);
  const kEnd = L.add(I32);
  const cp = L.add(I32);
  const jj = L.add(I32);
  const ap = colA ? [a] : Array.from({ length: mr }, (_, i) => (i === 0 ? a : L.add(I32)));
  const acc = Array.from({ length: mr }, () => Array.from({ length: NV }, () => L.add(V128)));
  const bv = Array.from({ length: NV }, () => L.add(V128));
  const s = L.add(V128);

  const fma = (accI: number, bI: number): Bytes =>
    relaxed
      ? flat(op.get(s), op.get(bI), op.get(accI), op.f32x4RelaxedMadd, op.set(accI))
      : flat(op.get(accI), op.get(s), op.get(bI), op.f32x4Mul, op.f32x4Add, op.set(accI));

  /** One k step, reading B at pb + u*32 and A at unroll position u. */
  const step = (u: number): Bytes =>
    flat(
      ...bv.map((b, v) => flat(op.get(pb), op.v128Load(u * NR * 4 + v * 16), op.set(b))),
      ...acc.map((row, i) =>
        flat(
          colA
            ? flat(op.get(a), op.v128Load32Splat(4 * i))
            : flat(op.get(ap[i] as number), op.v128Load32Splat(4 * u)),
          op.set(s),
          ...row.map((accI, v) => fma(accI, bv[v] as number)),
        ),
      ),
      colA ? incLocal(a, lda) : [],
    );

  const advance = (n: number): Bytes =>
    flat(colA ? [] : flat(...ap.map((p) => incConst(p, 4 * n))), incConst(pb, n * NR * 4));

  const body = flat(
    // Row pointers.
    ...ap.slice(1).map((p, i) => flat(op.get(ap[i] as number), op.get(lda), op.add, op.set(p))),
    op.get(k),
    op.i32(-KU),
    op.and,
    op.set(kEnd),
    op.i32(0),
    op.set(kk),
    whileLt(
      kk,
      kEnd,
      flat(...Array.from({ length: KU }, (_, u) => step(u)), advance(KU), incConst(kk, KU)),
    ),
    whileLt(kk, k, flat(step(0), advance(1), incConst(kk, 1))),
    // Store the tile.
    op.get(c),
    op.set(cp),
    op.get(nvalid),
    op.i32(NR),
    op.eq,
    op.if,
    ...acc.map((row) =>
      flat(
        ...row.map((accI, v) => flat(op.get(cp), op.get(accI), op.v128Store(v * 16))),
        incLocal(cp, ldc),
      ),
    ),
    op.else,
    ...acc.map((row, i) =>
      flat(
        ...row.map((accI, v) =>
          flat(op.get(tmp), op.get(accI), op.v128Store((i * NR + v * 4) * 4)),
        ),
      ),
    ),
    ...acc.map((_, i) =>
      flat(
        op.i32(0),
        op.set(jj),
        whileLt(
          jj,
          nvalid,
          flat(
            op.get(cp),
            op.get(jj),
            op.i32(4),
            op.mul,
            op.add,
            op.get(tmp),
            op.get(jj),
            op.i32(4),
            op.mul,
            op.add,
            op.f32Load(i * NR * 4),
            op.f32Store(0),
            incConst(jj, 1),
          ),
        ),
        incLocal(cp, ldc),
      ),
    ),
    op.end,
  );
  return { params: new Array<number>(8).fill(I32), results: [], locals: L.types, body };
}

/**
 * gemm(a, sam, sak, b, sbk, sbn, c, ldc, n, k, r0, r1, p0, p1, pbuf, tmp):
 * C[r][j] = Σ_kk A[r][kk]·B[kk][j] for r0 ≤ r < r1 and the columns of panels p0 ≤ p < p1
 * (panel p = columns 8p … min(8p+8, n)). A[r][kk] is at a + r*sam + kk*sak and must have
 * sak == 4 (row-major) or sam == 4 (column-major); B[kk][j] at b + kk*sbk + j*sbn; C row-major
 * with row stride ldc bytes. pbuf: scratchBytes(k).pbuf bytes, tmp: scratchBytes(k).tmp bytes.
 */
function gemmFunc(
  MR: number,
  packIdx: number,
  rowKernel: (mr: number) => number,
  colKernel: (mr: number) => number,
): FuncDef {
  const [a, sam, sak, b, sbk, sbn, c, ldc, n, k, r0, r1, p0, p1, pbuf, tmp] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  ];
  const L = new Locals(16);
  const p = L.add(I32);
  const n0 = L.add(I32);
  const nvalid = L.add(I32);
  const r = L.add(I32);
  const rem = L.add(I32);
  const colA = L.add(I32);

  const callKernel = (fn: number, lda: number): Bytes =>
    flat(
      op.get(a),
      op.get(r),
      op.get(sam),
      op.mul,
      op.add,
      op.get(lda),
      op.get(pbuf),
      op.get(c),
      op.get(r),
      op.get(ldc),
      op.mul,
      op.add,
      op.get(n0),
      op.i32(4),
      op.mul,
      op.add,
      op.get(ldc),
      op.get(k),
      op.get(nvalid),
      op.get(tmp),
      op.call(fn),
    );
  const dispatch = (mr: number, kernel: (m: number) => number, lda: number): Bytes =>
    mr === 1
      ? callKernel(kernel(1), lda)
      : flat(
          op.get(rem),
          op.i32(mr),
          op.geS,
          op.if,
          callKernel(kernel(mr), lda),
          op.else,
          dispatch(mr - 1, kernel, lda),
          op.end,
        );

  const body = flat(
    op.get(sak),
    op.i32(4),
    op.ne,
    op.set(colA),
    op.get(p0),
    op.set(p),
    whileLt(
      p,
      p1,
      flat(
        op.get(p),
        op.i32(NR),
        op.mul,
        op.set(n0),
        op.get(n),
        op.get(n0),
        op.sub,
        op.set(nvalid),
        op.get(nvalid),
        op.i32(NR),
        op.gtS,
        op.if,
        op.i32(NR),
        op.set(nvalid),
        op.end,
        // pack(b + n0*sbn, sbk, sbn, k, nvalid, pbuf)
        op.get(b),
        op.get(n0),
        op.get(sbn),
        op.mul,
        op.add,
        op.get(sbk),
        op.get(sbn),
        op.get(k),
        op.get(nvalid),
        op.get(pbuf),
        op.call(packIdx),
        op.get(r0),
        op.set(r),
        whileLt(
          r,
          r1,
          flat(
            op.get(r1),
            op.get(r),
            op.sub,
            op.set(rem),
            op.get(colA),
            op.if,
            dispatch(MR, colKernel, sak),
            op.else,
            dispatch(MR, rowKernel, sam),
            op.end,
            incConst(r, MR),
          ),
        ),
        incConst(p, 1),
      ),
    ),
  );
  return {
    params: new Array<number>(16).fill(I32),
    results: [],
    locals: L.types,
    body,
    export: 'gemm',
  };
}

/** The module's bytes. Exports gemm (see gemmFunc); imports env.memory. */
export function buildGemmModule(options: GemmModuleOptions): Uint8Array<ArrayBuffer> {
  const relaxed = options.relaxed ?? false;
  const MR = options.mr ?? 6;
  const funcs: FuncDef[] = [packFunc()];
  const rowBase = funcs.length;
  for (let mr = 1; mr <= MR; mr++) funcs.push(kernelFunc(mr, false, relaxed));
  const colBase = funcs.length;
  for (let mr = 1; mr <= MR; mr++) funcs.push(kernelFunc(mr, true, relaxed));
  funcs.push(
    gemmFunc(
      MR,
      0,
      (mr) => rowBase + mr - 1,
      (mr) => colBase + mr - 1,
    ),
  );
  return encodeModule({
    memory: {
      module: 'env',
      name: 'memory',
      min: 1,
      max: options.maxPages ?? 65536,
      shared: options.shared,
    },
    funcs,
  });
}
