/**
 * The test evaluation on the fixed probe digits, for any model of the zoo: each term's mean
 * over the probes (per image, as the model defines it), their latent points (2-D as they are,
 * else projected on their own PCA plane), 16 reconstructions, and the diagnostics: per-dimension
 * KL and active units (Burda et al. 2015) for a VAE, code usage and perplexity for coded models.
 * Read back asynchronously, all in one wait; nothing is left on the device.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activeUnits } from '../core/active-units';
import { codeUsage, perplexity } from '../core/codebook-stats';
import { fitPca, projectPca, type Pca } from '../core/pca';
import type { Diagnostics, EvalResult } from '../contracts/metrics';
import type { LatentModel } from '../models/latent-model';

export interface ProbeInputs {
  x: tf.Tensor2D; // [n, P] the probe digits
  labels: tf.Tensor1D; // [n] int32
  reconX: tf.Tensor2D; // [R, P] the digits shown reconstructed
  reconLabels: tf.Tensor1D; // [R] int32
  /** The model's terms, in the order the trainer stacks them. */
  termKeys: string[];
  step: number;
  epoch: number;
  /** The evaluation's fixed noise seed (the same at every evaluation). */
  seed: number;
}

/** Per-dimension KL (VAE) or code usage (VQ-VAE, dVAE, …) on the probe digits. */
async function diagnose(
  model: LatentModel,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
): Promise<Diagnostics> {
  const out: Diagnostics = {};
  if (model.klPerDimension) {
    const kl = model.klPerDimension(x, labels);
    out.klPerDimension = Array.from(await kl.data());
    kl.dispose();
  }
  if (model.codes) {
    const { indices, size } = model.codes(x);
    const counts = codeUsage(await indices.data(), size);
    indices.dispose();
    out.codeUsage = Array.from(counts);
    out.perplexity = perplexity(counts);
    out.codesUsed = counts.filter((c) => c > 0).length;
    out.deadCodes = size - out.codesUsed;
  }
  return out;
}

/** The evaluation, and the scatter's PCA plane (null when the embedding is already 2-D). */
export async function evaluateOnProbes(
  model: LatentModel,
  p: ProbeInputs,
): Promise<{ result: EvalResult; plane: Pca | null }> {
  const perImage = model.evaluate(p.x, { step: p.step, seed: p.seed, labels: p.labels });
  const embedded = model.embed(p.x, p.labels); // [n, L]
  const decoded = model.reconstruct(p.reconX, p.reconLabels); // [R, P]
  const diagnostics = diagnose(model, p.x, p.labels);
  const [m, img, ...termValues] = await Promise.all([
    embedded.data(),
    decoded.data(),
    ...p.termKeys.map((k) => perImage[k]!.data()),
  ]);
  tf.dispose([embedded, decoded, ...Object.values(perImage)]);
  const test: Record<string, number> = {};
  p.termKeys.forEach((k, j) => {
    const v = termValues[j]!;
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i]!;
    test[k] = sum / v.length;
  });
  const n = p.x.shape[0];
  const L = m.length / n;
  const diag = await diagnostics;
  // For a VAE the embeddings are the posterior means: active units (Burda et al. 2015).
  if (diag.klPerDimension) diag.activeUnits = activeUnits(m, n, L);
  const plane = L === 2 ? null : fitPca(m, n, L, 2);
  return {
    plane,
    result: {
      diagnostics: diag,
      step: p.step,
      epoch: p.epoch,
      test,
      latent: plane ? projectPca(plane, m, n, L) : Float32Array.from(m),
      latentKind: L === 2 ? 'latent' : 'pca',
      reconstructions: img as Float32Array,
    },
  };
}
