/**
 * Loss terms with the noise fixed: ε = 0 for Gaussian posteriors (z = μ), the most likely code
 * (argmax of the logits, τ-free) for Gumbel-softmax models; deterministic models as they are.
 * These are the numbers a PyTorch export reproduces (python3 model.py), in nats per image.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent-model';

/**
 * Dispatches the per-chunk sums of every term over x [N, P] at once (no read-back yet), so a
 * caller can take them together with the weights they came from; `read` turns them into means.
 * `codes` [N, d]: the images' codes, for a model without an encoder (GLO), decoded as given;
 * `labels` int32 [N]: the images' labels, for a conditional model (CVAE).
 */
export function fixedNoiseSums(
  model: LatentModel,
  x: tf.Tensor2D,
  step: number,
  {
    codes,
    labels,
    chunk = 500,
  }: { codes?: tf.Tensor2D; labels?: tf.Tensor1D; chunk?: number } = {},
): { sums: Record<string, tf.Scalar[]>; read: () => Promise<Record<string, number>> } {
  const n = x.shape[0];
  const sums: Record<string, tf.Scalar[]> = {};
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const part = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0], [size, x.shape[1]]) as tf.Tensor2D;
      const zb = codes && (tf.slice(codes, [start, 0], [size, codes.shape[1]]) as tf.Tensor2D);
      const yb = labels && (tf.slice(labels, [start], [size]) as tf.Tensor1D);
      const per = model.evaluate(xb, { step, seed: 0, deterministic: true, codes: zb, labels: yb });
      return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, tf.sum(v) as tf.Scalar]));
    });
    for (const [k, t] of Object.entries(part)) (sums[k] ??= []).push(t);
  }
  const read = async () => {
    const out: Record<string, number> = {};
    try {
      for (const [k, parts] of Object.entries(sums)) {
        const values = await Promise.all(parts.map((t) => t.data()));
        out[k] = values.reduce((a, v) => a + v[0]!, 0) / n;
      }
    } finally {
      tf.dispose(Object.values(sums).flat());
    }
    return out;
  };
  return { sums, read };
}

/** Mean terms over x [N, P] (labels int32 [N] for a conditional model) with the noise fixed. */
export function fixedNoiseTerms(
  model: LatentModel,
  x: tf.Tensor2D,
  step: number,
  labels?: tf.Tensor1D,
): Promise<Record<string, number>> {
  return fixedNoiseSums(model, x, step, { labels }).read();
}
