/**
 * A labelled image dataset held as plain bytes (the worker uploads it to the device once).
 * Loads any manifest entry (MNIST today) and checks that images and labels agree.
 */
import { fetchIdx, type FetchLike } from './fetch-idx';
import { validateManifest, type ManifestDataset, type ManifestSplit } from './manifest';

export interface ImageSplit {
  /** Number of images N. */
  count: number;
  /** N × H × W grey levels 0..255, row-major. */
  images: Uint8Array;
  /** N class labels. */
  labels: Uint8Array;
}

export interface ImageDataset {
  id: string;
  name: string;
  source: string;
  license: string;
  height: number;
  width: number;
  classes: number;
  /** What each label means, when known (Fashion-MNIST's "T-shirt/top" …): `classes` names. */
  classNames?: string[];
  train: ImageSplit;
  test: ImageSplit;
}

async function loadSplit(
  baseUrl: string,
  entry: ManifestDataset,
  split: ManifestSplit,
  fetchFn?: FetchLike,
): Promise<ImageSplit> {
  const [images, labels] = await Promise.all([
    fetchIdx(baseUrl + split.images.file, { sha256: split.images.sha256, fetchFn }),
    fetchIdx(baseUrl + split.labels.file, { sha256: split.labels.sha256, fetchFn }),
  ]);
  const [h, w] = entry.imageShape;
  const [n, ih, iw] = images.dims;
  if (images.dims.length !== 3 || ih !== h || iw !== w) {
    throw new Error(
      `${split.images.file}: expected images of shape N×${h}×${w}, got ${images.dims.join('×')}`,
    );
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== n) {
    throw new Error(
      `${split.labels.file}: expected ${n} labels to match the images, got shape ${labels.dims.join('×')}`,
    );
  }
  const bad = labels.data.findIndex((l) => l >= entry.classes);
  if (bad >= 0) {
    throw new Error(
      `${split.labels.file}: label ${labels.data[bad]} at index ${bad} is not below ${entry.classes}`,
    );
  }
  return { count: n ?? 0, images: images.data, labels: labels.data };
}

/** Loads dataset `id` from `baseUrl` (the URL of the datasets/ folder, ending in "/"). */
export async function loadImageDataset(
  baseUrl: string,
  id: string,
  fetchFn: FetchLike = (u) => fetch(u),
): Promise<ImageDataset> {
  const res = await fetchFn(baseUrl + 'index.json');
  if (!res.ok) {
    throw new Error(
      `datasets/index.json: HTTP ${res.status}. Prepare the data first ("npm run prepare-data").`,
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new Error('datasets/index.json: not valid JSON');
  }
  const manifest = validateManifest(json);
  const entry = manifest.datasets.find((d) => d.id === id);
  if (!entry) {
    const known = manifest.datasets.map((d) => d.id).join(', ');
    throw new Error(`dataset "${id}" is not in datasets/index.json (it has: ${known})`);
  }
  const [train, test] = await Promise.all([
    loadSplit(baseUrl, entry, entry.splits.train, fetchFn),
    loadSplit(baseUrl, entry, entry.splits.test, fetchFn),
  ]);
  return {
    id: entry.id,
    name: entry.name,
    source: entry.source,
    license: entry.license,
    height: entry.imageShape[0],
    width: entry.imageShape[1],
    classes: entry.classes,
    train,
    test,
  };
}
