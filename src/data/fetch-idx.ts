/**
 * Fetches one IDX file (optionally gzip-compressed), checks its sha256 and parses it.
 * Uses only web-platform APIs (fetch, DecompressionStream, crypto.subtle) that browsers,
 * workers and Node >= 20 all provide.
 */
import { parseIdx, type IdxArray } from './idx';

export type FetchLike = (url: string) => Promise<Response>;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Decompresses gzip bytes with the platform's DecompressionStream. */
export async function gunzip(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new Error(`${name}: corrupt gzip data (${(err as Error).message})`);
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Raw or gzip bytes → IDX array. A server that already undid the gzip (Content-Encoding)
 * hands us raw IDX, so the magic number decides, not the file name.
 */
export async function decodeIdxBytes(bytes: Uint8Array, name: string): Promise<IdxArray> {
  const raw = isGzip(bytes) ? await gunzip(bytes, name) : bytes;
  return parseIdx(raw, name);
}

export interface FetchIdxOptions {
  /** Expected sha256 of the bytes as fetched; checked only for gzip bytes (see decodeIdxBytes). */
  sha256?: string;
  fetchFn?: FetchLike;
}

export async function fetchIdx(url: string, options: FetchIdxOptions = {}): Promise<IdxArray> {
  const fetchFn = options.fetchFn ?? ((u: string) => fetch(u));
  const name = url.split('/').pop() ?? url;
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (err) {
    throw new Error(`${name}: could not be fetched (${(err as Error).message})`);
  }
  if (!response.ok) {
    throw new Error(
      `${name}: HTTP ${response.status} ${response.statusText}. Was the data prepared? Run "npm run prepare-data".`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (options.sha256 && isGzip(bytes)) {
    const actual = await sha256Hex(bytes);
    if (actual !== options.sha256) {
      throw new Error(
        `${name}: checksum mismatch (sha256 ${actual.slice(0, 12)}…, manifest says ${options.sha256.slice(0, 12)}…); the file is corrupt or stale`,
      );
    }
  }
  return decodeIdxBytes(bytes, name);
}
