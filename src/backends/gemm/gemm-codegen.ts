/**
 * Building blocks of our generated GEMM (./gemm-module, ./gemm-pack): the tile sizes, and small
 * helpers that emit WebAssembly control flow from TypeScript (./wasm-asm's opcodes).
 */
import { op, type Bytes } from './wasm-asm';

/** Micro-tile rows (default, max) and columns. */
export const MR = 6;
export const NR = 8;
/** k-unroll of the micro-kernel. */
export const KU = 4;
/** v128 vectors per tile row. */
export const NV = NR / 4;

export const flat = (...parts: Bytes[]): Bytes => parts.flat();

/** Local-variable allocator for one function (params first). */
export class Locals {
  readonly types: number[] = [];
  constructor(private readonly nParams: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.nParams + this.types.length - 1;
  }
}

/** `while (get(i) < get(limit)) { body; }` */
export function whileLt(i: number, limit: number, body: Bytes): Bytes {
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
export const incConst = (i: number, n: number): Bytes =>
  flat(op.get(i), op.i32(n), op.add, op.set(i));
/** local[i] += local[j]. */
export const incLocal = (i: number, j: number): Bytes =>
  flat(op.get(i), op.get(j), op.add, op.set(i));
