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
import { flat, incConst, incLocal, KU, Locals, MR, NR, NV, whileLt } from './gemm-codegen';
import { packFunc } from './gemm-pack';
import { encodeModule, I32, op, V128, type Bytes, type FuncDef } from './wasm-asm';

export { MR, NR } from './gemm-codegen';

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
