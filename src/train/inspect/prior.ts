/**
 * Inspect answers of the prior over codes (models/token-prior.ts):
 *   generate    n grids drawn token by token given a class (or "any"), each partial grid decoded
 *               by the frozen tokenizer (undrawn positions show the background code), and n grids
 *               of uniformly random codes decoded beside them.     frames [positions·n, P]
 *   attention   every head's attention on one grid after its class token.   [L, H, T, T]
 * One device call per answer; read back with await data(); nothing left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../core/rng';
import type { LatentModel } from '../../models/latent-model';
import type { InspectAnswer, InspectQuery } from '../../contracts/inspect';
import { checkFinite, checkInt, readImages } from './io';
import type { Trainer } from '../trainer';

type Answer<K extends InspectAnswer['kind']> = Extract<InspectAnswer, { kind: K }>;
type Query<K extends InspectQuery['kind']> = Extract<InspectQuery, { kind: K }>;

/** Most samples per `generate` (each decodes one image per position). */
export const MAX_GENERATED = 16;

function priorOf(m: LatentModel, what: string) {
  const { generate, attention, priorShape, codeLayout, decodeCodes } = m;
  if (!generate || !attention || !priorShape || !codeLayout || !decodeCodes)
    throw new Error(
      `${what} needs the prior over codes (train a prior on a VQ-VAE's or dVAE's codes)`,
    );
  return {
    shape: priorShape,
    layout: codeLayout,
    generate: generate.bind(m),
    attention: attention.bind(m),
    decodeCodes: decodeCodes.bind(m),
  };
}

/** A class token's label: null → −1 ("any"); an unconditional prior only has "any". */
function labelOf(label: number | null, classes: number): number {
  if (label === null) return -1;
  if (classes === 0) throw new Error('this prior was trained without a class token: ask for "any"');
  return checkInt('label', label, 0, classes - 1);
}

/**
 * The commonest code: of the training grids once counted (prepareData, or a checkpoint), else of
 * the probe digits' grids. On the device, one read-back.
 */
async function backgroundCode(trainer: Trainer, K: number): Promise<number> {
  const m = trainer.model;
  const top = tf.tidy(() => {
    const counts = m.codeCounts?.() ?? tf.zeros([K]); //                                     [K]
    const probe = tf.sum(tf.oneHot(tf.reshape(m.codes!(trainer.probeX).indices, [-1]), K), 0);
    const uncounted = tf.cast(tf.equal(tf.sum(counts), 0), 'float32');
    return tf.argMax(tf.add(counts, tf.mul(tf.cast(probe, 'float32'), uncounted)));
  });
  try {
    return (await top.data())[0]!;
  } finally {
    top.dispose();
  }
}

export async function generate(
  trainer: Trainer,
  q: Query<'generate'>,
): Promise<Answer<'generate'>> {
  const p = priorOf(trainer.model, 'generating codes');
  const n = checkInt('count', q.count, 1, MAX_GENERATED);
  const label = labelOf(q.label, p.shape.classes);
  const temperature = checkFinite('temperature', q.temperature);
  if (temperature <= 0) throw new Error(`temperature must be above 0 (got ${temperature})`);
  const K = p.layout.size;
  const T = p.layout.positions;
  const topK = checkInt('top-k', q.topK, 0, K);
  const guidance = checkFinite('guidance', q.guidance);
  if (guidance < 0 || guidance > 10)
    throw new Error(`guidance must be from 0 to 10 (got ${guidance})`);
  const fill = await backgroundCode(trainer, K);
  const codes = tf.tidy(() =>
    p.generate(tf.fill([n], label, 'int32') as tf.Tensor1D, {
      temperature,
      topK,
      guidance,
      seed: q.seed,
    }),
  ); // [n, T]
  let drawn: Int32Array;
  try {
    drawn = Int32Array.from(await codes.data());
  } finally {
    codes.dispose();
  }
  // Frame t shows the first t positions drawn and the rest at the fill code.   [T·n, T]
  const grids = new Int32Array(T * n * T);
  for (let t = 1; t <= T; t++)
    for (let i = 0; i < n; i++) {
      const row = ((t - 1) * n + i) * T;
      for (let j = 0; j < T; j++) grids[row + j] = j < t ? drawn[i * T + j]! : fill;
    }
  const rand = mulberry32(q.seed ^ 0x9e3779b9);
  const uniform = Int32Array.from({ length: n * T }, () => Math.floor(rand() * K));
  const [frames, uniformImages] = tf.tidy(() => [
    p.decodeCodes(tf.tensor2d(grids, [T * n, T], 'int32')),
    p.decodeCodes(tf.tensor2d(uniform, [n, T], 'int32')),
  ]);
  return {
    kind: 'generate',
    label: q.label === null ? null : label,
    temperature,
    topK,
    guidance,
    seed: q.seed,
    codes: drawn,
    frames: await readImages(trainer, frames as tf.Tensor2D),
    fill,
    uniform: await readImages(trainer, uniformImages as tf.Tensor2D),
  };
}

export async function attention(
  trainer: Trainer,
  q: Query<'attention'>,
): Promise<Answer<'attention'>> {
  const p = priorOf(trainer.model, 'the attention view');
  const T = p.layout.positions;
  const K = p.layout.size;
  if (q.codes.length !== T) throw new Error(`a grid has ${T} codes (got ${q.codes.length})`);
  q.codes.forEach((c, i) => checkInt(`code ${i}`, c, 0, K - 1));
  const label = labelOf(q.label, p.shape.classes);
  const stacked = tf.tidy(() => {
    const maps = p.attention(
      tf.tensor2d(Int32Array.from(q.codes), [1, T], 'int32'),
      tf.tensor1d([label], 'int32'),
    ); // L × [1, H, T+1, T+1]
    return tf.concat(maps, 0); // [L, H, T+1, T+1]
  });
  const [layers, heads, length] = stacked.shape;
  let weights: Float32Array;
  try {
    weights = Float32Array.from(await stacked.data());
  } finally {
    stacked.dispose();
  }
  return { kind: 'attention', layers, heads, length, weights };
}
