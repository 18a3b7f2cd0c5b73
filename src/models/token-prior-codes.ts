/**
 * The token prior's code table (models/token-prior.ts): the whole training set encoded once by
 * the frozen tokenizer, and how often each code occurs (the unigram baseline's counts).
 *
 *   train [N,P] → codes int32 [N,49],  counts n_k = #{(i, t) : c_it = k}   [K]
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
