/**
 * IDX file format (LeCun's MNIST container), parsed the same way in the browser and in Node.
 *
 * Layout (all integers big-endian):
 *   bytes 0-1  zero
 *   byte  2    data type: 0x08 unsigned byte (the only type MNIST-like data uses)
 *   byte  3    rank r (1 = labels, 3 = images)
 *   bytes 4..  r × uint32 dimension sizes
 *   then       prod(dims) data bytes, nothing after them
 *
 * Pure: no imports, no DOM. Every malformed input throws an IdxError whose message says what is wrong.
 */

export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28]. */
  dims: number[];
  /** Row-major data, length prod(dims). A view into the input buffer (no copy). */
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** Largest rank we accept; MNIST uses 1 and 3. */
const MAX_RANK = 4;

/** Parses an uncompressed IDX buffer of unsigned bytes. `name` appears in error messages. */
export function parseIdx(input: ArrayBuffer | Uint8Array, name = 'IDX file'): IdxArray {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 4) {
    throw new IdxError(`${name}: only ${bytes.length} bytes, too short for an IDX header`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxError(`${name}: this is gzip-compressed data; decompress it before parsing`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      `${name}: not an IDX file (magic number starts with 0x${hex(bytes[0])}${hex(bytes[1])}, expected 0x0000)`,
    );
  }
  const type = bytes[2] ?? 0;
  if (type !== 0x08) {
    const known = TYPE_NAMES[type];
    throw new IdxError(
      known
        ? `${name}: data type ${known} (0x${hex(type)}) is not supported; only unsigned bytes (0x08) are`
        : `${name}: unknown IDX data type 0x${hex(type)}`,
    );
  }
  const rank = bytes[3] ?? 0;
  if (rank < 1 || rank > MAX_RANK) {
    throw new IdxError(`${name}: rank ${rank} is not supported (expected 1 to ${MAX_RANK})`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxError(
      `${name}: truncated header (${bytes.length} bytes, a rank-${rank} header needs ${headerLength})`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0) throw new IdxError(`${name}: dimension ${i} is zero`);
    dims.push(d);
    count *= d;
  }
  const expected = headerLength + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new IdxError(
      `${name}: ${what}: header says ${dims.join('×')} = ${count} values (${expected} bytes in all), file has ${bytes.length} bytes`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/** Builds an IDX buffer of unsigned bytes (for tests and for writing uploads back). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new IdxError(
      `encodeIdx: dims ${dims.join('×')} need ${count} values, got ${data.length}`,
    );
  }
  const out = new Uint8Array(4 + 4 * dims.length + count);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function hex(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}
