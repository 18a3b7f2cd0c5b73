/**
 * A decoded photo or scan (RGBA pixels) → a 28×28 MNIST-like image: light ink on a dark field,
 * ink box scaled to 20 px and centre of mass at (14, 14) (core/mnist-centre.ts).
 *
 *   grey  = (α·Y + (1 − α)·255) / 255,  Y = 0.299 R + 0.587 G + 0.114 B   (transparent = paper)
 *   ink   = mean(grey) > ½ ? 1 − grey : grey          (dark-on-light scans become light ink)
 *   ink   ← clamp((ink − median) / (max − median))     (paper to 0, strongest ink to 1;
 *                                                       all 0 when max − median < 0.05)
 *   out   = round(255 · centreLikeMnist(ink))                                           [28×28]
 *
 * Pure: no DOM (the page decodes the file and hands over the RGBA bytes).
 */
import { centreLikeMnist } from '../core/mnist-centre';

/** Ink below this (after stretching) is paper when finding the ink's box, so specks do not widen it. */
const INK_THRESHOLD = 0.2;
/** An image whose strongest ink stands less than this above the paper is blank (noise only). */
const MIN_CONTRAST = 0.05;

/** RGBA → grey levels in [0, 1] (ITU-R BT.601 luma, composited over white). */
export function greyFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const a = rgba[4 * i + 3]! / 255;
    const y = 0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!;
    out[i] = (a * y + (1 - a) * 255) / 255;
  }
  return out;
}

/** The median (the lower one for an even count). */
function median(values: Float32Array): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  return sorted[(sorted.length - 1) >> 1]!;
}

/** Grey levels → ink intensities in [0, 1]: inverted when the image is mostly bright, stretched. */
export function inkFromGrey(grey: Float32Array): { ink: Float32Array; inverted: boolean } {
  let mean = 0;
  for (const v of grey) mean += v;
  mean /= Math.max(1, grey.length);
  const inverted = mean > 0.5;
  const ink = inverted ? grey.map((v) => 1 - v) : grey.slice();
  const bg = median(ink);
  let max = 0;
  for (const v of ink) if (v > max) max = v;
  const range = max - bg;
  for (let i = 0; i < ink.length; i++) {
    ink[i] = range >= MIN_CONTRAST ? Math.min(1, Math.max(0, (ink[i]! - bg) / range)) : 0;
  }
  return { ink, inverted };
}

/** RGBA of a width×height image → 28×28 grey levels 0..255 (all 0 when there is no ink). */
export function digitFromRgba(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  size = 28,
): Uint8Array {
  const { ink } = inkFromGrey(greyFromRgba(rgba, width, height));
  const centred = centreLikeMnist(ink, width, height, { size, inkThreshold: INK_THRESHOLD });
  const out = new Uint8Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(255 * Math.min(1, centred[i]!));
  return out;
}

/** The label a file's folder gives it: ".../3/img.png" → 3; null unless the folder is one digit. */
export function labelFromPath(path: string): number | null {
  const parts = path.split(/[\\/]/);
  const folder = parts[parts.length - 2];
  return folder !== undefined && /^[0-9]$/.test(folder) ? Number(folder) : null;
}
