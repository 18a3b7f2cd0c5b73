/**
 * Inspect answers about discrete codes (VQ-VAE, dVAE, categorical VAE): the codebook atlas, the
 * code maps of probe digits, and one position's Gumbel-softmax draw.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gumbelFromUniform, gumbelSoftmaxTable } from '../../core/gumbel-table';
import { mulberry32 } from '../../core/rng';
import type { LatentModel } from '../../models/latent-model';
import {
  checkFinite,
  checkInt,
  checkProbe,
  digitBatch,
  LIMITS,
  readAndDispose,
  readImages,
} from './io';
import type { InspectAnswer, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';

type Answer<K extends InspectAnswer['kind']> = Extract<InspectAnswer, { kind: K }>;
type Query<K extends InspectQuery['kind']> = Extract<InspectQuery, { kind: K }>;

const DISCRETE_ONLY = 'needs discrete codes (VQ-VAE, dVAE or categorical VAE)';

function codeLayoutOf(m: LatentModel, what: string) {
  if (!m.codeLayout) throw new Error(`${what} ${DISCRETE_ONLY}`);
  return m.codeLayout;
}

/** Image k decodes code k at every position (indices [K, positions] filled row-wise with k). */
export async function codebookAtlas(trainer: Trainer): Promise<Answer<'codebookAtlas'>> {
  const m = trainer.model;
  const { positions, size: K } = codeLayoutOf(m, 'the codebook atlas');
  if (!m.decodeCodes) throw new Error(`the codebook atlas ${DISCRETE_ONLY}`);
  const decodeCodes = m.decodeCodes.bind(m);
  const images = tf.tidy(() => {
    const k = tf.range(0, K, 1, 'int32'); //                                                [K]
    return decodeCodes(tf.tile(tf.reshape(k, [K, 1]), [1, positions]) as tf.Tensor2D);
  });
  return { kind: 'codebookAtlas', images: await readImages(trainer, images) };
}

/** model.codes of the given probe digits, as int32.   → probes.length × positions */
export async function codeMap(trainer: Trainer, q: Query<'codeMap'>): Promise<Answer<'codeMap'>> {
  const m = trainer.model;
  const layout = codeLayoutOf(m, 'the code map');
  if (!m.codes) throw new Error(`the code map ${DISCRETE_ONLY}`);
  checkInt('number of probes', q.probes.length, 0, trainer.probeX.shape[0]);
  const probes = q.probes.map((i) => checkProbe(trainer, i));
  const out = {
    kind: 'codeMap' as const,
    positions: layout.positions,
    gridHeight: layout.gridHeight,
    gridWidth: layout.gridWidth,
    codebookSize: layout.size,
  };
  if (probes.length === 0) return { ...out, indices: new Int32Array(0) };
  const codes = m.codes.bind(m);
  const indices = tf.tidy(() => {
    const x = tf.gather(trainer.probeX, tf.tensor1d(probes, 'int32')) as tf.Tensor2D;
    return tf.cast(codes(x).indices, 'int32');
  });
  try {
    return { ...out, indices: Int32Array.from(await indices.data()) };
  } finally {
    indices.dispose();
  }
}

/**
 * One probe digit, one position: log π = codeLogits(x) there, Gumbel noise g_k = −log(−log u_k)
 * with u_k from mulberry32(seed) shifted to bin midpoints (u + 2⁻³³, so 0 < u < 1), and the
 * table of core/gumbel-table at τ. Rows: the `top` most probable codes, most probable first
 * (ties: lower code first); `hard` is the argmax of log π + g over all K codes.
 */
export async function gumbel(trainer: Trainer, q: Query<'gumbel'>): Promise<Answer<'gumbel'>> {
  const m = trainer.model;
  if (!m.codeLogits || !m.codeLayout)
    throw new Error(
      'the Gumbel-softmax view needs a Gumbel-softmax model (dVAE or categorical VAE)',
    );
  const { positions, size: K } = m.codeLayout;
  const probe = checkProbe(trainer, q.probe);
  const position = checkInt('position', q.position, 0, positions - 1);
  const tau = checkFinite('tau', q.tau);
  if (tau <= 0) throw new Error(`tau must be > 0 (got ${tau})`);
  const top = checkInt('top', q.top, 1, LIMITS.images);
  const codeLogits = m.codeLogits.bind(m);
  const logitsAt = tf.tidy(() => {
    const x = tf.slice(trainer.probeX, [probe, 0], [1, trainer.pixels]) as tf.Tensor2D;
    return tf.slice(codeLogits(x), [0, position, 0], [1, 1, K]);
  });
  const logits = await readAndDispose(logitsAt); // [K], log π
  const rng = mulberry32(q.seed);
  const g = Float64Array.from({ length: K }, () => gumbelFromUniform(rng() + 2 ** -33));
  const table = gumbelSoftmaxTable(logits, g, tau);
  const order = Array.from({ length: K }, (_, k) => k).sort(
    (a, b) => table.probs[b]! - table.probs[a]! || a - b,
  );
  const rows = order.slice(0, Math.min(top, K)).map((code) => ({
    code,
    prob: table.probs[code]!,
    logit: logits[code]!,
    gumbel: g[code]!,
    soft: table.soft[code]!,
  }));
  return { kind: 'gumbel', tau, rows, hard: table.hard, codebookSize: K, positions };
}

/** p(k | x) of one digit (a mixture model's posterior over its components).   → [K] */
export async function responsibilities(
  trainer: Trainer,
  q: Query<'responsibilities'>,
): Promise<Answer<'responsibilities'>> {
  const m = trainer.model;
  if (!m.responsibilities) throw new Error('p(k | x) needs a mixture model (mixture)');
  const posterior = m.responsibilities.bind(m);
  const probs = tf.tidy(() => posterior(digitBatch(trainer, [q.digit])));
  return { kind: 'responsibilities', probs: await readAndDispose(probs) };
}
