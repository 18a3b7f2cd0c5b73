import { describe, expect, it } from 'vitest';
import { encodeIdx, IdxError, parseIdx } from '../../src/data/idx';

function header(type: number, dims: number[]): number[] {
  const out = [0, 0, type, dims.length];
  for (const d of dims) out.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return out;
}

describe('parseIdx', () => {
  it('reads dims (big-endian) and data of a rank-3 file', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 300 }, (_, i) => i % 251);
    const bytes = Uint8Array.from([...header(0x08, [2, 3, 300]), ...data]);
    const parsed = parseIdx(bytes);
    expect(parsed.dims).toEqual([2, 3, 300]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it('round-trips with encodeIdx, also from an offset view and an ArrayBuffer', () => {
    const data = Uint8Array.from([5, 6, 7, 8, 9, 10]);
    const enc = encodeIdx([6], data);
    const padded = new Uint8Array(enc.length + 8);
    padded.set(enc, 8);
    expect(Array.from(parseIdx(padded.subarray(8)).data)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(parseIdx(enc.slice().buffer).dims).toEqual([6]);
  });

  const bad: [string, number[], RegExp][] = [
    ['empty input', [], /too short/],
    ['a non-zero magic number', [1, 2, 8, 1, 0, 0, 0, 1, 5], /not an IDX file.*0x0102/],
    ['gzip bytes', [0x1f, 0x8b, 8, 0, 0, 0], /gzip-compressed/],
    ['a float32 file', [...header(0x0d, [1]), 0, 0, 0, 0], /float32.*not supported/],
    ['an unknown type', [...header(0x42, [1]), 0], /unknown IDX data type 0x42/],
    ['rank 0', [0, 0, 8, 0], /rank 0/],
    ['rank 9', [0, 0, 8, 9], /rank 9/],
    ['a truncated header', [0, 0, 8, 3, 0, 0, 0, 2], /truncated header/],
    ['a zero dimension', [...header(0x08, [2, 0])], /dimension 1 is zero/],
    ['truncated data', [...header(0x08, [2, 2]), 1, 2, 3], /truncated.*2×2 = 4 values/],
    ['trailing bytes', [...header(0x08, [2]), 1, 2, 3], /trailing bytes/],
  ];
  for (const [what, bytes, message] of bad) {
    it(`rejects ${what} with a clear message`, () => {
      expect(() => parseIdx(Uint8Array.from(bytes), 'digits.idx')).toThrow(IdxError);
      expect(() => parseIdx(Uint8Array.from(bytes), 'digits.idx')).toThrow(message);
      expect(() => parseIdx(Uint8Array.from(bytes), 'digits.idx')).toThrow(/^digits\.idx: /);
    });
  }

  it('survives every single-byte corruption of a small file: parses or throws IdxError', () => {
    const good = encodeIdx(
      [3, 2, 2],
      Uint8Array.from({ length: 12 }, (_, i) => i),
    );
    for (let pos = 0; pos < good.length; pos++) {
      for (const value of [0, 1, 7, 8, 255]) {
        const bytes = good.slice();
        bytes[pos] = value;
        try {
          const { dims, data } = parseIdx(bytes);
          expect(data.length).toBe(dims.reduce((a, b) => a * b, 1));
        } catch (err) {
          expect(err).toBeInstanceOf(IdxError);
        }
      }
      expect(() => parseIdx(good.subarray(0, pos))).toThrow(IdxError);
    }
  });
});
