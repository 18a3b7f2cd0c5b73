import { describe, expect, it } from 'vitest';
import { parseDigitCsv } from '../../src/data/csv-digits';

const enc = (s: string) => new TextEncoder().encode(s);
/** A row: label, then `pixels` values from `value(j)`. */
const row = (label: number | string, pixels: number, value: (j: number) => number | string) =>
  [label, ...Array.from({ length: pixels }, (_, j) => value(j))].join(',');

describe('parseDigitCsv', () => {
  it('reads label,p0..p783 rows of 0..255 with a header and CRLF line ends', () => {
    const header = ['label', ...Array.from({ length: 784 }, (_, j) => `p${j}`)].join(',');
    const text = [header, row(3, 784, (j) => j % 256), row(9, 784, () => 255), ''].join('\r\n');
    const out = parseDigitCsv(enc(text), 'a.csv');
    expect(out.count).toBe(2);
    expect(out.scale).toBe('0-255');
    expect(Array.from(out.labels)).toEqual([3, 9]);
    expect(out.images.length).toBe(2 * 784);
    expect(out.images[5]).toBe(5);
    expect(out.images[784 + 100]).toBe(255);
  });

  it('reads intensities 0..1 (no value above 1) as 0..255, and decimals/exponents', () => {
    const text = [row(1, 4, (j) => [0, 0.5, 1, '2.5e-1'][j]!), row(0, 4, () => 0)].join('\n');
    const out = parseDigitCsv(enc(text), 'b.csv', 4);
    expect(out.scale).toBe('0-1');
    expect(Array.from(out.images.subarray(0, 4))).toEqual([0, 128, 255, 64]);
  });

  it('skips a byte-order mark, blank lines and spaces around values', () => {
    const text = '\uFEFF' + row(2, 3, () => ' 7 ') + '\n\n' + row(4, 3, () => 8) + '\n';
    const out = parseDigitCsv(enc(text), 'c.csv', 3);
    expect(Array.from(out.labels)).toEqual([2, 4]);
    expect(Array.from(out.images)).toEqual([7, 7, 7, 8, 8, 8]);
  });

  const bad: [string, string, RegExp][] = [
    [
      'a row with 783 values',
      row(1, 782, () => 0),
      /bad\.csv: line 1 has 783 values; expected 785/,
    ],
    ['a row with too many values', row(1, 790, () => 0), /line 1 has 791 values/],
    [
      'a later short row',
      [row(1, 784, () => 0), row(2, 784, () => 0), row(3, 700, () => 0)].join('\n'),
      /line 3 has 701 values/,
    ],
    [
      'a non-number pixel',
      row(1, 784, (j) => (j === 10 ? 'x' : 0)) + '\n' + row(1, 784, (j) => (j === 10 ? 'x' : 0)),
      /line 2, column 12 "x" is not a number/,
    ],
    [
      'an empty field',
      row(1, 784, () => 0) + '\n' + row(1, 784, (j) => (j === 3 ? '' : 0)),
      /line 2, column 5 is empty/,
    ],
    [
      'a value above 255',
      row(1, 784, (j) => (j === 0 ? 300 : 0)),
      /column 2: value 300 is outside 0\.\.255/,
    ],
    ['a negative value', row(1, 784, (j) => (j === 0 ? -1 : 0)), /value -1 is outside/],
    ['a fractional label', row(1.5, 784, () => 0), /label 1\.5 is not a whole number/],
    ['only a header', 'label,p0,p1\n', /no data lines/],
    ['an empty file', '', /no data lines/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, naming the file and line`, () => {
      expect(() => parseDigitCsv(enc(text), 'bad.csv')).toThrow(message);
    });
  }

  it('refuses more rows than the limit', () => {
    const text = [row(1, 2, () => 0), row(1, 2, () => 0), row(1, 2, () => 0)].join('\n');
    expect(() => parseDigitCsv(enc(text), 'big.csv', 2, 2)).toThrow(/big\.csv: more than 2 images/);
  });
});
