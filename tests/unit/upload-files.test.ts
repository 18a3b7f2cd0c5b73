import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/data/idx';
import { readUploadFiles, uploadName, type UploadFile } from '../../src/data/upload-files';
import { UPLOAD_LIMITS } from '../../src/data/upload-limits';

const P = 784;
const file = (path: string, bytes: Uint8Array): UploadFile => ({
  path,
  size: bytes.length,
  read: () => Promise.resolve(bytes),
});
const idxImages = (n: number) =>
  encodeIdx(
    [n, 28, 28],
    Uint8Array.from({ length: n * P }, (_, i) => i % 251),
  );
const idxLabels = (n: number) =>
  encodeIdx(
    [n],
    Uint8Array.from({ length: n }, (_, i) => i % 10),
  );
const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const csv = (n: number) =>
  new TextEncoder().encode(
    Array.from({ length: n }, (_, i) => [i % 10, ...new Array(P).fill(i % 256)].join(',')).join(
      '\n',
    ),
  );

/** A stand-in "PNG": the magic number, then one byte that becomes every pixel. */
const fakePng = (v: number) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, v]);
const fakeDecode = (bytes: Uint8Array, path: string) => {
  if (bytes[0] !== 0x89 || bytes.length !== 9) {
    return Promise.reject(
      new Error(`${path}: not an image (it could not be decoded as PNG or JPG)`),
    );
  }
  return Promise.resolve(new Uint8Array(P).fill(bytes[8]!));
};
const read = (files: UploadFile[], limits = UPLOAD_LIMITS) =>
  readUploadFiles(files, fakeDecode, () => {}, limits);

describe('readUploadFiles: IDX', () => {
  it('pairs gzip and raw IDX files and uses the t10k pair as the test set', async () => {
    const r = await read([
      file('train-images-idx3-ubyte.gz', gz(idxImages(30))),
      file('train-labels-idx1-ubyte', idxLabels(30)),
      file('t10k-images-idx3-ubyte.gz', gz(idxImages(6))),
      file('t10k-labels-idx1-ubyte.gz', gz(idxLabels(6))),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.dataset).toMatchObject({ id: 'upload', classes: 10 });
    expect([r.dataset!.train.count, r.dataset!.test.count]).toEqual([30, 6]);
    expect(r.notes.join(' ')).toMatch(/Test set: t10k-images-idx3-ubyte\.gz/);
  });

  const broken: [string, UploadFile, RegExp][] = [
    [
      'a truncated IDX',
      file('cut-images-idx3-ubyte', idxImages(2).subarray(0, 500)),
      /cut-images-idx3-ubyte: truncated/,
    ],
    [
      'a wrong magic number',
      file('odd-images-idx3-ubyte', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 1, 0])),
      /odd-images-idx3-ubyte: not an IDX file \(magic number/,
    ],
    [
      'a corrupt .gz',
      file('x-images-idx3-ubyte.gz', gz(idxImages(2)).subarray(0, 40)),
      /x-images-idx3-ubyte\.gz: corrupt gzip data/,
    ],
    [
      'gzip data that is not IDX',
      file('notes.gz', gz(new TextEncoder().encode('hello'))),
      /notes\.gz: gzip data that is not an IDX file/,
    ],
    [
      'a 32×32 IDX',
      file('big-images-idx3-ubyte', encodeIdx([1, 32, 32], new Uint8Array(1024))),
      /big-images-idx3-ubyte: images are 32×32/,
    ],
  ];
  for (const [what, bad, message] of broken) {
    it(`names the file with ${what}, and still uses the good files`, async () => {
      const r = await read([file('mine.csv', csv(24)), bad]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(message);
      expect(r.dataset!.train.count + r.dataset!.test.count).toBe(24);
    });
  }

  it('gives no dataset (only the message) when the one file is corrupt', async () => {
    const r = await read([file('corrupt-images-idx3-ubyte', idxImages(2).subarray(0, 100))]);
    expect(r.dataset).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^corrupt-images-idx3-ubyte: truncated/);
  });

  it('reports a count mismatch between images and labels', async () => {
    const r = await read([
      file('train-images-idx3-ubyte', idxImages(30)),
      file('train-labels-idx1-ubyte', idxLabels(29)),
    ]);
    expect(r.dataset).toBeNull();
    expect(r.errors[0]).toBe(
      'train-images-idx3-ubyte has 30 images but train-labels-idx1-ubyte has 29 labels',
    );
  });
});

describe('readUploadFiles: CSV', () => {
  it('reads a CSV and holds out a test part', async () => {
    const r = await read([file('digits.csv', csv(60))]);
    expect(r.errors).toEqual([]);
    expect(r.dataset).toMatchObject({ name: 'digits.csv', classes: 10 });
    expect([r.dataset!.train.count, r.dataset!.test.count]).toEqual([50, 10]);
  });

  it('names the file and line of a short row', async () => {
    const bad = new TextEncoder().encode(`1,${new Array(782).fill(0).join(',')}\n`);
    const r = await read([file('bad.csv', bad)]);
    expect(r.errors).toEqual([
      'bad.csv: line 1 has 783 values; expected 785 (a label, then 784 pixels p0..p783)',
    ]);
  });
});

