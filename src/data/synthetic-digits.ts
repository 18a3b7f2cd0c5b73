/**
 * A small made-up image dataset for speed measurements (the device benchmark): 28×28 grey
 * "digits" of a few random strokes, so that no download is needed. A training step's cost does
 * not depend on what the pixels show, only on the model and the batch size.
 */
import { mulberry32 } from '../core/rng';
import type { ImageDataset, ImageSplit } from './image-dataset';

const SIZE = 28;

function split(count: number, rng: () => number): ImageSplit {
  const images = new Uint8Array(count * SIZE * SIZE);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = Math.floor(rng() * 10);
    const base = n * SIZE * SIZE;
    for (let stroke = 0; stroke < 3; stroke++) {
      let y = 6 + rng() * 16;
      let x = 6 + rng() * 16;
      const dy = rng() * 2 - 1;
      const dx = rng() * 2 - 1;
      for (let t = 0; t < 12; t++) {
        const yi = Math.round(y);
        const xi = Math.round(x);
        if (yi >= 0 && yi < SIZE && xi >= 0 && xi < SIZE) images[base + yi * SIZE + xi] = 255;
        y += dy;
        x += dx;
      }
    }
  }
  return { count, images, labels };
}

/** `trainCount` training and `testCount` test images, the same for the same seed. */
export function syntheticDigits(trainCount: number, testCount: number, seed = 1): ImageDataset {
  const rng = mulberry32(seed);
  return {
    id: 'synthetic',
    name: 'Synthetic strokes',
    source: 'generated in the browser',
    license: 'none (generated)',
    height: SIZE,
    width: SIZE,
    classes: 10,
    train: split(trainCount, rng),
    test: split(testCount, rng),
  };
}
