import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../../src/data/idx';
import { isTestName, pairIdxFiles, pairKey, splitFromIdx } from '../../src/data/idx-upload';

const images = (n: number, h = 28, w = 28) =>
  parseIdx(
    encodeIdx(
      [n, h, w],
      Uint8Array.from({ length: n * h * w }, (_, i) => i % 256),
    ),
  );
const labels = (values: number[]) => parseIdx(encodeIdx([values.length], Uint8Array.from(values)));

describe('pairKey / isTestName', () => {
  it('pairs MNIST, KMNIST-style and dotted names', () => {
    expect(pairKey('train-images-idx3-ubyte.gz')).toBe(pairKey('train-labels-idx1-ubyte'));
    expect(pairKey('dir/t10k-images-idx3-ubyte')).toBe(pairKey('t10k-labels-idx1-ubyte.gz'));
    expect(pairKey('kmnist-test-imgs.idx')).toBe(pairKey('kmnist-test-labels.idx'));
    expect(pairKey('train-images-idx3-ubyte')).not.toBe(pairKey('t10k-labels-idx1-ubyte'));
  });

  it('knows test names', () => {
    expect(isTestName('t10k-images-idx3-ubyte.gz')).toBe(true);
    expect(isTestName('mnist_test.csv')).toBe(true);
    expect(isTestName('kmnist-test-imgs')).toBe(true);
    expect(isTestName('train-images-idx3-ubyte')).toBe(false);
    expect(isTestName('contest.csv')).toBe(false);
  });
});

describe('pairIdxFiles', () => {
  it('pairs train and t10k files and marks the test part', () => {
    const { parts, errors } = pairIdxFiles([
      { name: 't10k-labels-idx1-ubyte', idx: labels([1, 2]) },
      { name: 'train-images-idx3-ubyte.gz', idx: images(3) },
      { name: 'train-labels-idx1-ubyte.gz', idx: labels([0, 1, 2]) },
      { name: 't10k-images-idx3-ubyte', idx: images(2) },
    ]);
    expect(errors).toEqual([]);
    expect(parts.map((p) => [p.count, p.split, Array.from(p.labels ?? [])])).toEqual([
      [2, 'test', [1, 2]],
      [3, 'any', [0, 1, 2]],
    ]);
  });

  it('takes images without labels as unlabelled, and N×784 images', () => {
    const flat = parseIdx(encodeIdx([2, 784], new Uint8Array(2 * 784)));
    const { parts, errors } = pairIdxFiles([{ name: 'mine.idx', idx: flat }]);
    expect(errors).toEqual([]);
    expect(parts[0]).toMatchObject({ count: 2, labels: null, split: 'any' });
  });

  it('says when images and labels disagree in count (and drops both)', () => {
    const { parts, errors } = pairIdxFiles([
      { name: 'train-images-idx3-ubyte', idx: images(3) },
      { name: 'train-labels-idx1-ubyte', idx: labels([1, 2]) },
    ]);
    expect(parts).toEqual([]);
    expect(errors).toEqual([
      'train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels',
    ]);
  });

  it('refuses images that are not 28×28, naming the file', () => {
    const { errors } = pairIdxFiles([{ name: 'big-images-idx3-ubyte', idx: images(1, 32, 32) }]);
    expect(errors[0]).toMatch(
      /big-images-idx3-ubyte: images are 32×32; the models here take 28×28/,
    );
  });

  it('refuses other shapes and lone labels', () => {
    const cube = parseIdx(encodeIdx([1, 2, 2, 2], new Uint8Array(8)));
    const { errors } = pairIdxFiles([
      { name: 'cube.idx', idx: cube },
      { name: 'orphan-labels-idx1-ubyte', idx: labels([1]) },
    ]);
    expect(errors[0]).toMatch(/cube\.idx: an IDX array of shape 1×2×2×2 is neither images/);
    expect(errors[1]).toMatch(/orphan-labels-idx1-ubyte: labels with no images file/);
  });

  it('refuses two image files that would pair with the same labels', () => {
    const { errors } = pairIdxFiles([
      { name: 'a/train-images-idx3-ubyte', idx: images(1) },
      { name: 'b/train-images-idx3-ubyte', idx: images(1) },
    ]);
    expect(errors[0]).toMatch(/cannot be paired/);
  });
});

describe('splitFromIdx', () => {
  it('builds a split and checks labels against the class count', () => {
    const s = splitFromIdx({ name: 'i', idx: images(2) }, { name: 'l', idx: labels([0, 9]) });
    expect(s.count).toBe(2);
    expect(() =>
      splitFromIdx({ name: 'i', idx: images(2) }, { name: 'l.gz', idx: labels([0, 10]) }),
    ).toThrow(/l\.gz: label 10 at index 1 is not below 10/);
    expect(() =>
      splitFromIdx({ name: 'i.gz', idx: images(2) }, { name: 'l.gz', idx: labels([0]) }),
    ).toThrow(/i\.gz has 2 images but l\.gz has 1 labels/);
    expect(() =>
      splitFromIdx({ name: 'i.gz', idx: labels([1]) }, { name: 'l.gz', idx: labels([0]) }),
    ).toThrow(/i\.gz: expected images/);
  });
});
