/**
 * The files inside an uploaded .zip (fflate's unzipSync), within the upload limits. The sizes
 * come from the zip's directory and are checked before anything is inflated; fflate inflates
 * each entry into a buffer of its declared size, so a lying directory cannot overrun the limit.
 * Folders, hidden files and macOS "__MACOSX" metadata are left out. Pure: no DOM.
 */
import { unzipSync } from 'fflate';
import { formatMegabytes, UPLOAD_LIMITS } from './upload-limits';

export interface ZipEntry {
  /** Path inside the zip, "digits/3/a.png"; the folder may carry the label. */
  path: string;
  bytes: Uint8Array;
}

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const; // "PK\3\4"

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

function hidden(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.split('/').some((p) => p.startsWith('.'));
}

export function readZip(
  bytes: Uint8Array,
  name: string,
  limits: { maxFileBytes: number; maxTotalBytes: number } = UPLOAD_LIMITS,
): { entries: ZipEntry[]; errors: string[] } {
  const errors: string[] = [];
  let total = 0;
  let files;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || hidden(f.name)) return false;
        if (f.originalSize > limits.maxFileBytes) {
          errors.push(
            `${name}/${f.name}: ${formatMegabytes(f.originalSize)} unpacked, over the ${formatMegabytes(limits.maxFileBytes)} limit per file`,
          );
          return false;
        }
        total += f.originalSize;
        if (total > limits.maxTotalBytes) {
          throw new RangeError(
            `${name}: unpacks to more than ${formatMegabytes(limits.maxTotalBytes)}, the limit for one upload`,
          );
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof RangeError) throw err;
    throw new Error(`${name}: not a readable zip archive (${(err as Error).message})`);
  }
  const entries = Object.entries(files)
    .map(([path, data]) => ({ path, bytes: data }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, errors };
}
