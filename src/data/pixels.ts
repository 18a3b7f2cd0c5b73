/**
 * Grey levels to model inputs: bytes 0..255 → floats in [0, 1], and Bernoulli binarisation.
 * Pure: no TF.js.
 */
import type { Rng } from '../core/rng';

/** Images start..start+count (each `pixels` bytes) as floats in [0, 1]. */
export function toFloatPixels(
  images: Uint8Array,
  start: number,
  count: number,
  pixels: number,
): Float32Array {
  const out = new Float32Array(count * pixels);
  const src = images.subarray(start * pixels, (start + count) * pixels);
  for (let i = 0; i < out.length; i++) out[i] = src[i]! / 255;
  return out;
}

/** x ← 1[u < x], u ~ U(0, 1): one Bernoulli(x) sample per pixel, in place. */
export function binarizeInPlace(pixels: Float32Array, rng: Rng): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng() < pixels[i]! ? 1 : 0;
}

/** Seeds of the fixed binarisations: the training set (static) and evaluation sets. */
export const STATIC_BINARIZATION_SEED = 1234;
export const EVAL_BINARIZATION_SEED = 20260;
