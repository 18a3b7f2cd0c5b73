/**
 * The prior over codes (token-prior.ts) trained the naive TF.js way, like the image models'
 * naive loop (naive-loop.ts) but on code sequences:
 *   once   the frozen tokenizer encodes the whole training set, 500 images at a time, each
 *          chunk's codes read back with `await data()` into one Int32Array on the host   [N·49]
 *          (before the clock starts, as ours builds its code table in trainer.prepare())
 *   batch  copy B shuffled rows of codes and labels into typed arrays,
 *          c = tf.tensor2d(codes, [B, 49], 'int32'), y = tf.tensor1d(labels, 'int32')
 *   step   cost = optimizer.minimize(() => mean(prior.nll(c, y)), true)
 *   read   cost.dataSync()
 * The objective is ours (nll = −log p(c | y), nats per sequence, its mean over the batch); ours
 * also computes the terms it reports (recon, bound, unigram) and drops 10 % of the labels to
 * "any", element-wise work that is small next to the transformer's. Only codes are encoded here;
 * ours also evaluates each image's recon once. The tokenizer is the untrained VQ-VAE of the
 * config in both: speed does not depend on which codes the images get.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../contracts/config';
import type { ImageDataset } from '../data/image-dataset';
import { toFloatPixels } from '../data/pixels';
import type { LatentModel } from '../models/latent-model';
import { TokenPrior } from '../models/token-prior';
import { createModel } from '../models/zoo';
import { readObjective, shuffledBatches, type NaiveLoop } from './naive-loop';

/** Images the tokenizer encodes at once (token-prior.ts's PREPARE_CHUNK). */
const CHUNK = 500;

/** The codes of every training image, read back chunk by chunk.   → Int32Array [N·T] */
async function encodeAll(tokenizer: LatentModel, dataset: ImageDataset, T: number) {
  const N = dataset.train.count;
  const P = dataset.height * dataset.width;
  const codes = new Int32Array(N * T);
  for (let start = 0; start < N; start += CHUNK) {
    const n = Math.min(CHUNK, N - start);
    const x = tf.tensor2d(toFloatPixels(dataset.train.images, start, n, P), [n, P]);
    const c = tokenizer.codes!(x).indices; //                                           [n,T]
    codes.set(await c.data(), start * T);
    tf.dispose([x, c]);
  }
  return codes;
}

export async function naivePriorLoop(
  dataset: ImageDataset,
  config: TrainConfig,
): Promise<NaiveLoop> {
  const B = config.batchSize;
  const N = dataset.train.count;
  const model = createModel(config, dataset.height * dataset.width, null, dataset.classes);
  if (!(model instanceof TokenPrior)) {
    model.dispose();
    throw new Error(`naivePriorLoop trains the prior, not ${config.model}`);
  }
  const T = model.codeLayout.positions;
  let table: Int32Array;
  try {
    table = await encodeAll(model.tokenizer, dataset, T);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const labels = Int32Array.from(dataset.train.labels.subarray(0, N));
  const optimizer = tf.train.adam(config.learningRate);
  const batchCodes = new Int32Array(B * T);
  const batchLabels = new Int32Array(B);
  const nextRows = shuffledBatches(N, B, config.seed);
  let step = 0;
  return {
    async step() {
      const rows = nextRows();
      for (let b = 0; b < B; b++) {
        const r = rows[b]!;
        batchCodes.set(table.subarray(r * T, r * T + T), b * T);
        batchLabels[b] = labels[r]!;
      }
      step++;
      const c = tf.tensor2d(batchCodes, [B, T], 'int32');
      const y = tf.tensor1d(batchLabels, 'int32');
      const seed = config.seed * 1_000_003 + step;
      const cost = optimizer.minimize(
        () => tf.mean(model.nll(c, y, true, seed)) as tf.Scalar,
        true,
        model.variables,
      )!;
      const value = await readObjective(cost);
      tf.dispose([c, y, cost]);
      return value;
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
