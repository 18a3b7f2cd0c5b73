import { describe, expect, it } from 'vitest';
import { assembleUpload, type DigitPart } from '../../src/data/upload-dataset';
import { UPLOAD_LIMITS } from '../../src/data/upload-limits';

const P = 784;
/** n images whose first pixel is its index in the part (mod 256) plus `tag`. */
function part(n: number, opts: Partial<DigitPart> & { tag?: number } = {}): DigitPart {
  const images = new Uint8Array(n * P);
  for (let i = 0; i < n; i++) images[i * P] = (i + (opts.tag ?? 0)) % 256;
  return {
    name: opts.name ?? `part${n}`,
    count: n,
    images,
    labels:
      opts.labels === undefined ? Uint8Array.from({ length: n }, (_, i) => i % 10) : opts.labels,
    split: opts.split ?? 'any',
  };
}

describe('assembleUpload', () => {
  it('holds out round(n/6) shuffled images as the test set', () => {
    const { dataset, notes } = assembleUpload([part(60)], {
      name: 'mine.csv',
      files: ['mine.csv'],
    });
    expect(dataset.test.count).toBe(10);
    expect(dataset.train.count).toBe(50);
    expect(dataset.classes).toBe(10);
    expect(dataset).toMatchObject({ id: 'upload', name: 'mine.csv', height: 28, width: 28 });
    // Every image is in exactly one split, with its own label.
    const firsts = [dataset.train, dataset.test].flatMap((s) =>
      Array.from({ length: s.count }, (_, i) => [s.images[i * P]!, s.labels[i]!]),
    );
    expect(firsts.map(([v]) => v).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(firsts.every(([v, l]) => v! % 10 === l)).toBe(true);
    // Shuffled: the test set is not simply the last 10.
    expect(Array.from({ length: 10 }, (_, i) => dataset.test.images[i * P])).not.toEqual([
      50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
    ]);
    expect(notes[0]).toMatch(/Held out 10 of 60/);
  });

  it('is deterministic and caps the test set at 10,000', () => {
    const a = assembleUpload([part(30)], { name: 'a', files: [] });
    const b = assembleUpload([part(30)], { name: 'a', files: [] });
    expect(Array.from(a.dataset.test.images)).toEqual(Array.from(b.dataset.test.images));
    const limits = { ...UPLOAD_LIMITS, maxTestImages: 3 };
    expect(assembleUpload([part(60)], { name: 'a', files: [] }, limits).dataset.test.count).toBe(3);
  });

  it('uses t10k/test parts as the test set when there is something else to train on', () => {
    const { dataset, notes } = assembleUpload(
      [part(25, { name: 'train' }), part(5, { name: 't10k', split: 'test', tag: 100 })],
      { name: 'x', files: [] },
    );
    expect([dataset.train.count, dataset.test.count]).toEqual([25, 5]);
    expect(dataset.test.images[0]).toBe(100);
    expect(notes[0]).toMatch(/Test set: t10k/);
  });

  it('drops all labels when a part has none, and says so', () => {
    const { dataset, notes } = assembleUpload(
      [part(20, { name: 'labelled.csv' }), part(10, { name: 'plain.idx', labels: null })],
      { name: 'x', files: [] },
    );
    expect(dataset.classes).toBe(1);
    expect(dataset.name).toBe('x (unlabelled)');
    expect(dataset.train.labels.every((l) => l === 0)).toBe(true);
    expect(notes[0]).toMatch(/plain\.idx has no labels/);
  });

  it('refuses too few and too many images', () => {
    expect(() => assembleUpload([part(19)], { name: 'x', files: [] })).toThrow(
      /only 19 images in all; at least 20/,
    );
    const limits = { ...UPLOAD_LIMITS, maxImages: 40 };
    expect(() => assembleUpload([part(30), part(30)], { name: 'x', files: [] }, limits)).toThrow(
      /60 images in all; the limit is 40/,
    );
  });
});
