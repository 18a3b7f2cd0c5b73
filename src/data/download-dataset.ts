/**
 * Downloads one of DOWNLOAD_SOURCES (four gzip IDX files) with a byte-count progress report,
 * checks it (checksums where pinned, shapes, counts, labels), and keeps the files in a cache
 * (IndexedDB on the page) so that the next load does not download again. Nothing is cached
 * before it has passed the checks.
 *
 *   progress = Σ bytes read / Σ Content-Length (the table's sizes where a server sends none)
 *
 * Uses only web-platform APIs (fetch, ReadableStream, DecompressionStream, crypto.subtle).
 */
import {
  DOWNLOAD_SOURCES,
  downloadUrl,
  type DownloadFile,
  type DownloadId,
} from './download-sources';
import { isGzip, sha256Hex, type FetchLike } from './fetch-idx';
import { gunzipBounded } from './gunzip-bounded';
import { parseIdx } from './idx';
import { splitFromIdx } from './idx-upload';
import type { ImageDataset } from './image-dataset';
import { formatMegabytes, UPLOAD_LIMITS } from './upload-limits';

/** Bytes by key (the file's URL). Implementations swallow their own storage errors. */
export interface ByteCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface DownloadOptions {
  /** The ?datasetBase= mirror, or null for the sources' own hosts. */
  base?: string | null;
  fetchFn?: FetchLike;
  cache?: ByteCache | null;
  /** Bytes read so far of `total`, after every chunk. */
  onProgress?: (loaded: number, total: number) => void;
  /** navigator.onLine on the page. */
  isOnline?: () => boolean;
  /** location.protocol of the page ("https:" forbids plain-http hosts other than loopback). */
  pageProtocol?: string;
}

export interface Downloaded {
  dataset: ImageDataset;
  /** True when every file came from the cache (no request was made). */
  fromCache: boolean;
}

export class OfflineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfflineError';
  }
}

