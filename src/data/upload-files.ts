/**
 * "Your own data": the chosen files → an ImageDataset, or messages saying which file is wrong
 * and how. Reads IDX / IDX.gz (paired by name), CSV (label,p0..p783), PNG/JPG images (labels
 * from a one-digit parent folder) and .zip archives of any of these. The one thing this file
 * cannot do without a page, decoding a PNG/JPG, comes in as `decodeImage`.
 *
 * Good files still count when others are refused; no dataset comes back only when nothing usable
 * is left. Pure apart from the injected decoder.
 */
import { parseDigitCsv } from './csv-digits';
import { isGzip } from './fetch-idx';
import { gunzipBounded } from './gunzip-bounded';
import { parseIdx } from './idx';
import { isTestName, pairIdxFiles, type NamedIdx } from './idx-upload';
import { labelFromPath } from './image-to-digit';
import type { ImageDataset } from './image-dataset';
import { assembleUpload, type DigitPart } from './upload-dataset';
import { formatMegabytes, UPLOAD_LIMITS, type UploadLimits } from './upload-limits';
import { isZip, readZip } from './zip-entries';

export interface UploadFile {
  /** Where the file came from: its name, or its path in a chosen folder ("digits/3/a.png"). */
  path: string;
  size: number;
  read: () => Promise<Uint8Array>;
}

/** PNG/JPG bytes → 28×28 grey levels; throws when the bytes are not an image it can decode. */
export type DecodeImage = (bytes: Uint8Array, path: string) => Promise<Uint8Array>;

export interface UploadResult {
  dataset: ImageDataset | null;
  /** One message per refused file, each naming it. */
  errors: string[];
  /** What was decided (test split, labels dropped …). */
  notes: string[];
}

export type UploadProgress = (fraction: number, label: string) => void;

/** Messages about single undecodable images shown before they are summed up. */
const MAX_IMAGE_ERRORS = 5;

const IMAGE_EXT = /\.(png|jpe?g)$/i;
const IDX_NAME = /(ubyte|\.idx\d?)(\.gz)?$/i;
const CSV_EXT = /\.csv$/i;
const ZIP_EXT = /\.zip$/i;

function looksLikeImage(bytes: Uint8Array): boolean {
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const jpg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return png || jpg;
}

function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08;
}

/** A name for the set: the chosen folder, the one file, or "first + N more". */
export function uploadName(paths: readonly string[]): string {
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0] : null)));
  if (tops.size === 1 && !tops.has(null)) return [...tops][0]!;
  const first = paths[0] ?? 'upload';
  return paths.length === 1 ? first : `${first} + ${paths.length - 1} more`;
}

