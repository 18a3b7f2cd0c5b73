/**
 * Checkpoints: the model's config, its weights in TF.js's weight format (tf.io.encodeWeights:
 * one binary buffer plus a manifest of names, shapes and dtypes), and the training state.
 * Written by the CLI (`--save DIR`: checkpoint.json + weights.bin) and readable anywhere TF.js runs.
 * Weights may be stored as float16 (the shipped trained models): a spec then carries TF.js's
 * `"quantization": {"dtype": "float16"}` and its values take 2 bytes each (core/half-float.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { decodeHalf, encodeHalf } from '../core/half-float';
import type { LatentModel } from '../models/latent-model';
import { MODEL_KINDS } from '../contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../contracts/config';

export const CHECKPOINT_FORMAT = 'latent-lab-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  config: TrainConfig;
  step: number;
  epoch: number;
  dataset: string;
  /** tf.io weight specs, one per model variable, in `model.variables` order (names w0, w1, …). */
  weightSpecs: tf.io.WeightsManifestEntry[];
}

/** How a weight is stored: float32, or float16 (TF.js's quantization entry). */
export const isHalf = (spec: tf.io.WeightsManifestEntry) =>
  isObject(spec.quantization) && spec.quantization.dtype === 'float16';
/** Bytes of one stored weight. */
export const bytesOf = (spec: tf.io.WeightsManifestEntry) =>
  (isHalf(spec) ? 2 : 4) * spec.shape.reduce((p, d) => p * d, 1);

/** What a checkpoint stores: every trained variable (a VQ-VAE with EMA adds its codebook). */
function savedVariables(model: LatentModel): tf.Variable[] {
  return model.savedVariables ?? model.variables;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the JSON half of a checkpoint read from a user's file, with one specific message per
 * problem; config fields missing from older files take their defaults, wrong types are refused.
 */
export function parseCheckpointMeta(raw: unknown): CheckpointMeta {
  if (!isObject(raw)) throw new Error('the checkpoint JSON is not an object');
  if (raw.format !== CHECKPOINT_FORMAT)
    throw new Error(`not a Latent Lab checkpoint (format is ${JSON.stringify(raw.format)})`);
  if (raw.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `checkpoint version ${JSON.stringify(raw.version)} is not supported (this app reads version ${CHECKPOINT_VERSION})`,
    );
  }
  if (!isObject(raw.config)) throw new Error('the checkpoint has no "config" object');
  const config: Record<string, unknown> = { ...TRAIN_DEFAULTS };
  for (const [key, value] of Object.entries(raw.config)) {
    // Settings of a newer version are ignored; own keys only ("__proto__" is not a setting).
    if (!Object.hasOwn(TRAIN_DEFAULTS, key)) continue;
    const expected = typeof TRAIN_DEFAULTS[key as keyof TrainConfig];
    if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value)))
      throw new Error(`config.${key} should be a ${expected}, got ${JSON.stringify(value)}`);
    config[key] = value;
  }
  if (!(MODEL_KINDS as readonly unknown[]).includes(config.model))
    throw new Error(`checkpoint has unknown model ${JSON.stringify(config.model)}`);
  for (const key of ['step', 'epoch'] as const) {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new Error(`"${key}" should be a whole number ≥ 0, got ${JSON.stringify(v)}`);
  }
  const weightSpecs = parseWeightSpecs(raw.weightSpecs, 'the checkpoint');
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: config as unknown as TrainConfig,
    step: raw.step as number,
    epoch: raw.epoch as number,
    dataset: typeof raw.dataset === 'string' ? raw.dataset : 'mnist',
    weightSpecs,
  };
}

/**
 * A file's "weightSpecs" list, checked: float32 weights with a name and a positive shape, each
 * stored in float32 or float16. Only name, shape, dtype and a float16 quantization are kept:
 * other fields (e.g. a uint8 "quantization" with a scale) would change how TF.js decodes.
 * `what` names the file in the messages ("the checkpoint").
 */
