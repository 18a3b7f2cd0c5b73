/**
 * The ways of building a new run for the session (session.ts) to swap in: a fresh model, a
 * checkpoint, a snapshot, other data. Each checks its input and builds the trainer without
 * touching the run in place; on a problem it throws (after disposing what it built), and the
 * session refuses the request with that message.
 */
import { checkImageDataset } from '../data/check-dataset';
import type { ImageDataset } from '../data/image-dataset';
import { loadCheckpointWeights, parseCheckpointMeta } from '../train/checkpoint';
import { restoreRun } from '../train/run-state';
import type { TrainConfig } from '../contracts/config';
import { Trainer } from '../train/trainer';
import { carryTokenizer } from '../train/prior-stage';
import type { LatentModel } from '../models/latent-model';
import type { DatasetInfo, WorkerRequest } from './protocol';

type Req<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

/** A run built and checked, not yet installed. */
export interface NextRun {
  trainer: Trainer;
  /** The settings in force (the session's own copy). */
  config: TrainConfig;
  dataset: ImageDataset;
  runId: number;
  /** What building it did that the page should hear (the prior stage's tokenizer hand-over). */
  events?: string[];
}

/** Where a loaded run stands. */
export interface LoadedAt {
  meta: { config: TrainConfig; step: number; epoch: number };
}

/** What the page shows about a dataset. */
export function datasetInfo(d: ImageDataset): DatasetInfo {
  const { id, name, source, license, height, width, classes, classNames } = d;
  const [trainCount, testCount] = [d.train.count, d.test.count];
  const info = { id, name, source, license, trainCount, testCount, height, width, classes };
  return classNames ? { ...info, classNames: classNames.slice() } : info;
}

/**
 * A fresh model with `config` on `dataset`. A prior over codes takes its frozen tokenizer from
 * `previous`, the run it replaces, where that fits (train/prior-stage.ts).
 */
export function freshRun(
  dataset: ImageDataset,
  config: TrainConfig,
  runId: number,
  previous: { model: LatentModel; config: TrainConfig; step: number } | null = null,
): NextRun {
  const c = { ...config };
  const trainer = new Trainer(dataset, c);
  const carried = carryTokenizer(previous, trainer.model, c);
  return { trainer, config: c, dataset, runId, ...(carried ? { events: [carried] } : {}) };
}

/** A checkpoint (checkpoint.json's parsed JSON + weights.bin) on `dataset`. */
export function checkpointRun(dataset: ImageDataset, req: Req<'import'>): NextRun & LoadedAt {
  const meta = parseCheckpointMeta(req.meta);
  const trainer = new Trainer(dataset, meta.config);
  try {
    loadCheckpointWeights(trainer.model, meta, req.weights);
    trainer.resumeAt(meta.step, meta.epoch);
  } catch (err) {
    trainer.dispose();
    throw err;
  }
  return { trainer, config: { ...meta.config }, dataset, runId: req.runId, meta };
}

/** A snapshot (weights, Adam's state, position) on `dataset`; restoreRun checks it first. */
export async function restoredRun(
  dataset: ImageDataset,
  req: Req<'restore'>,
): Promise<NextRun & LoadedAt> {
  const { trainer, meta } = await restoreRun(dataset, req.meta, req.weights, req.state, req.order);
  return { trainer, config: { ...meta.config }, dataset, runId: req.runId, meta };
}

/** A fresh model with the settings in force on other data, checked first. */
export function runOnData(config: TrainConfig, req: Req<'dataset'>): NextRun {
  const incoming = checkImageDataset(req.dataset);
  return {
    trainer: new Trainer(incoming, config),
    config: { ...config },
    dataset: incoming,
    runId: req.runId,
  };
}
