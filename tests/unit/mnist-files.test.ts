// The real prepared MNIST files (scripts/prepare-data.mjs runs on install) through the same
// loader the worker uses, with fetch served from disk.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageDataset } from '../../src/data/image-dataset';

const root = resolve(__dirname, '../../datasets');
const diskFetch = async (url: string) => {
  try {
    return new Response(await readFile(resolve(root, url.replace(/^datasets:\/\//, ''))));
  } catch {
    return new Response('missing', { status: 404 });
  }
};

describe('prepared MNIST', () => {
  it('loads 60,000 + 10,000 labelled 28×28 digits that match the manifest checksums', async () => {
    const ds = await loadImageDataset('datasets://', 'mnist', diskFetch);
    expect([ds.height, ds.width, ds.classes]).toEqual([28, 28, 10]);
    expect(ds.train.count).toBe(60000);
    expect(ds.test.count).toBe(10000);
    expect(ds.train.images.length).toBe(60000 * 784);
    // Published class counts of the MNIST test set (LeCun et al.): 980 zeros … 1009 nines.
    const counts = new Array(10).fill(0);
    for (const l of ds.test.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('says which dataset is missing', async () => {
    await expect(loadImageDataset('datasets://', 'kmnist', diskFetch)).rejects.toThrow(
      /dataset "kmnist" is not in datasets\/index.json \(it has: mnist\)/,
    );
  });
});
