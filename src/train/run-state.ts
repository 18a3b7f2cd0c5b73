/**
 * Snapshots of a training run and their restoration: weights, Adam's state, the model's own
 * statistics and the trainer's position, so that a restored run trains on exactly as the original
 * would have (same next batch, same moments, same noise). Plain data out (see run-file.ts), a new
 * Trainer back; a snapshot that does not fit is refused before anything is built or changed.
 *
 * Adam keeps one (m, v) pair per trained variable and matches them by position in the variable
 * list it is given (`model.variables`), not by name, so moments are stored as m0…, v0… in that
 * order and load into a freshly built model of the same config.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/image-dataset';
import type { LatentModel } from '../models/latent-model';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  loadCheckpointWeights,
  parseCheckpointMeta,
} from './checkpoint';
import type { TrainConfig } from '../contracts/config';
import {
  RUN_FORMAT,
  RUN_VERSION,
  type RunMeta,
  type RunSnapshot,
  type WeightSpec,
} from '../contracts/run-file';
import { Trainer, type NamedTensor } from './trainer';

const savedVariables = (m: LatentModel) => m.savedVariables ?? m.variables;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Everything needed to continue `trainer`; read back asynchronously (call between steps). */
export async function captureRun(
  trainer: Trainer,
  config: TrainConfig,
  dataset: string,
): Promise<RunSnapshot> {
  const model = trainer.model;
  const named = savedVariables(model).map((v, i) => ({ name: `w${i}`, tensor: v as tf.Tensor }));
  const encoded = await tf.io.encodeWeights(named);
  const adam = await trainer.optimizerWeights(); // [iter, m…, v…]; iter is a new scalar
  try {
    const n = (adam.length - 1) / 2;
    const stateNamed = [
      { name: 'iter', tensor: adam[0]!.tensor },
      ...adam.slice(1).map((w, j) => ({ name: j < n ? `m${j}` : `v${j - n}`, tensor: w.tensor })),
      ...(model.stateVariables ?? []).map((v, i) => ({ name: `s${i}`, tensor: v as tf.Tensor })),
    ];
    const state = await tf.io.encodeWeights(stateNamed);
    const p = trainer.position();
    return {
      meta: {
        format: RUN_FORMAT,
        version: RUN_VERSION,
        config: { ...config },
        dataset,
        step: p.step,
        epoch: p.epoch,
        cursor: p.cursor,
        rngState: p.rngState,
        weightSpecs: encoded.specs as WeightSpec[],
        stateSpecs: state.specs as WeightSpec[],
      },
      weights: encoded.data,
      state: state.data,
      order: p.order,
    };
  } finally {
    adam[0]?.tensor.dispose();
  }
}

/** Checks the JSON half of a snapshot (from a file or the browser's storage), naming each problem. */
export function parseRunMeta(raw: unknown): RunMeta {
  if (!isObject(raw)) throw new Error('the run state is not an object');
  if (raw.format !== RUN_FORMAT)
    throw new Error(`not a Latent Lab run (format is ${JSON.stringify(raw.format)})`);
  if (raw.version !== RUN_VERSION)
    throw new Error(
      `run version ${JSON.stringify(raw.version)} is not supported (this app reads version ${RUN_VERSION})`,
    );
  // Config, step, epoch and the weight list are checked exactly as in a checkpoint.
  const ckpt = parseCheckpointMeta({
    ...raw,
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
  });
  for (const key of ['cursor', 'rngState'] as const) {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new Error(`"${key}" should be a whole number ≥ 0, got ${JSON.stringify(v)}`);
  }
  if (!Array.isArray(raw.stateSpecs) || raw.stateSpecs.length === 0)
    throw new Error('the run has no "stateSpecs" list (optimizer state)');
  raw.stateSpecs.forEach((spec: unknown, i) => {
    if (
      !isObject(spec) ||
      typeof spec.name !== 'string' ||
      (spec.dtype !== 'float32' && spec.dtype !== 'int32') ||
      !Array.isArray(spec.shape) ||
      !spec.shape.every((d) => Number.isInteger(d) && d > 0)
    )
      throw new Error(`stateSpecs[${i}] is not a weight with a name, a shape and a dtype`);
  });
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    config: ckpt.config,
    dataset: ckpt.dataset,
    step: ckpt.step,
    epoch: ckpt.epoch,
    cursor: raw.cursor as number,
    rngState: raw.rngState as number,
    weightSpecs: ckpt.weightSpecs as WeightSpec[],
    // Only name, shape and dtype: other fields (e.g. "quantization") change how TF.js decodes.
    stateSpecs: (raw.stateSpecs as WeightSpec[]).map(({ name, shape, dtype }) => ({
      name,
      shape: [...shape],
      dtype,
    })),
  };
}

