/**
 * CSV of images, one per line: `label,p0,p1,…,p783` (the layout of the common "mnist_train.csv"
 * files). The first line may be a header (any line with a non-number in it, first line only).
 * Pixels are grey levels 0..255, or intensities 0..1 (chosen per file: when no value is above
 * 1, the file is read as 0..1 and scaled by 255). Labels are whole numbers 0..255.
 *
 * Pure: scans the bytes directly (no string per line), so a 100 MB file parses in seconds.
 * Every malformed line throws with the file name and the line number.
 */
import { UPLOAD_LIMITS } from './upload-limits';

export interface CsvDigits {
  count: number;
  /** count × pixels grey levels 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
  /** How the pixel values were read. */
  scale: '0-255' | '0-1';
}

const LF = 10;
const CR = 13;
const COMMA = 44;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const DOT = 46;

/** Field [a, e) as a number; NaN when it is not one. Fast path for "123" and "0.25". */
function parseNumber(b: Uint8Array, a: number, e: number): number {
  let v = 0;
  let i = a;
  let digits = 0;
  while (i < e && b[i]! >= 48 && b[i]! <= 57) {
    v = v * 10 + (b[i]! - 48);
    i++;
    digits++;
  }
  if (i < e && b[i] === DOT) {
    i++;
    let f = 0.1;
    while (i < e && b[i]! >= 48 && b[i]! <= 57) {
      v += (b[i]! - 48) * f;
      f /= 10;
      i++;
      digits++;
    }
  }
  if (i === e && digits > 0) return v;
  if (e - a > 64) return NaN;
  const text = String.fromCharCode(...b.subarray(a, e)).trim();
  return text === '' ? NaN : Number(text); // "1e-3", "+4", "-0"; "abc" → NaN
}

function fieldText(b: Uint8Array, a: number, e: number): string {
  const t = String.fromCharCode(...b.subarray(a, Math.min(e, a + 20)));
  return e - a > 20 ? `${t}…` : t;
}

/**
 * Calls `row(line, values)` for each data line with its label and pixels as numbers
 * (values.length = 1 + pixels, reused between calls). Checks the value count and that every
 * field is a number; the caller checks the ranges.
 */
function forEachRow(
  b: Uint8Array,
  name: string,
  pixels: number,
  row: (line: number, values: Float64Array) => void,
): void {
  const width = pixels + 1;
  const values = new Float64Array(width);
  let pos = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0; // UTF-8 byte-order mark
  let line = 0;
  let sawContent = false;
  while (pos < b.length) {
    let end = b.indexOf(LF, pos);
    if (end < 0) end = b.length;
    line++;
    let lineEnd = end;
    if (lineEnd > pos && b[lineEnd - 1] === CR) lineEnd--;
    const start = pos;
    pos = end + 1;
    let count = 0;
    let bad = -1; // column of the first non-number
    let badA = 0;
    let badE = 0;
    let blank = true;
    for (let a = start; a <= lineEnd;) {
      let e = b.indexOf(COMMA, a);
      if (e < 0 || e > lineEnd) e = lineEnd;
      const next = e + 1;
      while (a < e && (b[a] === SPACE || b[a] === TAB || b[a] === QUOTE)) a++;
      while (e > a && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === QUOTE)) e--;
      if (e > a) blank = false;
      const v = parseNumber(b, a, e);
      if (Number.isNaN(v) && bad < 0) {
        bad = count;
        badA = a;
        badE = e;
      }
      if (count < width) values[count] = v;
      count++;
      a = next;
    }
    if (blank) continue; // empty line (e.g. the last one)
    const isHeader = !sawContent && bad >= 0;
    sawContent = true;
    if (isHeader) continue;
    if (count !== width) {
      throw new Error(
        `${name}: line ${line} has ${count} values; expected ${width} (a label, then ${pixels} pixels p0..p${pixels - 1})`,
      );
    }
    if (bad >= 0) {
      const what = badE > badA ? `"${fieldText(b, badA, badE)}" is not a number` : 'is empty';
      throw new Error(`${name}: line ${line}, column ${bad + 1} ${what}`);
    }
    row(line, values);
  }
}

export function parseDigitCsv(
  bytes: Uint8Array,
  name: string,
  pixels = UPLOAD_LIMITS.side * UPLOAD_LIMITS.side,
  maxRows: number = UPLOAD_LIMITS.maxImages,
): CsvDigits {
  let lines = 1;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) lines++;
  const capacity = Math.min(lines, maxRows);
  const images = new Uint8Array(capacity * pixels);
  const labels = new Uint8Array(capacity);
  let count = 0;
  let max = 0;
  forEachRow(bytes, name, pixels, (line, v) => {
    if (count >= maxRows) {
      throw new Error(`${name}: more than ${maxRows.toLocaleString('en')} images, the limit`);
    }
    const label = v[0]!;
    if (!Number.isInteger(label) || label < 0 || label > 255) {
      throw new Error(`${name}: line ${line}: label ${label} is not a whole number from 0 to 255`);
    }
    labels[count] = label;
    const base = count * pixels;
    for (let j = 1; j <= pixels; j++) {
      const p = v[j]!;
      if (!(p >= 0 && p <= 255)) {
        throw new Error(`${name}: line ${line}, column ${j + 1}: value ${p} is outside 0..255`);
      }
      if (p > max) max = p;
      images[base + j - 1] = Math.round(p);
    }
    count++;
  });
  if (count === 0) {
    throw new Error(
      `${name}: no data lines (expected lines of "label,p0,…,p${pixels - 1}", a header line is optional)`,
    );
  }
  if (max <= 1) {
    // Intensities 0..1: read again, scaled (a 0..255 image with no value above 1 is black anyway).
    let k = 0;
    forEachRow(bytes, name, pixels, (_line, v) => {
      const base = k++ * pixels;
      for (let j = 1; j <= pixels; j++) images[base + j - 1] = Math.round(v[j]! * 255);
    });
  }
  return {
    count,
    images: images.subarray(0, count * pixels),
    labels: labels.subarray(0, count),
    scale: max <= 1 ? '0-1' : '0-255',
  };
}
