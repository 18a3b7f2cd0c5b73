/**
 * Which probe digits the interpolation panel opens on: a path between two different digits
 * (a 1 and a 7 where the probes have them) and a bilinear grid between four different digits.
 * A path from a digit to the same digit, or a grid whose corners are all one digit, shows
 * nothing about the latent space between classes.
 */
import { distinctProbes } from './generative-digits';

/** The digits a path prefers at its ends, then the grid's corners, in order of preference. */
export const PATH_DIGITS = [1, 7] as const;
export const CORNER_DIGITS = [0, 1, 7, 8] as const;

/** Probe indices for `wanted` labels (each label once), then other distinct labels, then any. */
function pick(labels: Uint8Array | null, available: number, wanted: readonly number[]) {
  const picked: number[] = [];
  const used = new Set<number>();
  if (labels)
    for (const digit of wanted) {
      const i = labels.subarray(0, available).indexOf(digit);
      if (i >= 0 && !used.has(digit)) {
        picked.push(i);
        used.add(digit);
      }
    }
  for (const i of distinctProbes(labels, available, available)) {
    if (picked.length >= wanted.length) break;
    const label = labels?.[i] ?? -1 - i;
    if (!picked.includes(i) && !used.has(label)) {
      picked.push(i);
      used.add(label);
    }
  }
  for (let i = 0; i < available && picked.length < wanted.length; i++)
    if (!picked.includes(i)) picked.push(i);
  while (picked.length < wanted.length) picked.push(0);
  return picked;
}

export interface OpeningDigits {
  /** Probe indices of the path's two ends (A, B). */
  path: [number, number];
  /** Probe indices of the grid's corners: top left, top right, bottom left, bottom right. */
  corners: [number, number, number, number];
}

/** The opening choice for the probes the page has (`labels` of the first `available`). */
export function openingDigits(labels: Uint8Array | null, available: number): OpeningDigits {
  const [a, b] = pick(labels, available, PATH_DIGITS);
  const [c0, c1, c2, c3] = pick(labels, available, CORNER_DIGITS);
  return { path: [a!, b!], corners: [c0!, c1!, c2!, c3!] };
}
