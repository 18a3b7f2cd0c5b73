/**
 * Editing by a latent direction: the mean code of one group of digits minus the mean code of
 * another, added in steps to a digit's code.
 *
 *   d = (1/|B|) Σ_{i∈B} z_i − (1/|A|) Σ_{i∈A} z_i          z_i the encoder's code of probe digit i
 *                                                          (inferred codes without an encoder)
 *   edit(x, t) = show(z(x) + t·d),  t ∈ values             show = decode (VQ-VAE: quantised)
 * Groups: two labels, the halves of the probe digits below and above the median of a measure
 * computed from their pixels (src/core/digit-measures.ts), or digits picked by hand.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MEASURE_NAMES, measureDigits, medianSplit } from '../../core/digit-measures';
import type { DirectionGroups, InspectAnswer, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';
import {
  checkFinite,
  checkInt,
  checkProbe,
  digitBatch,
  readAndDispose,
  readImages,
} from '../inspect/io';
import { codeSpaceOf, type CodeSpace } from './code-space';
import { inferCodes } from './inference';

type DirectionAnswer = Extract<InspectAnswer, { kind: 'direction' }>;
type DirectionQuery = Extract<InspectQuery, { kind: 'direction' }>;

/** Most digits per group: all probe digits with an encoder, fewer when codes need inference. */
const MAX_GROUP = { encoder: 1000, inferred: 100 };
/** Adam steps and step size that infer a code for a model without an encoder. */
const INFER_STEPS = 200;
const INFER_RATE = 0.05;
const MAX_VALUES = 32;

/** d = mean(codes of b) − mean(codes of a).   [nA, S], [nB, S] → [S] */
export function meanDifference(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.mean(b, 0), tf.mean(a, 0)) as tf.Tensor1D);
}

/** Probe pixels read back once per probe tensor (the measures need them in JS). */
const probePixels = new WeakMap<tf.Tensor, Promise<Float32Array>>();

async function probeValues(trainer: Trainer): Promise<Float32Array> {
  let p = probePixels.get(trainer.probeX);
  if (!p) {
    p = trainer.probeX.data() as Promise<Float32Array>;
    probePixels.set(trainer.probeX, p);
  }
  return p;
}

/** The probe indices of both groups, and the groups in words. */
export async function groupIndices(
  trainer: Trainer,
  groups: DirectionGroups,
  labels: Uint8Array,
): Promise<{ a: number[]; b: number[]; names: [string, string] }> {
  switch (groups.by) {
    case 'label': {
      const a = checkInt('label a', groups.a, 0, 255);
      const b = checkInt('label b', groups.b, 0, 255);
      const of = (l: number) => [...labels.keys()].filter((i) => labels[i] === l);
      return { a: of(a), b: of(b), names: [`digits ${a}`, `digits ${b}`] };
    }
    case 'measure': {
      const name = MEASURE_NAMES[groups.measure];
      if (!name) throw new Error(`unknown measure ${String(groups.measure)}`);
      const n = trainer.probeX.shape[0];
      const values = measureDigits(
        groups.measure,
        await probeValues(trainer),
        n,
        trainer.height,
        trainer.width,
      );
      const { low, high } = medianSplit(values);
      return { a: low, b: high, names: [`${name} below the median`, `${name} above the median`] };
    }
    case 'hand': {
      for (const i of [...groups.a, ...groups.b]) checkProbe(trainer, i);
      return { a: groups.a, b: groups.b, names: ['digits picked for A', 'digits picked for B'] };
    }
    default: {
      const unknown: never = groups;
      throw new Error(`unknown groups ${JSON.stringify(unknown)}`);
    }
  }
}

/** The codes of some probe digits: the encoder's, or found by inference.   → [n, S] */
async function codesOf(space: CodeSpace, x: tf.Tensor2D): Promise<tf.Tensor2D> {
  if (space.encode) return space.encode(x);
  return inferCodes(space, x, INFER_STEPS, { loss: 'squared', learningRate: INFER_RATE, seed: 1 });
}

export async function direction(trainer: Trainer, q: DirectionQuery): Promise<DirectionAnswer> {
  const space = codeSpaceOf(trainer.model);
  if (!space?.info.editable)
    throw new Error(
      'editing by directions needs continuous codes (not the dVAE or categorical VAE)',
    );
  checkInt('number of values', q.values.length, 1, MAX_VALUES);
  q.values.forEach((v) => checkFinite('value', v));
  const limit = space.encode ? MAX_GROUP.encoder : MAX_GROUP.inferred;
  const g = await groupIndices(trainer, q.groups, trainer.probeLabels);
  const a = g.a.slice(0, limit);
  const b = g.b.slice(0, limit);
  if (a.length === 0 || b.length === 0)
    throw new Error(
      `each group needs at least one digit (${g.names[0]}: ${a.length}, ${g.names[1]}: ${b.length})`,
    );
  const rows = (idx: number[]) =>
    tf.gather(trainer.probeX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
  const xa = tf.tidy(() => rows(a));
  const xb = tf.tidy(() => rows(b));
  const x = digitBatch(trainer, [q.digit]);
  let za: tf.Tensor2D | null = null;
  let zb: tf.Tensor2D | null = null;
  let z: tf.Tensor2D | null = null;
  try {
    za = await codesOf(space, xa);
    zb = await codesOf(space, xb);
    z = await codesOf(space, x);
    const [norm, edited] = tf.tidy(() => {
      const dir = meanDifference(za!, zb!);
      const t = tf.tensor2d(q.values, [q.values.length, 1]);
      const moved = tf.add(z!, tf.mul(t, tf.expandDims(dir, 0))) as tf.Tensor2D; // [T, S]
      return [tf.norm(dir), space.show(moved)];
    });
    return {
      kind: 'direction',
      values: [...q.values],
      images: await readImages(trainer, edited),
      norm: (await readAndDispose(norm))[0]!,
      sizes: [a.length, b.length],
      groups: g.names,
      source: space.encode ? 'encoder' : 'inferred',
    };
  } finally {
    tf.dispose([xa, xb, x, ...[za, zb, z].filter((t): t is tf.Tensor2D => t !== null)]);
  }
}