export function parseWeightSpecs(raw: unknown, what: string): tf.io.WeightsManifestEntry[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${what} has no "weightSpecs" list`);
  raw.forEach((spec: unknown, i) => {
    if (
      !isObject(spec) ||
      typeof spec.name !== 'string' ||
      spec.dtype !== 'float32' ||
      !Array.isArray(spec.shape) ||
      !spec.shape.every((d) => Number.isInteger(d) && d > 0)
    )
      throw new Error(`weightSpecs[${i}] is not a float32 weight with a name and a shape`);
  });
  return (raw as tf.io.WeightsManifestEntry[]).map((spec) => ({
    name: spec.name,
    shape: [...spec.shape],
    dtype: 'float32' as const,
    ...(isHalf(spec) ? { quantization: { dtype: 'float16' as const } } : {}),
  }));
}

/**
 * The model's checkpoint. `float16`: every weight rounded to the nearest half float (half the
 * bytes; the trained models that ship with the app, where the test metric allows it).
 */
export async function encodeCheckpoint(
  model: LatentModel,
  config: TrainConfig,
  state: { step: number; epoch: number; dataset: string },
  options: { float16?: boolean } = {},
): Promise<{ meta: CheckpointMeta; weights: ArrayBuffer }> {
  const named = savedVariables(model).map((v, i) => ({ name: `w${i}`, tensor: v as tf.Tensor }));
  const encoded = await tf.io.encodeWeights(named);
  const { specs } = encoded;
  let data = encoded.data;
  if (options.float16) data = halfWhereFinite(specs, data);
  return {
    meta: {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      config,
      ...state,
      weightSpecs: specs,
    },
    weights: data,
  };
}

/** float16's largest finite value: a weight beyond it would load as ±Infinity. */
const HALF_MAX = 65504;

/**
 * float32 weights data → each weight in float16 (its spec marked so), except a weight with a value
 * beyond float16's range (e.g. the prior's code counts, in the tens of thousands), kept in float32.
 */
function halfWhereFinite(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): ArrayBuffer {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const values = new Float32Array(
      data,
      offset,
      spec.shape.reduce((p, d) => p * d, 1),
    );
    offset += values.byteLength;
    if (values.every((v) => Math.abs(v) <= HALF_MAX)) {
      spec.quantization = { dtype: 'float16' };
      parts.push(new Uint8Array(encodeHalf(values).buffer));
    } else parts.push(new Uint8Array(values.slice().buffer));
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}

/** Checks a checkpoint against the zoo and loads its weights into `model` (built from meta.config). */
export function loadCheckpointWeights(
  model: LatentModel,
  meta: CheckpointMeta,
  weights: ArrayBuffer,
): void {
  if (meta.format !== CHECKPOINT_FORMAT)
    throw new Error('not a Latent Lab checkpoint (unknown "format")');
  if (meta.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `checkpoint version ${meta.version} is not supported (this app reads version ${CHECKPOINT_VERSION})`,
    );
  }
  if (!(MODEL_KINDS as readonly string[]).includes(meta.config.model)) {
    throw new Error(`checkpoint has unknown model "${meta.config.model}"`);
  }
  const expectedBytes = meta.weightSpecs.reduce((a, s) => a + bytesOf(s), 0);
  if (weights.byteLength !== expectedBytes) {
    throw new Error(
      `weights are truncated or padded: ${weights.byteLength} bytes, the manifest needs ${expectedBytes}`,
    );
  }
  const vars = savedVariables(model);
  if (meta.weightSpecs.length !== vars.length) {
    throw new Error(
      `checkpoint has ${meta.weightSpecs.length} weight tensors, the model has ${vars.length}`,
    );
  }
  // Check every shape before assigning anything, so a bad file leaves the model untouched.
  vars.forEach((v, i) => {
    const spec = meta.weightSpecs[i]!;
    if (spec.name !== `w${i}` || !tf.util.arraysEqual(spec.shape, v.shape)) {
      throw new Error(
        `weight w${i} has shape [${spec.shape.join(', ')}], the model expects [${v.shape.join(', ')}]`,
      );
    }
  });
  let offset = 0;
  vars.forEach((v, i) => {
    const spec = meta.weightSpecs[i]!;
    const bytes = weights.slice(offset, offset + bytesOf(spec));
    offset += bytes.byteLength;
    const values = isHalf(spec) ? decodeHalf(new Uint16Array(bytes)) : new Float32Array(bytes);
    const t = tf.tensor(values, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}
