/**
 * gunzip with a ceiling on the output, so a small .gz that inflates to gigabytes (a "gzip
 * bomb") is stopped after `maxBytes` instead of exhausting memory. Uses the platform's
 * DecompressionStream (browsers, workers, Node ≥ 18).
 */
import { formatMegabytes } from './upload-limits';

export async function gunzipBounded(
  bytes: Uint8Array,
  name: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        void reader.cancel();
        throw new RangeError(
          `${name}: decompresses to more than ${formatMegabytes(maxBytes)}, the limit per file`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RangeError) throw err;
    throw new Error(`${name}: corrupt gzip data (${(err as Error).message})`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