/** True when an https page may not fetch `url`: plain http to a host that is not loopback. */
export function isMixedContent(pageProtocol: string | undefined, url: string): boolean {
  if (pageProtocol !== 'https:') return false;
  const u = new URL(url);
  return u.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Reads a response body chunk by chunk, calling `onChunk(n)` with each chunk's length. */
async function readBody(res: Response, onChunk: (n: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onChunk(bytes.length);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > UPLOAD_LIMITS.maxFileBytes) {
      void reader.cancel();
      throw new Error(
        `more than ${formatMegabytes(UPLOAD_LIMITS.maxFileBytes)}; not a dataset file`,
      );
    }
    onChunk(value.length);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Gzip or raw IDX bytes → checked IDX (a server may have undone the gzip already). */
async function decodeFile(bytes: Uint8Array, f: DownloadFile) {
  const raw = isGzip(bytes)
    ? await gunzipBounded(bytes, f.file, UPLOAD_LIMITS.maxFileBytes)
    : bytes;
  if (f.rawSha256) {
    const actual = await sha256Hex(raw);
    if (actual !== f.rawSha256) {
      throw new Error(
        `${f.file}: checksum mismatch (sha256 of the content ${actual.slice(0, 12)}…, expected ${f.rawSha256.slice(0, 12)}…); the file is corrupt or not the published one`,
      );
    }
  }
  return { name: f.file, idx: parseIdx(raw, f.file) };
}

export async function downloadDataset(
  id: DownloadId,
  options: DownloadOptions = {},
): Promise<Downloaded> {
  const source = DOWNLOAD_SOURCES[id];
  const fetchFn = options.fetchFn ?? ((u: string) => fetch(u));
  const cache = options.cache ?? null;
  const { train, test } = source.files;
  const files = [train.images, train.labels, test.images, test.labels];
  const urls = files.map((f) => downloadUrl(source, f.file, options.base ?? null));
  const host = hostOf(urls[0]!);

  const bytes: (Uint8Array | null)[] = await Promise.all(
    urls.map((u) => (cache ? cache.get(u).catch(() => null) : Promise.resolve(null))),
  );
  const fromCache = bytes.map((b) => b !== null);
  const missing = bytes.flatMap((b, i) => (b === null ? [i] : []));
  const approx = missing.reduce((a, i) => a + files[i]!.approxBytes, 0);

  if (missing.length > 0 && options.isOnline?.() === false) {
    throw new OfflineError(
      `You are offline, and ${source.name} is not in this browser's cache yet. Connect to the internet and choose it again (about ${formatMegabytes(approx)} is downloaded once, then kept), or upload its four IDX files yourself.`,
    );
  }

  if (missing.length > 0 && isMixedContent(options.pageProtocol, urls[missing[0]!]!)) {
    throw new Error(
      `${source.name} is published at ${host} over plain http, which a page served over https may not fetch. ` +
        `Download its four files from ${source.homepage} and upload them, or open the lab over http.`,
    );
  }

  if (missing.length > 0) {
    let responses: Response[];
    try {
      responses = await Promise.all(missing.map((i) => fetchFn(urls[i]!)));
    } catch (err) {
      const offline = options.isOnline?.() === false;
      throw new OfflineError(
        offline
          ? `You went offline while downloading ${source.name}. Connect and choose it again.`
          : `Could not download ${source.name}: ${host} could not be reached (${(err as Error).message}). ` +
              `Check the internet connection. Some hosts also refuse downloads from other web sites (CORS), ` +
              `and this page fetches only from the datasets' own hosts or a mirror on this computer; ` +
              `if so, download the four files from ${source.homepage} and upload them.`,
      );
    }
    responses.forEach((res, k) => {
      if (!res.ok) {
        throw new Error(
          `Could not download ${source.name}: ${files[missing[k]!]!.file} answered HTTP ${res.status} ${res.statusText} from ${host}.`,
        );
      }
    });
    const totals = responses.map((res, k) => {
      const length = Number(res.headers.get('content-length'));
      const plain = !res.headers.get('content-encoding');
      return plain && length > 0 ? length : files[missing[k]!]!.approxBytes;
    });
    let total = totals.reduce((a, b) => a + b, 0);
    let loaded = 0;
    options.onProgress?.(0, total);
    try {
      const bodies = await Promise.all(
        responses.map((res) =>
          readBody(res, (n) => {
            loaded += n;
            if (loaded > total) total = loaded;
            options.onProgress?.(loaded, total);
          }),
        ),
      );
      bodies.forEach((b, k) => (bytes[missing[k]!] = b));
    } catch (err) {
      throw new OfflineError(
        `The download of ${source.name} from ${host} broke off (${(err as Error).message}). Choose it again to retry.`,
      );
    }
  }

  let dataset: ImageDataset;
  try {
    const [trI, trL, teI, teL] = await Promise.all(files.map((f, i) => decodeFile(bytes[i]!, f)));
    dataset = {
      id: source.id,
      name: source.name,
      source: `${source.source}; downloaded from ${host}`,
      license: source.license,
      height: UPLOAD_LIMITS.side,
      width: UPLOAD_LIMITS.side,
      classes: source.classes,
      classNames: source.classNames.slice(),
      train: splitFromIdx(trI!, trL!, UPLOAD_LIMITS.side, source.classes),
      test: splitFromIdx(teI!, teL!, UPLOAD_LIMITS.side, source.classes),
    };
  } catch (err) {
    // A cached copy that fails the checks is dropped, so that the next try downloads afresh.
    if (cache) await Promise.all(urls.map((u, i) => (fromCache[i] ? cache.delete(u) : null)));
    throw new Error(`${source.name} from ${host} is not usable: ${(err as Error).message}.`);
  }
  if (cache) await Promise.all(missing.map((i) => cache.put(urls[i]!, bytes[i]!)));
  return { dataset, fromCache: missing.length === 0 };
}
