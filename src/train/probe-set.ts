/**
 * The fixed probe digits every evaluation looks at: the same test images for every run and every
 * model (chosen with a fixed seed), so plots move because the model learns, not because the
 * sample changed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, permutation } from '../core/rng';
import { binarizeInPlace, EVAL_BINARIZATION_SEED, toFloatPixels } from '../data/pixels';
import type { ImageDataset } from '../data/image-dataset';
import { PROBE_COUNT, RECON_COUNT, type Binarization } from '../contracts/config';

/** Probe digits are chosen with a fixed seed, the same for every run and every model. */
const PROBE_SEED = 20260;

export interface ProbeSet {
  /** The probe digits (scatter, test terms, inspect questions).   [PROBE_COUNT, P] on the device */
  x: tf.Tensor2D;
  /** The first RECON_COUNT of them, for the reconstructions.   [RECON_COUNT, P] on the device */
  reconX: tf.Tensor2D;
  labels: Uint8Array; // [PROBE_COUNT]
  /** The reconstructed digits' grey levels for display.   [RECON_COUNT × P] */
  images: Uint8Array;
}

/** The probe set of `dataset`; a binarising run sees one fixed binarisation of the digits. */
export function probeSet(dataset: ImageDataset, binarize: Binarization): ProbeSet {
  const P = dataset.height * dataset.width;
  const count = Math.min(PROBE_COUNT, dataset.test.count);
  const idx = permutation(dataset.test.count, mulberry32(PROBE_SEED)).subarray(0, count);
  const probe = new Float32Array(count * P);
  const labels = new Uint8Array(count);
  idx.forEach((src, i) => {
    probe.set(toFloatPixels(dataset.test.images, src, 1, P), i * P);
    labels[i] = dataset.test.labels[src]!;
  });
  const reconCount = Math.min(RECON_COUNT, count);
  const images = new Uint8Array(reconCount * P);
  idx.subarray(0, reconCount).forEach((src, i) => {
    images.set(dataset.test.images.subarray(src * P, (src + 1) * P), i * P);
  });
  if (binarize !== 'none') binarizeInPlace(probe, mulberry32(EVAL_BINARIZATION_SEED));
  const x = tf.tensor2d(probe, [count, P]);
  const reconX = tf.tidy(() => tf.slice(x, [0, 0], [reconCount, P]));
  return { x, reconX, labels, images };
}
