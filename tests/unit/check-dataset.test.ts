import { describe, expect, it } from 'vitest';
import { checkImageDataset } from '../../src/data/check-dataset';
import type { ImageDataset } from '../../src/data/image-dataset';

const split = (n: number, label = 0) => ({
  count: n,
  images: new Uint8Array(n * 784),
  labels: new Uint8Array(n).fill(label),
});
const good = (): ImageDataset => ({
  id: 'upload',
  name: 'mine',
  source: 's',
  license: 'l',
  height: 28,
  width: 28,
  classes: 10,
  train: split(5),
  test: split(2),
});

describe('checkImageDataset', () => {
  it('accepts a well-formed dataset', () => {
    expect(checkImageDataset(good()).train.count).toBe(5);
  });

  const bad: [string, (d: ImageDataset) => unknown, RegExp][] = [
    ['nothing', () => null, /no dataset/],
    ['no name', (d) => ({ ...d, name: 3 }), /no name/],
    ['32×32 images', (d) => ({ ...d, height: 32, width: 32 }), /32×32; the models take 28×28/],
    ['zero classes', (d) => ({ ...d, classes: 0 }), /class count 0/],
    ['an empty test split', (d) => ({ ...d, test: split(0) }), /test split has no images/],
    [
      'short image data',
      (d) => ({ ...d, train: { ...d.train, images: new Uint8Array(10) } }),
      /training images are not 5 × 784/,
    ],
    [
      'a missing label',
      (d) => ({ ...d, train: { ...d.train, labels: new Uint8Array(4) } }),
      /needs 5 labels/,
    ],
    ['a label out of range', (d) => ({ ...d, test: split(2, 10) }), /test label 10 at index 0/],
    [
      'numbers instead of bytes',
      (d) => ({ ...d, train: { ...d.train, images: [1, 2] } }),
      /not 5 × 784/,
    ],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => checkImageDataset(make(good()))).toThrow(message);
    });
  }
});
