import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/data/idx';
import { decodeIdxBytes, fetchIdx, sha256Hex } from '../../src/data/fetch-idx';
import { createHash } from 'node:crypto';

const idx = encodeIdx([2, 2, 2], Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
const gz = new Uint8Array(gzipSync(idx));

function fakeFetch(files: Record<string, Uint8Array>) {
  return (url: string) =>
    Promise.resolve(
      files[url]
        ? new Response(files[url] as BodyInit)
        : new Response('missing', { status: 404, statusText: 'Not Found' }),
    );
}

describe('fetchIdx', () => {
  it('decompresses gzip with DecompressionStream and parses', async () => {
    const out = await fetchIdx('/d/x.idx.gz', { fetchFn: fakeFetch({ '/d/x.idx.gz': gz }) });
    expect(out.dims).toEqual([2, 2, 2]);
    expect(Array.from(out.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts raw IDX (a server that already undid Content-Encoding)', async () => {
    const out = await decodeIdxBytes(idx, 'x.gz');
    expect(out.dims).toEqual([2, 2, 2]);
  });

  it('computes the same sha256 as node:crypto and rejects a mismatch', async () => {
    expect(await sha256Hex(gz)).toBe(createHash('sha256').update(gz).digest('hex'));
    const fetchFn = fakeFetch({ '/x.gz': gz });
    await expect(fetchIdx('/x.gz', { fetchFn, sha256: 'ab'.repeat(32) })).rejects.toThrow(
      /x\.gz: checksum mismatch/,
    );
    await expect(fetchIdx('/x.gz', { fetchFn, sha256: await sha256Hex(gz) })).resolves.toBeTruthy();
  });

  it('names the file on corrupt gzip, HTTP errors and network errors', async () => {
    const corrupt = gz.slice(0, gz.length - 12);
    corrupt[20] = corrupt[20]! ^ 0xff;
    await expect(
      fetchIdx('/a/bad.gz', { fetchFn: fakeFetch({ '/a/bad.gz': corrupt }) }),
    ).rejects.toThrow(/^bad\.gz: corrupt gzip data/);
    await expect(fetchIdx('/a/none.gz', { fetchFn: fakeFetch({}) })).rejects.toThrow(
      /none\.gz: HTTP 404.*prepare-data/,
    );
    await expect(
      fetchIdx('/a/net.gz', { fetchFn: () => Promise.reject(new Error('offline')) }),
    ).rejects.toThrow(/net\.gz: could not be fetched \(offline\)/);
  });
});
