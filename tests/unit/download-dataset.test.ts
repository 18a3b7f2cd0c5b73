import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { downloadDataset, isMixedContent, type ByteCache } from '../../src/data/download-dataset';
import {
  DOWNLOAD_CONNECT_SOURCES,
  DOWNLOAD_SOURCES,
  downloadUrl,
  parseDatasetBase,
} from '../../src/data/download-sources';
import { encodeIdx } from '../../src/data/idx';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

const P = 784;
const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const images = (n: number) =>
  gz(
    encodeIdx(
      [n, 28, 28],
      Uint8Array.from({ length: n * P }, (_, i) => i % 256),
    ),
  );
const labels = (n: number, top = 10) =>
  gz(
    encodeIdx(
      [n],
      Uint8Array.from({ length: n }, (_, i) => i % top),
    ),
  );
const BASE = 'http://127.0.0.1:9/mirror/';

/** KMNIST-shaped files (KMNIST has no pinned checksums) under the mirror. */
function kmnistFiles(over: Record<string, Uint8Array> = {}): Record<string, Uint8Array> {
  const at = (f: string) => `${BASE}kmnist/${f}`;
  return {
    [at('train-images-idx3-ubyte.gz')]: images(12),
    [at('train-labels-idx1-ubyte.gz')]: labels(12),
    [at('t10k-images-idx3-ubyte.gz')]: images(4),
    [at('t10k-labels-idx1-ubyte.gz')]: labels(4),
    ...over,
  };
}

function server(files: Record<string, Uint8Array>) {
  const requests: string[] = [];
  const fetchFn = (url: string) => {
    requests.push(url);
    const body = files[url];
    return Promise.resolve(
      body
        ? new Response(body as BodyInit, { headers: { 'content-length': String(body.length) } })
        : new Response('missing', { status: 404, statusText: 'Not Found' }),
    );
  };
  return { fetchFn, requests };
}

function memoryCache(): ByteCache & { store: Map<string, Uint8Array> } {
  const store = new Map<string, Uint8Array>();
  return {
    store,
    get: (k) => Promise.resolve(store.get(k) ?? null),
    put: (k, b) => (store.set(k, b.slice()), Promise.resolve()),
    delete: (k) => (store.delete(k), Promise.resolve()),
  };
}

