import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipBounded } from '../../src/data/gunzip-bounded';

describe('gunzipBounded', () => {
  it('inflates within the limit', async () => {
    const raw = Uint8Array.from({ length: 5000 }, (_, i) => i % 7);
    const out = await gunzipBounded(new Uint8Array(gzipSync(raw)), 'x.gz', 5000);
    expect(Array.from(out)).toEqual(Array.from(raw));
  });

  it('stops a file that inflates past the limit (a gzip bomb)', async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(4 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(10_000);
    await expect(gunzipBounded(bomb, 'bomb.gz', 1024 * 1024)).rejects.toThrow(
      /bomb\.gz: decompresses to more than 1\.0 MB/,
    );
  });

  it('names the file when the data is corrupt', async () => {
    const gz = new Uint8Array(gzipSync(new Uint8Array(1000).fill(3)));
    await expect(gunzipBounded(gz.subarray(0, 20), 'cut.gz', 1e6)).rejects.toThrow(
      /cut\.gz: corrupt gzip data/,
    );
  });
});
