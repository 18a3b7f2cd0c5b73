/**
 * The token prior's generation (models/token-prior.ts): the class token that starts each
 * sequence, and the loop that draws the 49 codes from p(c | y) one position at a time.
 *
 *   class token  K + y, or K + 10 ("any")                                          int32 [B,1]
 *   step t       ℓ = logits of p(c_t | c_<t, y) at position t (layers/transformer-cache)  [n,K]
 *                guided (weight w): ℓ(c | y) + w·(ℓ(c | y) − ℓ(c | any))
 *                c_t ~ softmax(ℓ / temperature) over the top k codes; argmax at temperature 0
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GenerateOptions } from './latent-model';
import type { CausalTransformer } from './layers/transformer';
import { TransformerCache } from './layers/transformer-cache';

/** Class-token slots: one per class (10), then "any". */
export const CLASS_TOKENS = 11;

/** What generation reads of the prior: its transformer, K codes, 49 positions, conditional. */
export interface SamplingPrior {
  transformer: CausalTransformer;
  K: number;
  positions: number;
  conditional: boolean;
}

/**
 * The class tokens: K + y, or K + 10 ("any") where y < 0 or the prior is unconditional. Float
 * arithmetic, then a cast: wasm's Select is float-only (it returns int32 inputs as float bits).
 *   labels [B] → int32 [B,1]
 */
export function classTokens(
  labels: tf.Tensor1D | undefined,
  B: number,
  K: number,
  conditional: boolean,
): tf.Tensor2D {
  return tf.tidy(() => {
    const anyToken = K + CLASS_TOKENS - 1;
    if (!labels || !conditional) return tf.fill([B, 1], anyToken, 'int32') as tf.Tensor2D;
    if (labels.shape[0] !== B) throw new Error(`${labels.shape[0]} labels for ${B} sequences`);
    const y = tf.cast(labels, 'float32');
    const isAny = tf.cast(tf.less(y, 0), 'float32'); //                               [B] 0/1
    // K + y where y ≥ 0;  K + y + (10 − y) = K + 10 where y < 0.
    const tokens = tf.add(tf.add(y, K), tf.mul(isAny, tf.sub(CLASS_TOKENS - 1, y)));
    return tf.reshape(tf.cast(tokens, 'int32'), [B, 1]) as tf.Tensor2D;
  });
}

/**
 * Codes drawn from p(c | y), one position at a time (49 steps of the transformer's key/value
 * cache, each over the one new token, batched over the n sequences), all on the device.
 *   labels int32 [n] (−1 = any) → [n,49]
 */
export function generateCodes(
  prior: SamplingPrior,
  labels: tf.Tensor1D,
  opts: GenerateOptions,
): tf.Tensor2D {
  const { transformer, K, positions, conditional } = prior;
  const n = labels.shape[0];
  const { temperature, topK, seed } = opts;
  // Classifier-free guidance (Ho & Salimans 2022): the same prefixes also after "any", and
  // ℓ = ℓ(c | y) + w·(ℓ(c | y) − ℓ(c | any)), which this prior learnt both halves of.
  const w = conditional ? (opts.guidance ?? 0) : 0;
  const rows = w > 0 ? 2 * n : n;
  let input = tf.tidy(() => {
    const tokens = classTokens(labels, n, K, conditional); //                          [n,1]
    if (w === 0) return tokens;
    const any = tf.fill([n], -1, 'int32') as tf.Tensor1D;
    return tf.concat([tokens, classTokens(any, n, K, conditional)]);
  }); //                                                                           [rows,1]
  const cache = new TransformerCache(transformer, rows);
  const codes: tf.Tensor2D[] = []; //                                          [n,1] each
  try {
    for (let t = 0; t < positions; t++) {
      const code = tf.tidy(() => {
        let last: tf.Tensor2D = cache.step(input); //                  ℓ at position t [rows,K]
        if (w > 0) {
          const given = tf.slice(last, [0, 0], [n, K]); //                             [n,K]
          const any = tf.slice(last, [n, 0], [n, K]);
          last = tf.add(given, tf.mul(tf.sub(given, any), w));
        } //                                                                          [n,K]
        let drawn: tf.Tensor2D;
        if (!(temperature > 0)) drawn = tf.reshape(tf.argMax(last, 1), [n, 1]);
        else {
          last = tf.div(last, temperature);
          if (topK > 0 && topK < K) {
            const kth = tf.slice(tf.topk(last, topK).values, [0, topK - 1], [n, 1]); // [n,1]
            last = tf.where(tf.less(last, kth), tf.fill(last.shape, -1e9), last);
          }
          drawn = tf.multinomial(last, 1, seed * 256 + t + 1) as tf.Tensor2D; //       [n,1]
        }
        return tf.cast(drawn, 'int32');
      }) as tf.Tensor2D;
      codes.push(code);
      // The class tokens, or (guided) both halves' copy of the previous code: ours to free.
      if (t === 0 || w > 0) input.dispose();
      input = w > 0 ? (tf.concat([code, code]) as tf.Tensor2D) : code; //          [rows,1]
    }
    return tf.concat(codes, 1); //                                                    [n,49]
  } finally {
    if (codes.length === 0 || w > 0) input.dispose();
    for (const c of codes) c.dispose();
    cache.dispose();
  }
}
