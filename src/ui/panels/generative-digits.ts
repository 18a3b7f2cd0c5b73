/**
 * Which digit a generative panel starts from (one of the fixed probe digits or the user's own
 * drawing), and the small conversions between the page's images and the inspector's batches.
 */
import type { DigitRef, ImageBatch } from '../../contracts/inspect';

/** A probe digit's index, or the digit drawn in the "Draw your own digit" panel. */
export type DigitChoice = number | 'drawing';

/** The user's drawing, preprocessed like MNIST (28×28 intensities in [0, 1]). */
export interface Drawing {
  pixels: Float32Array;
  /** Increases with every stroke, so panels know when to ask again. */
  version: number;
}

/** What the panels share about the run: when to ask again, and the step for captions. */
export interface LiveStep {
  /** Changes with the run and with each evaluation (the worker evaluates every ~1.5 s). */
  key: string;
  step: number | null;
}

/** The inspector's reference to a choice; null when it is the drawing and nothing is drawn. */
export function toDigitRef(choice: DigitChoice, drawing: Drawing | null): DigitRef | null {
  if (choice !== 'drawing') return { probe: choice };
  return drawing ? { pixels: drawing.pixels } : null;
}

/** Part of an inspection key: changes when the chosen digit (or the drawing) changes. */
export function choiceKey(choice: DigitChoice, drawing: Drawing | null): string {
  return choice === 'drawing' ? `d${drawing?.version ?? 0}` : `p${choice}`;
}

/** "digit 7 (probe 3)" or "your drawing". */
export function choiceName(choice: DigitChoice, labels: Uint8Array | null): string {
  if (choice === 'drawing') return 'your drawing';
  const label = labels?.[choice];
  return label === undefined ? `probe ${choice}` : `digit ${label} (probe ${choice})`;
}

/**
 * The first `count` probe indices whose labels differ (then any others), so default choices
 * show different digits: an interpolation from a 7 to a 7 teaches little.
 */
export function distinctProbes(labels: Uint8Array | null, available: number, count: number) {
  const picked: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < available && picked.length < count; i++) {
    const label = labels?.[i] ?? i;
    if (!seen.has(label)) {
      seen.add(label);
      picked.push(i);
    }
  }
  for (let i = 0; i < available && picked.length < count; i++)
    if (!picked.includes(i)) picked.push(i);
  while (picked.length < count) picked.push(0);
  return picked;
}

/** Probe digits as a batch: `images` is n × H·W grey levels 0..255. */
export function probeBatch(images: Uint8Array, height: number, width: number): ImageBatch {
  const pixels = new Float32Array(images.length);
  for (let k = 0; k < images.length; k++) pixels[k] = images[k]! / 255;
  return { count: Math.floor(images.length / (height * width)), height, width, pixels };
}

/** `count` images of a batch from `start` (a view, no copy). */
export function sliceBatch(batch: ImageBatch, start: number, count: number): ImageBatch {
  const p = batch.height * batch.width;
  return { ...batch, count, pixels: batch.pixels.subarray(start * p, (start + count) * p) };
}

/** One image as a batch. */
export function singleImage(pixels: Float32Array, height: number, width: number): ImageBatch {
  return { count: 1, height, width, pixels };
}

/** A number for captions: 2 decimals, with a real minus sign. */
export function coord(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v.toFixed(2).replace('-', '−');
}
