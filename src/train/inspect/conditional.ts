/**
 * Inspect answers of a conditional model (CVAE), each one batched decode given labels:
 *   conditionalSamples   z_i ~ N(0, I), decoded with one chosen label y:   [count, P]
 *   everyLabel           z = μ(x, y_x) of one probe digit (its own label), decoded with every
 *                        label 0 … K−1: the same style, each class.         [K, P]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../../models/latent-model';
import type { InspectAnswer, InspectQuery } from '../../contracts/inspect';
import { checkInt, checkProbe, LIMITS, readImages } from './io';
import type { Trainer } from '../trainer';

type Answer<K extends InspectAnswer['kind']> = Extract<InspectAnswer, { kind: K }>;
type Query<K extends InspectQuery['kind']> = Extract<InspectQuery, { kind: K }>;

/** The model's label classes and conditional decoders, or a clear error for the others. */
function conditional(m: LatentModel, what: string) {
  const K = m.labelClasses;
  if (!K || !m.sampleGiven || !m.decodeLatentGiven)
    throw new Error(`${what} needs a conditional model (the conditional VAE)`);
  return { K, sampleGiven: m.sampleGiven.bind(m), decodeGiven: m.decodeLatentGiven.bind(m) };
}

export async function conditionalSamples(
  trainer: Trainer,
  q: Query<'conditionalSamples'>,
): Promise<Answer<'conditionalSamples'>> {
  const { K, sampleGiven } = conditional(trainer.model, 'sampling a chosen class');
  const label = checkInt('label', q.label, 0, K - 1);
  const count = checkInt('count', q.count, 1, LIMITS.samples);
  const images = tf.tidy(() =>
    sampleGiven(tf.fill([count], label, 'int32') as tf.Tensor1D, q.seed),
  );
  return { kind: 'conditionalSamples', label, images: await readImages(trainer, images) };
}

export async function everyLabel(
  trainer: Trainer,
  q: Query<'everyLabel'>,
): Promise<Answer<'everyLabel'>> {
  const { K, decodeGiven } = conditional(trainer.model, '"same style, every class"');
  const probe = checkProbe(trainer, q.probe);
  const label = trainer.probeLabels[probe]!;
  const P = trainer.pixels;
  const [input, images] = tf.tidy(() => {
    const x = tf.slice(trainer.probeX, [probe, 0], [1, P]) as tf.Tensor2D; // [1,P]
    const z = trainer.model.embed(x, tf.tensor1d([label], 'int32')); // μ [1,D]
    const every = tf.tensor1d(
      Int32Array.from({ length: K }, (_, k) => k),
      'int32',
    ); // [K]
    return [x.clone(), decodeGiven(tf.tile(z, [K, 1]) as tf.Tensor2D, every)]; // [K,P]
  });
  const [inputBatch, imageBatch] = await Promise.all([
    readImages(trainer, input),
    readImages(trainer, images),
  ]);
  return { kind: 'everyLabel', label, input: inputBatch, images: imageBatch };
}
