/**
 * Evaluation of a model on a whole split (e.g. the 10,000 MNIST test digits), in chunks so
 * the device never holds more than `chunk` images of activations. Plain numbers out.
 * `labels` (int32 [N]) are the images' labels, which a conditional model needs (others ignore them).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent-model';

/** Mean per-image terms (nats per image) over the N×P images in `x` (values in [0, 1]). */
export async function evaluateSplit(
  model: LatentModel,
  x: tf.Tensor2D,
  seed: number,
  chunk = 1000,
  labels?: tf.Tensor1D,
): Promise<Record<string, number>> {
  const n = x.shape[0];
  const sums: Record<string, number> = {};
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const terms = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0], [size, x.shape[1]]) as tf.Tensor2D;
      const yb = labels && (tf.slice(labels, start, size) as tf.Tensor1D);
      const per = model.evaluate(xb, { step: 0, seed: seed + start, labels: yb });
      return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, tf.sum(v)]));
    });
    for (const [k, t] of Object.entries(terms)) {
      sums[k] = (sums[k] ?? 0) + (await t.data())[0]!;
      t.dispose();
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}

/** The model's embeddings (posterior means for a VAE) of `x`, row-major N×L. */
export async function embedSplit(
  model: LatentModel,
  x: tf.Tensor2D,
  labels?: tf.Tensor1D,
): Promise<{ data: Float32Array; dims: number }> {
  const z = model.embed(x, labels);
  const data = (await z.data()) as Float32Array;
  const dims = z.shape[1]!;
  z.dispose();
  return { data, dims };
}

/**
 * Mean squared reconstruction error per image, Σ_p (x_p − x̂_p)² with x̂ the deterministic
 * reconstruction (decoded posterior mean / code), comparable with PCA's reconstruction error.
 */
export async function reconstructionSquaredError(
  model: LatentModel,
  x: tf.Tensor2D,
  chunk = 1000,
  labels?: tf.Tensor1D,
): Promise<number> {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const t = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0], [size, x.shape[1]]) as tf.Tensor2D;
      const yb = labels && (tf.slice(labels, start, size) as tf.Tensor1D);
      return tf.sum(tf.squaredDifference(xb, model.reconstruct(xb, yb)));
    });
    sum += (await t.data())[0]!;
    t.dispose();
  }
  return sum / n;
}
