/**
 * The dataset manifest, datasets/index.json, written by scripts/prepare-data.mjs.
 * Every file is gzip-compressed IDX; sha256 is of the file as served (the .gz bytes).
 */

export interface ManifestFile {
  /** Path relative to the datasets/ folder, e.g. "mnist/train-images-idx3-ubyte.gz". */
  file: string;
  sha256: string;
  /** Size of the compressed file in bytes. */
  bytes: number;
  /** IDX dimensions, e.g. [60000, 28, 28]. */
  dims: number[];
}

export interface ManifestSplit {
  count: number;
  images: ManifestFile;
  labels: ManifestFile;
}

export interface ManifestDataset {
  id: string;
  name: string;
  description: string;
  source: string;
  license: string;
  /** [height, width] of one image. */
  imageShape: [number, number];
  classes: number;
  splits: { train: ManifestSplit; test: ManifestSplit };
}

export interface Manifest {
  version: 1;
  datasets: ManifestDataset[];
}

/** Checks the shape of a parsed index.json; throws a message that names the broken field. */
export function validateManifest(raw: unknown): Manifest {
  const m = raw as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') throw new Error('datasets/index.json: not a JSON object');
  if (m.version !== 1) {
    throw new Error(
      `datasets/index.json: version ${String(m.version)} is not supported (expected 1)`,
    );
  }
  if (!Array.isArray(m.datasets) || m.datasets.length === 0) {
    throw new Error('datasets/index.json: "datasets" must be a non-empty list');
  }
  for (const d of m.datasets) {
    for (const split of ['train', 'test'] as const) {
      const s = d.splits?.[split];
      if (!s || typeof s.count !== 'number' || !s.images?.file || !s.labels?.file) {
        throw new Error(`datasets/index.json: dataset "${d.id}" has no valid "${split}" split`);
      }
    }
  }
  return m as Manifest;
}
