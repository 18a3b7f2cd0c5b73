/**
 * The token prior's code table (models/token-prior.ts): the whole training set encoded once by
 * the frozen tokenizer, how often each code occurs, and the unigram baseline from those counts.
 *
 *   train [N,P] → codes int32 [N,49],  counts n_k = #{(i, t) : c_it = k}   [K]
 *   log f_k = log((n_k + 1)/(Σn + K)),  unigram = −Σ_t log f(c_t) per image
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from '../ops/one-hot';
import type { LatentModel } from './latent-model';

/** Training images the tokenizer encodes at once. */
const PREPARE_CHUNK = 500;

/**
 * Encodes `train` with the tokenizer on the device, 500 rows at a time (awaiting between chunks),
 * assigns the codes' counts to `counts` [K], and returns the code table int32 [N,49] (the caller's).
 */
export async function encodeCodeTable(
  tokenizer: LatentModel,
  train: tf.Tensor2D,
  into: tf.Variable<tf.Rank.R1>,
): Promise<tf.Tensor2D> {
  const [N, P] = train.shape;
  const K = into.shape[0];
  const codes: tf.Tensor2D[] = [];
  let counts = tf.zeros([K]) as tf.Tensor1D;
  try {
    for (let start = 0; start < N; start += PREPARE_CHUNK) {
      const n = Math.min(PREPARE_CHUNK, N - start);
      tf.tidy(() => {
        const x = tf.slice(train, [start, 0], [n, P]) as tf.Tensor2D;
        const c = tokenizer.codes!(x).indices; //                                      [n,49]
        const used = tf.sum(oneHotFloat(tf.reshape(c, [-1]), K), 0); //                  [K]
        const next = tf.add(counts, used) as tf.Tensor1D;
        counts.dispose();
        counts = tf.keep(next);
        codes.push(tf.keep(tf.cast(c, 'int32')));
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    into.assign(counts);
    return tf.concat(codes) as tf.Tensor2D;
  } finally {
    tf.dispose([...codes, counts]);
  }
}

/**
 * log((n_k + 1)/(Σn + K)) from the training counts, or (before they are counted) from the codes
 * of `batch`; on the device, no read-back.   → [K]
 */
export function logFrequencies(counts: tf.Tensor1D, batch: tf.Tensor3D | null): tf.Tensor1D {
  const K = counts.shape[0];
  return tf.tidy(() => {
    let n: tf.Tensor1D = counts;
    if (batch) {
      const uncounted = tf.cast(tf.equal(tf.sum(counts), 0), 'float32'); //   0/1
      n = tf.add(n, tf.mul(tf.sum(batch, [0, 1]), uncounted)) as tf.Tensor1D;
    }
    return tf.log(tf.div(tf.add(n, 1), tf.add(tf.sum(n), K))) as tf.Tensor1D;
  });
}

/**
 * −Σ_t log f(c_t) per image, f the unigram frequencies of the training codes (prepareData);
 * before that, Laplace-smoothed frequencies of this batch's own codes.   codes [B,49] → [B]
 */
export function unigramNll(codes: tf.Tensor2D, counts: tf.Tensor1D): tf.Tensor1D {
  const K = counts.shape[0];
  return tf.tidy(() => {
    const oneHot = oneHotFloat(tf.cast(codes, 'int32'), K) as tf.Tensor3D; //           [B,49,K]
    const logF = logFrequencies(counts, oneHot); //                                          [K]
    return tf.neg(tf.sum(tf.mul(oneHot, logF), [1, 2])) as tf.Tensor1D;
  });
}
