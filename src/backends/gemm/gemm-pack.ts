/**
 * The B-panel packer of our generated GEMM (./gemm-module): copies one panel of NR = 8 columns
 * of B into a small contiguous buffer [k][8] (zero-padded past n) right before the panel is used,
 * so it stays hot in L1 while every row block of A streams past it. A transposed B (rows of Bᵀ
 * contiguous) is packed with 4×4 SIMD transposes.
 */
import { flat, incConst, incLocal, Locals, NR, whileLt } from './gemm-codegen';
import { I32, op, V128, type Bytes, type FuncDef } from './wasm-asm';

/**
 * pack(bp, sbk, sbn, k, nvalid, dst): dst[kk*8 + j] = B[bp + kk*sbk + j*sbn] for j < nvalid,
 * 0 for nvalid ≤ j < 8.
 */
export function packFunc(): FuncDef {
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
