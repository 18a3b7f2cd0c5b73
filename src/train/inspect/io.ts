/**
 * Plumbing shared by the inspect answers (src/train/inspect/inspector.ts): checking a question's numbers,
 * turning DigitRefs into a pixel batch, reading images back, and the plane of the latent scatter.
 * Every read-back is `await t.data()` (never dataSync) followed by a dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitPca, type Pca } from '../../core/pca';
import type { DigitRef, ImageBatch } from '../../contracts/inspect';
import type { Trainer } from '../trainer';

/** Largest n of an n×n grid, images per path, plane points, samples per question. */
export const LIMITS = { grid: 32, steps: 64, points: 1024, samples: 256, images: 1024 };

/** An integer in [min, max], or a clear error naming the field. */
export function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max} (got ${value})`);
  return value;
}

export function checkFinite(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new Error(`${name} must be a finite number (got ${value})`);
  return value;
}

/** Probe digit i, checked against the number of probe digits. */
export function checkProbe(trainer: Trainer, i: number): number {
  return checkInt('probe index', i, 0, trainer.probeX.shape[0] - 1);
}

/**
 * The digits as one pixel batch in [0, 1]: probe rows of trainer.probeX, or drawn pixels
 * (clamped to [0, 1]).   → [refs.length, P]
 */
export function digitBatch(trainer: Trainer, refs: readonly DigitRef[]): tf.Tensor2D {
  const P = trainer.pixels;
  for (const ref of refs) {
    if ('probe' in ref) checkProbe(trainer, ref.probe);
    else if (ref.pixels.length !== P)
      throw new Error(`a drawn digit needs ${P} pixels (got ${ref.pixels.length})`);
  }
  return tf.tidy(() => {
    const rows = refs.map((ref) =>
      'probe' in ref
        ? tf.slice(trainer.probeX, [ref.probe, 0], [1, P])
        : tf.tensor2d(
            Float32Array.from(ref.pixels, (v) => Math.min(1, Math.max(0, v || 0))),
            [1, P],
          ),
    );
    return tf.concat(rows, 0) as tf.Tensor2D;
  });
}

/**
 * The digits' labels, which a conditional model encodes with: the probe digits' own labels, or
 * undefined when a drawn digit (of no known label) is among them.   → int32 [refs.length]
 */
export function digitLabels(trainer: Trainer, refs: readonly DigitRef[]): tf.Tensor1D | undefined {
  const probes = refs.flatMap((ref) => ('probe' in ref ? [ref.probe] : []));
  if (probes.length < refs.length) return undefined;
  return tf.tensor1d(
    probes.map((i) => trainer.probeLabels[checkProbe(trainer, i)]!),
    'int32',
  );
}

/**
 * Reads a tensor back (a copy: on the CPU backend data() may return a view of storage shared
 * with other tensors, e.g. a slice of probeX, and the worker transfers these buffers) and
 * disposes it.
 */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** count × P intensities as an ImageBatch. */
export function imageBatch(trainer: Trainer, pixels: Float32Array): ImageBatch {
  const { height, width } = trainer;
  return { count: pixels.length / (height * width), height, width, pixels };
}

/** Reads images [count, P] back (and disposes them) as an ImageBatch. */
export async function readImages(trainer: Trainer, images: tf.Tensor2D): Promise<ImageBatch> {
  return imageBatch(trainer, await readAndDispose(images));
}

/** Rows [a, b) of a count × P image buffer as their own batch (a copy). */
export function sliceImages(trainer: Trainer, batch: ImageBatch, a: number, b: number): ImageBatch {
  const P = trainer.height * trainer.width;
  return imageBatch(trainer, batch.pixels.slice(a * P, b * P));
}

/** Row-major latent points → a float32 tensor [count, L]. */
export function latentTensor(points: ArrayLike<number>, L: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(points), [points.length / L, L]);
}

/** The embeddings (model.embed) of all probe digits, read back.   [n, E] */
export async function probeEmbeddings(
  trainer: Trainer,
): Promise<{ data: Float32Array; n: number; dims: number }> {
  const e = trainer.model.embed(trainer.probeX, trainer.probeY);
  const [n, dims] = e.shape;
  return { data: await readAndDispose(e), n, dims };
}

/**
 * The scatter's plane for embeddings of size E: null when E = 2 (the embedding is the plane),
 * else the PCA fitted at the latest evaluation. Before the first evaluation (or if the stored
 * PCA is for another size) the same PCA is fitted here to the current probe embeddings.
 */
export async function resolvePlane(trainer: Trainer, E: number): Promise<Pca | null> {
  if (E === 2) return null;
  if (trainer.plane && trainer.plane.mean.length === E) return trainer.plane;
  const { data, n, dims } = await probeEmbeddings(trainer);
  return fitPca(data, n, dims, 2);
}
