/**
 * The worker's check of a dataset sent by the page (an upload or a download), before it replaces
 * the current one: typed arrays of the right lengths, 28×28 images, labels below `classes`, and
 * a non-empty training and test split. Throws a message saying what is wrong. Pure.
 */
import type { ImageDataset, ImageSplit } from './image-dataset';
import { UPLOAD_LIMITS } from './upload-limits';

function checkSplit(s: unknown, which: string, pixels: number, classes: number): ImageSplit {
  const split = s as Partial<ImageSplit> | null;
  if (!split || typeof split !== 'object') throw new Error(`the ${which} split is missing`);
  const { count, images, labels } = split;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new Error(`the ${which} split has no images`);
  }
  if (!(images instanceof Uint8Array) || images.length !== count * pixels) {
    throw new Error(`the ${which} images are not ${count} × ${pixels} grey levels`);
  }
  if (!(labels instanceof Uint8Array) || labels.length !== count) {
    throw new Error(`the ${which} split needs ${count} labels`);
  }
  const bad = labels.findIndex((l) => l >= classes);
  if (bad >= 0) {
    throw new Error(`${which} label ${labels[bad]} at index ${bad} is not below ${classes}`);
  }
  return { count, images, labels };
}

export function checkImageDataset(raw: unknown): ImageDataset {
  const d = raw as Partial<ImageDataset> | null;
  if (!d || typeof d !== 'object') throw new Error('no dataset was sent');
  for (const key of ['id', 'name', 'source', 'license'] as const) {
    if (typeof d[key] !== 'string') throw new Error(`the dataset has no ${key}`);
  }
  const side = UPLOAD_LIMITS.side;
  if (d.height !== side || d.width !== side) {
    throw new Error(
      `the images are ${String(d.height)}×${String(d.width)}; the models take ${side}×${side}`,
    );
  }
  const classes = d.classes;
  if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 1 || classes > 256) {
    throw new Error(`the dataset's class count ${String(classes)} is not 1 to 256`);
  }
  const pixels = side * side;
  const train = checkSplit(d.train, 'training', pixels, classes);
  const test = checkSplit(d.test, 'test', pixels, classes);
  if (train.count + test.count > UPLOAD_LIMITS.maxImages + UPLOAD_LIMITS.maxTestImages) {
    throw new Error('the dataset is larger than the lab takes');
  }
  const names = d.classNames;
  const named =
    Array.isArray(names) &&
    names.length === classes &&
    names.every((n) => typeof n === 'string' && n.length <= 100);
  return { ...(d as ImageDataset), train, test, classNames: named ? names.slice() : undefined };
}