describe('readUploadFiles: images and zips', () => {
  it('reads a zip of images, labels from digit folders', async () => {
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 24; i++) entries[`set/${i % 3}/img${i}.png`] = fakePng(i);
    entries['set/readme.txt'] = new TextEncoder().encode('hello');
    const r = await read([file('digits.zip', zipSync(entries))]);
    expect(r.errors).toEqual([]);
    const d = r.dataset!;
    expect(d.train.count + d.test.count).toBe(24);
    expect(d.classes).toBe(3);
    // Each image keeps its folder's label: image i is filled with i and lies in folder i % 3.
    for (const s of [d.train, d.test]) {
      for (let k = 0; k < s.count; k++) expect(s.images[k * P]! % 3).toBe(s.labels[k]);
    }
  });

  it('reads a folder of images (paths from the folder input) without digit folders', async () => {
    const files = Array.from({ length: 20 }, (_, i) => file(`scans/img${i}.png`, fakePng(i)));
    const r = await read(files);
    expect(r.dataset!.name).toBe('scans (unlabelled)');
    expect(r.dataset!.classes).toBe(1);
  });

  it('names an image that cannot be decoded and keeps the rest', async () => {
    const files = Array.from({ length: 20 }, (_, i) => file(`d/1/img${i}.png`, fakePng(i)));
    files.push(file('d/1/broken.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1])));
    const r = await read(files);
    expect(r.errors).toEqual([
      'd/1/broken.png: not an image (it could not be decoded as PNG or JPG)',
    ]);
    expect(r.dataset!.train.count + r.dataset!.test.count).toBe(20);
  });

  it('says when a zip holds no images', async () => {
    const zip = zipSync({ 'a.txt': new TextEncoder().encode('x'), 'b.pdf': new Uint8Array(4) });
    const r = await read([file('docs.zip', zip)]);
    expect(r.dataset).toBeNull();
    expect(r.errors).toEqual([
      'docs.zip: the zip holds no PNG/JPG images, IDX or CSV files (2 other files)',
    ]);
  });

  it('refuses a zip inside a zip and a file it does not know', async () => {
    const inner = zipSync({ 'x.png': fakePng(1) });
    const r = await read([
      file('outer.zip', zipSync({ 'inner.zip': inner })),
      file('notes.txt', new TextEncoder().encode('hi')),
    ]);
    expect(r.errors).toEqual([
      'outer.zip/inner.zip: a zip inside a zip is not read',
      'notes.txt: not a file this lab reads (expected IDX or IDX.gz, CSV, ZIP, PNG or JPG)',
    ]);
  });
});

describe('readUploadFiles: limits', () => {
  const small = { ...UPLOAD_LIMITS, maxFileBytes: 1000, maxTotalBytes: 5000, maxImages: 30 };

  it('refuses a file over the per-file limit, naming it', async () => {
    const r = await read([file('big.csv', new Uint8Array(2000)), file('ok.csv', csv(1))], small);
    expect(r.errors[0]).toMatch(/^big\.csv: 0\.0 MB, over the 0\.0 MB limit per file/);
  });

  it('refuses everything when the total is over the limit', async () => {
    const r = await read(
      [file('a.csv', new Uint8Array(3000)), file('b.csv', new Uint8Array(3000))],
      small,
    );
    expect(r.dataset).toBeNull();
    expect(r.errors).toEqual([
      expect.stringMatching(/The chosen files are .* in all; the limit is/),
    ]);
  });

  it('refuses more images than the limit', async () => {
    const files = Array.from({ length: 31 }, (_, i) => file(`i${i}.png`, fakePng(i)));
    const r = await read(files, small);
    expect(r.dataset).toBeNull();
    expect(r.errors[0]).toMatch(/31 images chosen; the limit is 30/);
  });

  it('refuses too few images to split', async () => {
    const r = await read([file('tiny.csv', csv(5))]);
    expect(r.dataset).toBeNull();
    expect(r.errors[0]).toMatch(/Cannot train on this upload: only 5 images/);
  });

  it('says when nothing was chosen', async () => {
    expect((await read([])).errors).toEqual(['No files were chosen.']);
  });
});

describe('uploadName', () => {
  it('names a folder, a file, or the first file and a count', () => {
    expect(uploadName(['scans/a.png', 'scans/3/b.png'])).toBe('scans');
    expect(uploadName(['a.csv'])).toBe('a.csv');
    expect(uploadName(['a.csv', 'b.csv', 'c.zip'])).toBe('a.csv + 2 more');
  });
});