describe('downloadUrl / parseDatasetBase', () => {
  it("lets the CSP allow the sources' hosts and loopback mirrors", () => {
    expect(DOWNLOAD_CONNECT_SOURCES).toEqual([
      'https://raw.githubusercontent.com',
      'http://codh.rois.ac.jp',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
    const connect = /connect-src ([^;]*)/.exec(CONTENT_SECURITY_POLICY)?.[1]?.split(' ');
    expect(connect).toEqual(["'self'", ...DOWNLOAD_CONNECT_SOURCES]);
  });

  it('uses the source host, or base + folder with ?datasetBase=', () => {
    const f = DOWNLOAD_SOURCES['fashion-mnist'];
    expect(downloadUrl(f, 'x.gz', null)).toBe(`${f.defaultBase}x.gz`);
    expect(downloadUrl(f, 'x.gz', BASE)).toBe(`${BASE}fashion-mnist/x.gz`);
  });

  it('reads datasetBase from the query or the hash, adding the final slash', () => {
    expect(parseDatasetBase('?datasetBase=http://h:1/d')).toBe('http://h:1/d/');
    expect(parseDatasetBase('', '#model=vae&datasetBase=https%3A%2F%2Fm%2F')).toBe('https://m/');
    expect(parseDatasetBase('?model=vae')).toBeNull();
    expect(() => parseDatasetBase('?datasetBase=ftp://x/')).toThrow(/only http and https/);
    expect(() => parseDatasetBase('?datasetBase=nope')).toThrow(/not an absolute URL/);
  });
});

describe('downloadDataset', () => {
  it('downloads, reports byte progress, checks and caches; the second load makes no request', async () => {
    const files = kmnistFiles();
    const { fetchFn, requests } = server(files);
    const cache = memoryCache();
    const progress: [number, number][] = [];
    const first = await downloadDataset('kmnist', {
      base: BASE,
      fetchFn,
      cache,
      onProgress: (l, t) => progress.push([l, t]),
    });
    const total = Object.values(files).reduce((a, b) => a + b.length, 0);
    expect(first.fromCache).toBe(false);
    expect(first.dataset).toMatchObject({ id: 'kmnist', classes: 10, license: 'CC BY-SA 4.0' });
    expect([first.dataset.train.count, first.dataset.test.count]).toEqual([12, 4]);
    expect(requests).toHaveLength(4);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress[0]).toEqual([0, total]);
    expect(cache.store.size).toBe(4);

    const second = await downloadDataset('kmnist', { base: BASE, fetchFn, cache });
    expect(second.fromCache).toBe(true);
    expect(requests).toHaveLength(4);
    expect(Array.from(second.dataset.test.labels)).toEqual(Array.from(first.dataset.test.labels));
  });

  it('says so clearly when offline and nothing is cached, without a request', async () => {
    const { fetchFn, requests } = server(kmnistFiles());
    await expect(
      downloadDataset('kmnist', { base: BASE, fetchFn, isOnline: () => false }),
    ).rejects.toThrow(/You are offline, and Kuzushiji-MNIST is not in this browser's cache yet/);
    expect(requests).toEqual([]);
  });

  it('loads from the cache while offline', async () => {
    const cache = memoryCache();
    const { fetchFn } = server(kmnistFiles());
    await downloadDataset('kmnist', { base: BASE, fetchFn, cache });
    const offline = await downloadDataset('kmnist', {
      base: BASE,
      fetchFn: () => Promise.reject(new TypeError('Failed to fetch')),
      cache,
      isOnline: () => false,
    });
    expect(offline.fromCache).toBe(true);
  });

  it('names the host when it cannot be reached (network error or CORS)', async () => {
    await expect(
      downloadDataset('kmnist', {
        base: BASE,
        fetchFn: () => Promise.reject(new TypeError('Failed to fetch')),
      }),
    ).rejects.toThrow(/127\.0\.0\.1:9 could not be reached \(Failed to fetch\).*CORS/);
  });

  it('refuses a plain-http host from an https page, before any request', async () => {
    const { fetchFn, requests } = server(kmnistFiles());
    await expect(downloadDataset('kmnist', { fetchFn, pageProtocol: 'https:' })).rejects.toThrow(
      /Kuzushiji-MNIST is published at codh\.rois\.ac\.jp over plain http, which a page served over https may not fetch/,
    );
    expect(requests).toEqual([]);
    expect(isMixedContent('https:', 'http://127.0.0.1:8/x')).toBe(false);
    expect(isMixedContent('http:', 'http://codh.rois.ac.jp/x')).toBe(false);
    expect(isMixedContent('https:', 'https://raw.githubusercontent.com/x')).toBe(false);
  });

  it('names the file and status of an HTTP error', async () => {
    const files = kmnistFiles();
    delete files[`${BASE}kmnist/t10k-labels-idx1-ubyte.gz`];
    const { fetchFn } = server(files);
    await expect(downloadDataset('kmnist', { base: BASE, fetchFn })).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz answered HTTP 404 Not Found/,
    );
  });

  it('refuses (and does not cache) files that fail the checks', async () => {
    const cache = memoryCache();
    const bad = kmnistFiles({ [`${BASE}kmnist/train-labels-idx1-ubyte.gz`]: labels(11) });
    await expect(
      downloadDataset('kmnist', { base: BASE, fetchFn: server(bad).fetchFn, cache }),
    ).rejects.toThrow(
      /train-images-idx3-ubyte\.gz has 12 images but train-labels-idx1-ubyte\.gz has 11 labels/,
    );
    expect(cache.store.size).toBe(0);
    const truncated = kmnistFiles({
      [`${BASE}kmnist/t10k-images-idx3-ubyte.gz`]: gz(
        encodeIdx([4, 28, 28], new Uint8Array(4 * P)).subarray(0, 900),
      ),
    });
    await expect(
      downloadDataset('kmnist', { base: BASE, fetchFn: server(truncated).fetchFn }),
    ).rejects.toThrow(/t10k-images-idx3-ubyte\.gz: truncated/);
  });

  it('checks the pinned checksum of Fashion-MNIST content', async () => {
    const at = (f: string) => `${BASE}fashion-mnist/${f}`;
    const { fetchFn } = server({
      [at('train-images-idx3-ubyte.gz')]: images(12),
      [at('train-labels-idx1-ubyte.gz')]: labels(12),
      [at('t10k-images-idx3-ubyte.gz')]: images(4),
      [at('t10k-labels-idx1-ubyte.gz')]: labels(4),
    });
    await expect(downloadDataset('fashion-mnist', { base: BASE, fetchFn })).rejects.toThrow(
      /Fashion-MNIST from 127\.0\.0\.1:9 is not usable: .*ubyte\.gz: checksum mismatch/,
    );
  });

  it('drops a cached copy that fails the checks, so the next try downloads afresh', async () => {
    const cache = memoryCache();
    const url = `${BASE}kmnist/train-labels-idx1-ubyte.gz`;
    cache.store.set(url, labels(3));
    await expect(
      downloadDataset('kmnist', { base: BASE, fetchFn: server(kmnistFiles()).fetchFn, cache }),
    ).rejects.toThrow(/12 images but .* has 3 labels/);
    expect(cache.store.has(url)).toBe(false);
  });
});