const bytesOf = (specs: WeightSpec[]) =>
  specs.reduce((a, s) => a + 4 * s.shape.reduce((p, d) => p * d, 1), 0);

/** The state list a model of this shape expects: iter, then none or all moments, then s0…. */
function checkStateSpecs(meta: RunMeta, model: LatentModel, stateBytes: number): void {
  const trained = model.variables;
  const extra = model.stateVariables ?? [];
  const specs = meta.stateSpecs;
  const moments = specs.length - 1 - extra.length;
  if (moments !== 0 && moments !== 2 * trained.length)
    throw new Error(
      `the optimizer state has ${Math.max(0, moments)} moment tensors, the model needs ${2 * trained.length}`,
    );
  const expected: { name: string; shape: number[]; dtype: string }[] = [
    { name: 'iter', shape: [], dtype: 'int32' },
    ...(moments === 0 ? [] : ['m', 'v']).flatMap((p) =>
      trained.map((v, i) => ({ name: `${p}${i}`, shape: v.shape, dtype: 'float32' })),
    ),
    ...extra.map((v, i) => ({ name: `s${i}`, shape: v.shape, dtype: 'float32' })),
  ];
  expected.forEach((e, i) => {
    const s = specs[i]!;
    if (s.name !== e.name || s.dtype !== e.dtype || !tf.util.arraysEqual(s.shape, e.shape))
      throw new Error(
        `optimizer state ${s.name} is ${s.dtype} [${s.shape.join(', ')}], the model expects ${e.name} ${e.dtype} [${e.shape.join(', ')}]`,
      );
  });
  if (stateBytes !== bytesOf(specs))
    throw new Error(
      `the optimizer state is truncated or padded: ${stateBytes} bytes, its manifest needs ${bytesOf(specs)}`,
    );
}

/**
 * A new Trainer continuing the snapshot: weights, Adam, model statistics and position restored.
 * Throws with a specific message (unknown model, wrong shapes, truncated data, other dataset)
 * without side effects when the snapshot does not fit.
 */
export async function restoreRun(
  dataset: ImageDataset,
  rawMeta: unknown,
  weights: ArrayBuffer,
  state: ArrayBuffer,
  order: Int32Array,
): Promise<{ trainer: Trainer; meta: RunMeta }> {
  const meta = parseRunMeta(rawMeta);
  if (meta.dataset !== dataset.id)
    throw new Error(`the run was trained on "${meta.dataset}", this page has "${dataset.id}"`);
  if (order.length !== dataset.train.count)
    throw new Error(
      `the run's shuffle order has ${order.length} entries, this dataset has ${dataset.train.count} training images`,
    );
  const trainer = new Trainer(dataset, meta.config);
  try {
    loadCheckpointWeights(
      trainer.model,
      {
        format: CHECKPOINT_FORMAT,
        version: CHECKPOINT_VERSION,
        config: meta.config,
        step: meta.step,
        epoch: meta.epoch,
        dataset: meta.dataset,
        weightSpecs: meta.weightSpecs,
      },
      weights,
    );
    checkStateSpecs(meta, trainer.model, state.byteLength);
    const decoded = tf.io.decodeWeights(state, meta.stateSpecs);
    try {
      const n = trainer.model.variables.length;
      const moments = meta.stateSpecs.length - 1 - (trainer.model.stateVariables?.length ?? 0);
      const adam: NamedTensor[] = [{ name: 'iter', tensor: decoded.iter! }];
      if (moments > 0)
        for (const p of ['m', 'v'])
          for (let i = 0; i < n; i++) adam.push({ name: `${p}${i}`, tensor: decoded[`${p}${i}`]! });
      await trainer.loadOptimizerWeights(adam);
      trainer.model.stateVariables?.forEach((v, i) => v.assign(decoded[`s${i}`]!));
    } finally {
      tf.dispose(Object.values(decoded));
    }
    trainer.restorePosition({
      step: meta.step,
      epoch: meta.epoch,
      cursor: meta.cursor,
      rngState: meta.rngState,
      order,
    });
    return { trainer, meta };
  } catch (err) {
    trainer.dispose();
    throw err;
  }
}
