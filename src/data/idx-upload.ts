/**
 * Uploaded IDX files → image parts. Images are rank 3 (N×28×28) or rank 2 (N×784); labels are
 * rank 1 (N). Images and labels pair by name: the name with "images"/"imgs" or
 * "labels"/"lbls" taken out, and "idx3"/"idx1" made equal, must match, so
 * train-images-idx3-ubyte.gz pairs with train-labels-idx1-ubyte.gz and kmnist-test-imgs with
 * kmnist-test-labels. A pair whose name says t10k or test is a test part.
 *
 * Pure: no DOM. Problems come back as messages naming the file; the good files still count.
 */
import type { IdxArray } from './idx';
import type { ImageSplit } from './image-dataset';
import type { DigitPart } from './upload-dataset';
import { UPLOAD_LIMITS } from './upload-limits';

export interface NamedIdx {
  name: string;
  idx: IdxArray;
}

/** The name both files of a pair share: "train-images-idx3-ubyte.gz" → "train-*-idx-ubyte". */
export function pairKey(name: string): string {
  const base = name.split('/').pop() ?? name;
  return base
    .toLowerCase()
    .replace(/\.gz$/, '')
    .replace(/\.(idx\d?|ubyte)$/, '')
    .replace(/images|imgs|labels|lbls/g, '*')
    .replace(/idx[13]/g, 'idx');
}

/** True when the pair's name marks it as a test set (MNIST's t10k files, "…-test-…"). */
export function isTestName(name: string): boolean {
  return /t10k|(^|[^a-z])test([^a-z]|$)/i.test(name.split('/').pop() ?? name);
}

type Kind = { kind: 'images'; count: number } | { kind: 'labels'; count: number };

function kindOf({ name, idx }: NamedIdx, side: number): Kind {
  const d = idx.dims;
  if (d.length === 1) return { kind: 'labels', count: d[0]! };
  if (d.length === 3 && d[1] === side && d[2] === side) return { kind: 'images', count: d[0]! };
  if (d.length === 2 && d[1] === side * side) return { kind: 'images', count: d[0]! };
  if (d.length === 3) {
    throw new Error(
      `${name}: images are ${d[1]}×${d[2]}; the models here take ${side}×${side} (upload PNG/JPG files to have them resized)`,
    );
  }
  throw new Error(
    `${name}: an IDX array of shape ${d.join('×')} is neither images (N×${side}×${side}) nor labels (N)`,
  );
}

/** Pairs images with labels; images without labels make an unlabelled part. */
export function pairIdxFiles(
  files: readonly NamedIdx[],
  side: number = UPLOAD_LIMITS.side,
): { parts: DigitPart[]; errors: string[] } {
  const errors: string[] = [];
  const groups = new Map<string, { images: NamedIdx[]; labels: NamedIdx[] }>();
  for (const f of files) {
    let kind: Kind;
    try {
      kind = kindOf(f, side);
    } catch (err) {
      errors.push((err as Error).message);
      continue;
    }
    const key = pairKey(f.name);
    const g = groups.get(key) ?? { images: [], labels: [] };
    g[kind.kind].push(f);
    groups.set(key, g);
  }
  const parts: DigitPart[] = [];
  for (const g of groups.values()) {
    if (g.images.length > 1 || g.labels.length > 1) {
      const names = [...g.images, ...g.labels].map((f) => f.name).join(', ');
      errors.push(`${names}: these files have the same name pattern, so they cannot be paired`);
      continue;
    }
    const images = g.images[0];
    const labels = g.labels[0];
    if (!images) {
      errors.push(
        `${labels!.name}: labels with no images file to pair with (name them like train-images-… and train-labels-…)`,
      );
      continue;
    }
    const count = images.idx.dims[0]!;
    if (labels && labels.idx.dims[0] !== count) {
      errors.push(
        `${images.name} has ${count.toLocaleString('en')} images but ${labels.name} has ${labels.idx.dims[0]!.toLocaleString('en')} labels`,
      );
      continue;
    }
    parts.push({
      name: labels ? `${images.name} + ${labels.name}` : images.name,
      count,
      images: images.idx.data,
      labels: labels ? labels.idx.data : null,
      split: isTestName(images.name) ? 'test' : 'any',
    });
  }
  return { parts, errors };
}

/** One split from an images file and a labels file that must agree (downloads use this). */
export function splitFromIdx(
  images: NamedIdx,
  labels: NamedIdx,
  side: number = UPLOAD_LIMITS.side,
  classes = 10,
): ImageSplit {
  const shape = (f: NamedIdx) => f.idx.dims.join('×');
  const ki = kindOf(images, side);
  if (ki.kind !== 'images') {
    throw new Error(
      `${images.name}: expected images (N×${side}×${side}), got shape ${shape(images)}`,
    );
  }
  const kl = kindOf(labels, side);
  if (kl.kind !== 'labels') {
    throw new Error(`${labels.name}: expected labels (N), got shape ${shape(labels)}`);
  }
  if (kl.count !== ki.count) {
    throw new Error(
      `${images.name} has ${ki.count.toLocaleString('en')} images but ${labels.name} has ${kl.count.toLocaleString('en')} labels`,
    );
  }
  const bad = labels.idx.data.findIndex((l) => l >= classes);
  if (bad >= 0) {
    throw new Error(
      `${labels.name}: label ${labels.idx.data[bad]} at index ${bad} is not below ${classes}`,
    );
  }
  return { count: ki.count, images: images.idx.data, labels: labels.idx.data };
}
