/**
 * The `subspaces` answer: exact PCA beside a model whose decoder is affine in z (the linear AE),
 * or the running PCA's own fit.
 *
 *   PCA   μ, U [P, d] of the first SAMPLE training images (fitted once per run and cached)
 *   model x̂ = b + z W   (W [d, P] from model.affineDecoder, z = model.embed(x))
 *   squared error per image on the probe digits: Σ_p (x_p − x̂_p)², x̂ not clipped, for both
 *   principal angles between span(Wᵀ) and span(U) (core/principal-angles), in degrees
 */
import * as tf from '@tensorflow/tfjs-core';
import { principalAngles } from '../../core/principal-angles';
import type { ImageBatch, InspectAnswer } from '../../contracts/inspect';
import { Pca, principalSubspace, type PrincipalSubspace } from '../../models/pca';
import type { Trainer } from '../trainer';

/** Training images the comparison's PCA is fitted on (the AE trains on all of them). */
export const SUBSPACE_SAMPLE = 10_000;

/** Each run's PCA for the comparison, fitted once (the training data do not change). */
const cache = new WeakMap<Trainer, { d: number; fit: PrincipalSubspace; images: number }>();

/** Mean squared error per probe digit of x̂ = b + z W.   z [B, d], W [d, P], b [P] */
async function squaredError(x: tf.Tensor2D, z: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) {
  const t = tf.tidy(() => tf.mean(tf.sum(tf.squaredDifference(x, tf.add(tf.matMul(z, w), b)), 1)));
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
}

/** Directions as images: column j of `m` ([P, d] row-major, or rows when `rows`), 0 → ½. */
function directionImages(
  trainer: Trainer,
  m: ArrayLike<number>,
  d: number,
  rows: boolean,
): ImageBatch {
  const P = trainer.pixels;
  const pixels = new Float32Array(d * P);
  for (let j = 0; j < d; j++) {
    const at = (i: number) => (rows ? m[j * P + i]! : m[i * d + j]!);
    let big = 0;
    for (let i = 0; i < P; i++) big = Math.max(big, Math.abs(at(i)));
    for (let i = 0; i < P; i++) pixels[j * P + i] = big > 0 ? 0.5 + (0.5 * at(i)) / big : 0.5;
  }
  return { count: d, height: trainer.height, width: trainer.width, pixels };
}

async function pcaOf(trainer: Trainer, d: number) {
  const model = trainer.model;
  if (model instanceof Pca) return { fit: await model.subspace(), images: trainer.trainCount };
  const hit = cache.get(trainer);
  if (hit && hit.d === d) return hit;
  const x = trainer.trainingImages(SUBSPACE_SAMPLE);
  try {
    const entry = { d, fit: await principalSubspace(x, d), images: x.shape[0] };
    cache.set(trainer, entry);
    return entry;
  } finally {
    x.dispose();
  }
}

export async function subspaces(
  trainer: Trainer,
): Promise<Extract<InspectAnswer, { kind: 'subspaces' }>> {
  const model = trainer.model;
  const step = trainer.step;
  const affine = model.affineDecoder?.() ?? null;
  if (!affine || !model.latentDim)
    throw new Error('the PCA comparison needs PCA or the linear autoencoder (linear, Gaussian)');
  try {
    const d = model.latentDim;
    const P = trainer.pixels;
    const { fit, images } = await pcaOf(trainer, d);
    const x = trainer.probeX;
    const u = tf.tensor2d(Float32Array.from(fit.basis), [P, d]);
    const mu = tf.tensor1d(fit.mean);
    const ut = tf.transpose(u) as tf.Tensor2D;
    const zPca = tf.tidy(() => tf.matMul(tf.sub(x, mu), u) as tf.Tensor2D);
    const pcaError = await squaredError(x, zPca, ut, mu);
    tf.dispose([u, mu, ut, zPca]);
    const pca = {
      squaredError: pcaError,
      variances: Array.from(fit.variances),
      totalVariance: fit.totalVariance,
      images,
      basis: directionImages(trainer, fit.basis, d, false),
    };
    if (model instanceof Pca) return { kind: 'subspaces', step, latentDim: d, pca, model: null };
    const z = model.embed(x);
    const modelError = await squaredError(x, z, affine.weight, affine.bias);
    z.dispose();
    const w = await affine.weight.data(); // [d, P]
    const wt = new Float64Array(P * d);
    for (let j = 0; j < d; j++) for (let i = 0; i < P; i++) wt[i * d + j] = w[j * P + i]!;
    const angles = principalAngles(wt, fit.basis, P, d, d).map((a) => (a * 180) / Math.PI);
    return {
      kind: 'subspaces',
      step,
      latentDim: d,
      pca,
      model: {
        squaredError: modelError,
        anglesDeg: angles,
        columns: directionImages(trainer, w, d, true),
      },
    };
  } finally {
    tf.dispose([affine.weight, affine.bias]);
  }
}