export async function readUploadFiles(
  files: readonly UploadFile[],
  decodeImage: DecodeImage,
  onProgress: UploadProgress = () => {},
  limits: UploadLimits = UPLOAD_LIMITS,
): Promise<UploadResult> {
  const errors: string[] = [];
  const notes: string[] = [];
  const none = (): UploadResult => ({ dataset: null, errors, notes });
  if (files.length === 0) return { ...none(), errors: ['No files were chosen.'] };
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  if (totalBytes > limits.maxTotalBytes) {
    errors.push(
      `The chosen files are ${formatMegabytes(totalBytes)} in all; the limit is ${formatMegabytes(limits.maxTotalBytes)}.`,
    );
    return none();
  }

  const idxFiles: NamedIdx[] = [];
  const parts: DigitPart[] = [];
  const images: { path: string; bytes: Uint8Array }[] = [];
  const found = () => idxFiles.length + parts.length + images.length;

  /** Sorts one file (or zip entry) into idxFiles / parts / images; throws a message naming it. */
  const take = async (path: string, bytes: Uint8Array, inZip: boolean): Promise<void> => {
    if (isZip(bytes) || ZIP_EXT.test(path)) {
      if (inZip) throw new Error(`${path}: a zip inside a zip is not read`);
      const before = found();
      const zip = readZip(bytes, path, limits);
      errors.push(...zip.errors);
      let ignored = 0;
      let failed = zip.errors.length;
      for (const e of zip.entries) {
        const known = [IMAGE_EXT, IDX_NAME, CSV_EXT, ZIP_EXT].some((re) => re.test(e.path));
        const sniffed = [looksLikeImage, looksLikeIdx, isGzip, isZip].some((is) => is(e.bytes));
        if (!known && !sniffed) {
          ignored++;
          continue;
        }
        try {
          await take(`${path}/${e.path}`, e.bytes, true);
        } catch (err) {
          errors.push((err as Error).message);
          failed++;
        }
      }
      if (found() === before && failed === 0) {
        throw new Error(
          `${path}: the zip holds no PNG/JPG images, IDX or CSV files` +
            (ignored ? ` (${ignored} other file${ignored === 1 ? '' : 's'})` : ''),
        );
      }
      return;
    }
    if (isGzip(bytes)) {
      const raw = await gunzipBounded(bytes, path, limits.maxFileBytes);
      if (!looksLikeIdx(raw) && !IDX_NAME.test(path)) {
        throw new Error(`${path}: gzip data that is not an IDX file`);
      }
      idxFiles.push({ name: path, idx: parseIdx(raw, path) });
      return;
    }
    if (IDX_NAME.test(path) || looksLikeIdx(bytes)) {
      idxFiles.push({ name: path, idx: parseIdx(bytes, path) });
      return;
    }
    if (CSV_EXT.test(path)) {
      const csv = parseDigitCsv(bytes, path, limits.side * limits.side, limits.maxImages);
      parts.push({
        name: path,
        count: csv.count,
        images: csv.images,
        labels: csv.labels,
        split: isTestName(path) ? 'test' : 'any',
      });
      if (csv.scale === '0-1') notes.push(`${path}: read pixel values as intensities 0..1.`);
      return;
    }
    if (IMAGE_EXT.test(path) || looksLikeImage(bytes)) {
      images.push({ path, bytes });
      return;
    }
    throw new Error(
      `${path}: not a file this lab reads (expected IDX or IDX.gz, CSV, ZIP, PNG or JPG)`,
    );
  };

  for (const [i, f] of files.entries()) {
    onProgress(i / files.length / 2, `Reading ${f.path}…`);
    if (f.size > limits.maxFileBytes) {
      errors.push(
        `${f.path}: ${formatMegabytes(f.size)}, over the ${formatMegabytes(limits.maxFileBytes)} limit per file`,
      );
      continue;
    }
    try {
      await take(f.path, await f.read(), false);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }

  const paired = pairIdxFiles(idxFiles, limits.side);
  errors.push(...paired.errors);
  parts.push(...paired.parts);

  if (images.length > limits.maxImages) {
    errors.push(
      `${images.length.toLocaleString('en')} images chosen; the limit is ${limits.maxImages.toLocaleString('en')}`,
    );
  } else if (images.length > 0) {
    parts.push(...(await decodeAll(images, decodeImage, errors, notes, onProgress)));
  }

  if (parts.length === 0) {
    if (errors.length === 0) errors.push('The chosen files hold no images.');
    return none();
  }
  try {
    const assembled = assembleUpload(parts, {
      name: uploadName(files.map((f) => f.path)),
      files: parts.map((p) => p.name),
    });
    notes.push(...assembled.notes);
    return { dataset: assembled.dataset, errors, notes };
  } catch (err) {
    errors.push(`Cannot train on this upload: ${(err as Error).message}.`);
    return none();
  }
}

/** Decodes PNG/JPGs into a training part and (for a "test" folder) a test part. */
async function decodeAll(
  images: readonly { path: string; bytes: Uint8Array }[],
  decodeImage: DecodeImage,
  errors: string[],
  notes: string[],
  onProgress: UploadProgress,
): Promise<DigitPart[]> {
  const pixels = UPLOAD_LIMITS.side * UPLOAD_LIMITS.side;
  const groups: Record<'any' | 'test', { data: Uint8Array[]; labels: (number | null)[] }> = {
    any: { data: [], labels: [] },
    test: { data: [], labels: [] },
  };
  let failed = 0;
  for (const [i, img] of images.entries()) {
    if (i % 50 === 0) onProgress(0.5 + i / images.length / 2, `Decoding ${img.path}…`);
    try {
      const digit = await decodeImage(img.bytes, img.path);
      const folders = img.path.toLowerCase().split('/').slice(0, -1);
      const g = folders.some((f) => f === 'test' || f === 'testing' || f === 't10k')
        ? groups.test
        : groups.any;
      g.data.push(digit);
      g.labels.push(labelFromPath(img.path));
    } catch (err) {
      if (++failed <= MAX_IMAGE_ERRORS) errors.push((err as Error).message);
    }
  }
  if (failed > MAX_IMAGE_ERRORS) {
    errors.push(`… and ${failed - MAX_IMAGE_ERRORS} more images that could not be decoded.`);
  }
  const out: DigitPart[] = [];
  for (const split of ['any', 'test'] as const) {
    const g = groups[split];
    if (g.data.length === 0) continue;
    const data = new Uint8Array(g.data.length * pixels);
    g.data.forEach((d, i) => data.set(d.subarray(0, pixels), i * pixels));
    const labelled = g.labels.every((l) => l !== null);
    const some = g.labels.filter((l) => l !== null).length;
    if (!labelled && some > 0) {
      notes.push(
        `${some} of ${g.labels.length} images are in folders named 0-9; the others are not, so the images are used without labels.`,
      );
    }
    out.push({
      name: `${g.data.length} image${g.data.length === 1 ? '' : 's'}${split === 'test' ? ' in test folders' : ''}`,
      count: g.data.length,
      images: data,
      labels: labelled ? Uint8Array.from(g.labels as number[]) : null,
      split,
    });
  }
  return out;
}
