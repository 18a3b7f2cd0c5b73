/**
 * The codebook view (VQ-VAE, dVAE): the code vectors and the encoder outputs in one PCA plane.
 *
 *   C = model.codebookVectors()                        [K, D]   VQ-VAE e, dVAE E
 *   Z = model.encoderVectors(probe digits 0 … n−1)     [n·positions, D]
 *       VQ-VAE: z_e;  dVAE: Σ_k q(k|x) e_k (expected embedding: no Gumbel noise, no τ)
 *   rows of Z: all when n·positions ≤ CODEBOOK_VIEW_MAX_VECTORS, else a fixed-seed subsample
 *   PCA fitted once to the union [C; Z]  ([K + M, D]); C and Z projected onto PC 1, PC 2
 *   codeOf = model.codes at the same rows (VQ-VAE: nearest e_k; dVAE: argmax_k q(k|x))
 * Every tensor is read back with `await t.data()` and disposed; the PCA runs on plain arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitPca, projectPca } from '../../core/pca';
import { mulberry32, permutation } from '../../core/rng';
import { checkInt } from './io';
import {
  CODEBOOK_VIEW_MAX_VECTORS,
  type InspectAnswer,
  type InspectQuery,
} from '../../contracts/inspect';
import type { Trainer } from '../trainer';

type Answer = Extract<InspectAnswer, { kind: 'codebookView' }>;
type Query = Extract<InspectQuery, { kind: 'codebookView' }>;

/** Seed of the subsample of encoder outputs (fixed, so the view moves only as the model learns). */
const SUBSAMPLE_SEED = 7;

/**
 * Which of n rows to show: all of them when n ≤ max, else `max` rows of a fixed-seed random
 * permutation, in increasing order (a stride could pick the same position of every digit).
 */
export function subsampleRows(n: number, max: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return permutation(n, mulberry32(SUBSAMPLE_SEED)).slice(0, max).sort();
}

/** N × k row-major projections as N × 2 (a missing second component, D = 1, reads 0). */
function toPlane(projected: Float32Array, rows: number, k: number, from: number): Float32Array {
  const out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < Math.min(k, 2); c++) out[i * 2 + c] = projected[(from + i) * k + c]!;
  return out;
}

/** Total variance of N × D row-major points about `mean`: trace of the covariance (÷ N, as fitPca). */
function totalVariance(points: Float32Array, n: number, d: number, mean: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) s += (points[i * d + j]! - mean[j]!) ** 2;
  return s / n;
}

export async function codebookView(trainer: Trainer, q: Query): Promise<Answer> {
  const m = trainer.model;
  if (!m.codebookVectors || !m.encoderVectors || !m.codes || !m.codeLayout)
    throw new Error('the codebook view needs a model with code vectors (VQ-VAE or dVAE)');
  const n = checkInt('number of probes', q.probes, 1, trainer.probeX.shape[0]);
  const { positions, size: K } = m.codeLayout;
  const rows = subsampleRows(n * positions, CODEBOOK_VIEW_MAX_VECTORS);
  const M = rows.length;
  const codebookVectors = m.codebookVectors.bind(m);
  const encoderVectors = m.encoderVectors.bind(m);
  const codes = m.codes.bind(m);

  // Two encoder passes over the n digits (encoderVectors, codes): small next to an evaluation.
  const [c, z, k] = tf.tidy(() => {
    const x = tf.slice(trainer.probeX, [0, 0], [n, trainer.pixels]) as tf.Tensor2D; // [n, P]
    const idx = tf.tensor1d(rows, 'int32'); //                                          [M]
    return [
      codebookVectors(), //                                                          [K, D]
      tf.gather(encoderVectors(x), idx), //                                          [M, D]
      tf.cast(tf.gather(tf.reshape(codes(x).indices, [-1]), idx), 'int32'), //      [M]
    ];
  });
  const D = c.shape[1]!;
  const union = new Float32Array((K + M) * D); // [C; Z]   [K + M, D]
  let codeOf: Int32Array;
  try {
    const [cData, zData, kData] = await Promise.all([c.data(), z.data(), k.data()]); // sync point
    union.set(cData, 0);
    union.set(zData, K * D);
    codeOf = Int32Array.from(kData);
  } finally {
    tf.dispose([c, z, k]);
  }

  const pca = fitPca(union, K + M, D, 2);
  const k2 = pca.components.length;
  const projected = projectPca(pca, union, K + M, D); // [K + M, k2]
  const total = totalVariance(union, K + M, D, pca.mean);
  const fraction = (i: number) => (total > 0 ? (pca.variances[i] ?? 0) / total : 0);
  return {
    kind: 'codebookView',
    codebook: toPlane(projected, K, k2, 0),
    encoder: toPlane(projected, M, k2, K),
    codeOf,
    labels: Int32Array.from(rows, (r) => Math.floor(r / positions)),
    position: Int32Array.from(rows, (r) => r % positions),
    variance: [fraction(0), fraction(1)],
    codebookSize: K,
  };
}
