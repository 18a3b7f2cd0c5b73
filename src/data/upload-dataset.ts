/**
 * Image parts from uploaded files (IDX pairs, CSVs, decoded PNG/JPGs) → one ImageDataset with a
 * training and a test split.
 *
 *   test  = the parts named as test sets (t10k-…, …-test-…) when other parts remain for training;
 *   else    the last n_test of one fixed shuffle of all n images, the rest trains:
 *           n_test = min(maxTestImages, max(1, round(n · testFraction)))      (1/6, ≤ 10,000)
 *
 * Labels are kept only when every part has them (otherwise all are 0 and classes = 1).
 * Pure: no DOM.
 */
import { mulberry32, permutation } from '../core/rng';
import type { ImageDataset, ImageSplit } from './image-dataset';
import { UPLOAD_LIMITS, type UploadLimits } from './upload-limits';

export interface DigitPart {
  /** The file(s) it came from, for messages. */
  name: string;
  count: number;
  /** count × 28 × 28 grey levels 0..255, light ink on dark. */
  images: Uint8Array;
  /** count labels, or null when the files have none. */
  labels: Uint8Array | null;
  /** 'test' when its name marks it as a test set (t10k…), else 'any'. */
  split: 'test' | 'any';
}

export interface AssembledUpload {
  dataset: ImageDataset;
  /** What was decided on the way (held-out split, labels dropped …), for the user. */
  notes: string[];
}

/** Seed of the shuffle before the held-out split, so the same files give the same split. */
export const UPLOAD_SPLIT_SEED = 6;

function gather(parts: readonly DigitPart[], pixels: number, labelled: boolean): ImageSplit {
  const count = parts.reduce((a, p) => a + p.count, 0);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    images.set(p.images.subarray(0, p.count * pixels), at * pixels);
    if (labelled && p.labels) labels.set(p.labels.subarray(0, p.count), at);
    at += p.count;
  }
  return { count, images, labels };
}

/** Rows `idx` of a split, in that order. */
function pick(s: ImageSplit, idx: Int32Array, pixels: number): ImageSplit {
  const images = new Uint8Array(idx.length * pixels);
  const labels = new Uint8Array(idx.length);
  idx.forEach((src, i) => {
    images.set(s.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
    labels[i] = s.labels[src]!;
  });
  return { count: idx.length, images, labels };
}

export function assembleUpload(
  parts: readonly DigitPart[],
  about: { name: string; files: readonly string[] },
  limits: UploadLimits = UPLOAD_LIMITS,
): AssembledUpload {
  const side = limits.side;
  const pixels = side * side;
  const total = parts.reduce((a, p) => a + p.count, 0);
  if (total > limits.maxImages) {
    throw new Error(
      `${total.toLocaleString('en')} images in all; the limit is ${limits.maxImages.toLocaleString('en')}`,
    );
  }
  if (total < limits.minImages) {
    throw new Error(
      `only ${total} image${total === 1 ? '' : 's'} in all; at least ${limits.minImages} are needed for a training and a test set`,
    );
  }
  const notes: string[] = [];
  const labelled = parts.every((p) => p.labels !== null);
  const unlabelled = parts.filter((p) => p.labels === null);
  if (!labelled && unlabelled.length < parts.length) {
    notes.push(
      `${unlabelled.map((p) => p.name).join(', ')} ${unlabelled.length === 1 ? 'has' : 'have'} no labels, so all images are used without labels.`,
    );
  }

  const testParts = parts.filter((p) => p.split === 'test');
  const trainParts = parts.filter((p) => p.split !== 'test');
  let train: ImageSplit;
  let test: ImageSplit;
  if (testParts.length > 0 && trainParts.length > 0) {
    train = gather(trainParts, pixels, labelled);
    test = gather(testParts, pixels, labelled);
    notes.push(`Test set: ${testParts.map((p) => p.name).join(', ')}.`);
  } else {
    const all = gather(parts, pixels, labelled);
    const nTest = Math.min(
      limits.maxTestImages,
      Math.max(1, Math.round(total * limits.testFraction)),
    );
    const order = permutation(total, mulberry32(UPLOAD_SPLIT_SEED));
    train = pick(all, order.subarray(0, total - nTest), pixels);
    test = pick(all, order.subarray(total - nTest), pixels);
    notes.push(
      `Held out ${nTest.toLocaleString('en')} of ${total.toLocaleString('en')} images (shuffled) as the test set.`,
    );
  }

  let classes = 1;
  if (labelled)
    for (const l of [...train.labels, ...test.labels]) classes = Math.max(classes, l + 1);
  const files = about.files.join(', ');
  return {
    dataset: {
      id: 'upload',
      name: labelled ? about.name : `${about.name} (unlabelled)`,
      source: `your upload (${files})`,
      license: 'your own data; it stays in this browser',
      height: side,
      width: side,
      classes,
      train,
      test,
    },
    notes,
  };
}
