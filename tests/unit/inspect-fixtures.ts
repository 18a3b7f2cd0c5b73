// Shared by the zoo and inspector tests: a tiny synthetic dataset, small model sizes, an image check.
import { expect } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import type { ImageDataset } from '../../src/data/image-dataset';
import type { TrainConfig } from '../../src/contracts/config';
import type { ImageBatch } from '../../src/contracts/inspect';
import type { Trainer } from '../../src/train/trainer';

/** One training step of any model: an Adam step, or one iteration of a model with `fit`. */
export async function step(t: Trainer): Promise<void> {
  if (t.fitsWithoutGradients) await t.fitStep();
  else t.trainStep();
}

export function dataset(n: number): ImageDataset {
  const rng = mulberry32(3);
  const images = Uint8Array.from({ length: n * 784 }, () => (rng() < 0.2 ? 255 : 0));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const split = { count: n, images, labels };
  return {
    id: 't',
    name: 't',
    source: '',
    license: '',
    height: 28,
    width: 28,
    classes: 10,
    train: split,
    test: split,
  };
}

export const small: Partial<TrainConfig> = {
  hiddenDim: 32,
  batchSize: 8,
  codebookSize: 8,
  codeDim: 4,
  channels: 4,
  categorical: 4,
  classes: 5,
  clusters: 10,
  priorLayers: 1,
  priorHeads: 2,
  priorWidth: 16,
};

export function expectImages(batch: ImageBatch, count: number): void {
  expect(batch.count).toBe(count);
  expect(batch.height).toBe(28);
  expect(batch.width).toBe(28);
  expect(batch.pixels).toBeInstanceOf(Float32Array);
  expect(batch.pixels.length).toBe(count * 784);
  expect(batch.pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
}
