/**
 * Checkpoints: the model's config, its weights in TF.js's weight format (tf.io.encodeWeights:
 * one binary buffer plus a manifest of names, shapes and dtypes), and the training state.
 * Written by the CLI (`--save DIR`: checkpoint.json + weights.bin) and readable anywhere TF.js runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent-model';
import { MODEL_KINDS } from '../models/catalog';
import type { TrainConfig } from './config';

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

export async function encodeCheckpoint(
  model: LatentModel,
  config: TrainConfig,
  state: { step: number; epoch: number; dataset: string },
): Promise<{ meta: CheckpointMeta; weights: ArrayBuffer }> {
  const named = model.variables.map((v, i) => ({ name: `w${i}`, tensor: v as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
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
  const expectedBytes = meta.weightSpecs.reduce(
    (a, s) => a + 4 * s.shape.reduce((p, d) => p * d, 1),
    0,
  );
  if (weights.byteLength !== expectedBytes) {
    throw new Error(
      `weights are truncated or padded: ${weights.byteLength} bytes, the manifest needs ${expectedBytes}`,
    );
  }
  const vars = model.variables;
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
  const tensors = tf.io.decodeWeights(weights, meta.weightSpecs);
  try {
    vars.forEach((v, i) => v.assign(tensors[`w${i}`]!));
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
