/**
 * A tiny WebAssembly binary writer, just enough for the generated GEMM module (./gemm-module):
 * one imported memory, i32 and v128 locals, structured control flow, loads/stores and a handful
 * of SIMD arithmetic ops. The code is written as arrays of bytes built with the helpers below;
 * generating it from TypeScript loops is what unrolls the micro-kernels. No dependency, nothing
 * fetched: the module's bytes are built in memory where they are used.
 *
 * Opcodes are from the WebAssembly core specification 2.0 (binary format, §5.4) and the
 * fixed-width SIMD proposal (0xFD-prefixed; merged into 2.0).
 */

export type Bytes = number[];

/** Unsigned LEB128. */
export function u32(n: number): Bytes {
  const out: Bytes = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function s32(n: number): Bytes {
  const out: Bytes = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): Bytes {
  const b = Array.from(new TextEncoder().encode(s));
  return [...u32(b.length), ...b];
}

function vec(items: Bytes[]): Bytes {
  return [...u32(items.length), ...items.flat()];
}

function section(id: number, body: Bytes): Bytes {
  return [id, ...u32(body.length), ...body];
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
const EMPTY = 0x40;

/** Instructions (each returns its bytes; concatenate with `flat`). */
export const op = {
  get: (i: number): Bytes => [0x20, ...u32(i)],
  set: (i: number): Bytes => [0x21, ...u32(i)],
  tee: (i: number): Bytes => [0x22, ...u32(i)],
  i32: (n: number): Bytes => [0x41, ...s32(n)],
  add: [0x6a] as Bytes,
  sub: [0x6b] as Bytes,
  mul: [0x6c] as Bytes,
  and: [0x71] as Bytes,
  eqz: [0x45] as Bytes,
  eq: [0x46] as Bytes,
  ne: [0x47] as Bytes,
  ltS: [0x48] as Bytes,
  gtS: [0x4a] as Bytes,
  leS: [0x4c] as Bytes,
  geS: [0x4e] as Bytes,
  block: [0x02, EMPTY] as Bytes,
  loop: [0x03, EMPTY] as Bytes,
  if: [0x04, EMPTY] as Bytes,
  else: [0x05] as Bytes,
  end: [0x0b] as Bytes,
  br: (depth: number): Bytes => [0x0c, ...u32(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...u32(depth)],
  return: [0x0f] as Bytes,
  call: (f: number): Bytes => [0x10, ...u32(f)],
  /** f32.load / f32.store with a byte offset (alignment hint 4 bytes). */
  f32Load: (offset = 0): Bytes => [0x2a, 2, ...u32(offset)],
  f32Store: (offset = 0): Bytes => [0x38, 2, ...u32(offset)],
  /** v128.load / v128.store (alignment hint 4 bytes: operands are only float-aligned). */
  v128Load: (offset = 0): Bytes => [0xfd, ...u32(0), 2, ...u32(offset)],
  v128Store: (offset = 0): Bytes => [0xfd, ...u32(11), 2, ...u32(offset)],
  v128Load32Splat: (offset = 0): Bytes => [0xfd, ...u32(9), 2, ...u32(offset)],
  v128Zero: [0xfd, ...u32(12), ...new Array<number>(16).fill(0)] as Bytes,
  i8x16Shuffle: (lanes: number[]): Bytes => [0xfd, ...u32(13), ...lanes],
  f32x4Splat: [0xfd, ...u32(19)] as Bytes,
  f32x4ExtractLane: (lane: number): Bytes => [0xfd, ...u32(31), lane],
  f32Add: [0x92] as Bytes,
  f32x4Sqrt: [0xfd, ...u32(227)] as Bytes,
  f32x4Add: [0xfd, ...u32(228)] as Bytes,
  f32x4Sub: [0xfd, ...u32(229)] as Bytes,
  f32x4Mul: [0xfd, ...u32(230)] as Bytes,
  f32x4Div: [0xfd, ...u32(231)] as Bytes,
  /** relaxed SIMD: a·b + c, fused or not (host's choice). */
  f32x4RelaxedMadd: [0xfd, ...u32(0x105)] as Bytes,
};

export interface FuncDef {
  params: number[];
  results: number[];
  /** Extra locals after the params, in order. */
  locals: number[];
  body: Bytes;
  export?: string;
}

export interface ModuleDef {
  memory: { module: string; name: string; min: number; max: number; shared: boolean };
  funcs: FuncDef[];
}

/** Encodes a module: one memory import, then the functions (index = position in `funcs`). */
export function encodeModule(def: ModuleDef): Uint8Array<ArrayBuffer> {
  const types: Bytes[] = [];
  const typeIndex = new Map<string, number>();
  const funcTypes = def.funcs.map((f) => {
    const t = [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))];
    const key = t.join(',');
    let i = typeIndex.get(key);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      typeIndex.set(key, i);
    }
    return i;
  });
  const m = def.memory;
  // A non-shared import declares no maximum, so it matches memories with or without one.
  const limits = m.shared ? [0x03, ...u32(m.min), ...u32(m.max)] : [0x00, ...u32(m.min)];
  const imports = vec([[...name(m.module), ...name(m.name), 0x02, ...limits]]);
  const exports: Bytes[] = [];
  def.funcs.forEach((f, i) => {
    if (f.export !== undefined) exports.push([...name(f.export), 0x00, ...u32(i)]);
  });
  const codes = def.funcs.map((f) => {
    // Run-length groups of local types.
    const groups: Bytes[] = [];
    for (let i = 0; i < f.locals.length;) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      groups.push([...u32(j - i), f.locals[i] as number]);
      i = j;
    }
    const body = [...vec(groups), ...f.body, 0x0b];
    return [...u32(body.length), ...body];
  });
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcTypes.map((t) => u32(t)))),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ];
  return new Uint8Array(bytes);
}
