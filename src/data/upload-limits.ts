/**
 * Limits on "your own data" uploads, so a wrong file (a 4 GB video, a zip bomb) fails with a
 * message instead of freezing the tab. Pure: no imports.
 *
 * Memory at the limits: 70,000 images × 784 B ≈ 55 MB of grey levels on the page, the same
 * again in the worker, and 70,000 × 784 × 4 B ≈ 220 MB of float32 on the device.
 */
export interface UploadLimits {
  maxTotalBytes: number;
  maxFileBytes: number;
  maxImages: number;
  minImages: number;
  testFraction: number;
  maxTestImages: number;
  side: number;
}

export const UPLOAD_LIMITS: Readonly<UploadLimits> = {
  /** Sum of the chosen files' sizes, bytes. */
  maxTotalBytes: 200 * 1024 * 1024,
  /** One file (or one zip entry, or one decompressed .gz), bytes. */
  maxFileBytes: 100 * 1024 * 1024,
  /** Images over all files, train and test together. */
  maxImages: 70_000,
  /** Fewer than this cannot fill a training set and a test set. */
  minImages: 20,
  /** The test part split off when no t10k/test files are given: this fraction … */
  testFraction: 1 / 6,
  /** … but at most this many images. */
  maxTestImages: 10_000,
  /** Side of every image the models take (they are built for 28×28 inputs). */
  side: 28,
};

/** 12345678 → "11.8 MB" (binary megabytes, one decimal). */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
