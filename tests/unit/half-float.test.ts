// binary16 against known bit patterns (IEEE 754-2008, the "Half-precision floating-point format"
// table) and against rounding to nearest, ties to even.
import { describe, expect, it } from 'vitest';
import { decodeHalf, encodeHalf, fromHalfBits, toHalfBits } from '../../src/core/half-float';

const KNOWN: [number, number][] = [
  [0, 0x0000],
  [-0, 0x8000],
  [1, 0x3c00],
  [-2, 0xc000],
  [0.5, 0x3800],
  [1 / 3, 0x3555],
  [65504, 0x7bff], // largest half
  [2 ** -14, 0x0400], // smallest normal
  [2 ** -24, 0x0001], // smallest subnormal
  [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
  [Infinity, 0x7c00],
  [-Infinity, 0xfc00],
];

describe('half floats', () => {
  it('encodes and decodes the known bit patterns', () => {
    for (const [value, bits] of KNOWN) {
      expect(toHalfBits(value), `${value}`).toBe(bits);
      if (value !== 1 / 3) expect(Object.is(fromHalfBits(bits), value), `${bits}`).toBe(true);
    }
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
  });

  it('rounds to nearest, ties to even, and overflows to infinity', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and 1+2⁻¹⁰: even is 1
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway: even is 1+2⁻⁹
    expect(toHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above halfway
    expect(toHalfBits(65520)).toBe(0x7c00); // rounds past the largest half
    expect(toHalfBits(65519)).toBe(0x7bff);
    expect(toHalfBits(2 ** -25)).toBe(0x0000); // halfway to the smallest subnormal: even is 0
    expect(toHalfBits(1.5 * 2 ** -24)).toBe(0x0002); // halfway between 1 and 2 subnormal steps
    expect(toHalfBits(-1e-9)).toBe(0x8000);
  });

  it('round-trips every half exactly, and floats within half a step', () => {
    const all = new Uint16Array(0x10000).map((_, i) => i);
    const finite = Array.from(all).filter((b) => (b & 0x7c00) !== 0x7c00);
    const back = encodeHalf(decodeHalf(Uint16Array.from(finite)));
    expect(Array.from(back)).toEqual(finite);
    for (const v of [0.1, -3.14159, 123.456, 1e-5, 7e-6]) {
      const h = fromHalfBits(toHalfBits(v));
      const step =
        Math.abs(v) < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 10);
      expect(Math.abs(h - v)).toBeLessThanOrEqual(step / 2);
    }
  });
});
