/**
 * Runs and data from outside the worker, swapped in by the run session (run-session.ts): a
 * .latentlab file, a CLI checkpoint, an uploaded or downloaded dataset; and the run on screen
 * out as a .latentlab file. Each refusal leaves the run as it is, with a notice saying why.
 */
import { MODEL_CATALOG } from '../contracts/catalog';
import type { TrainConfig } from '../contracts/config';
import type { ImageDataset } from '../data/image-dataset';
import { readCheckpointFiles, type CheckpointFiles } from './checkpoint-files';
import { downloadBytes, downloadRunFile, isRunFile, readRunFile } from './run-file-io';
import type { RunSession } from './run-session';
import { historyOf, newKey } from './saved-runs';
import { notice, resetRun } from './training-store';

/** Downloads the run on screen as one .latentlab file. */
export async function exportRun(session: RunSession): Promise<void> {
  try {
    const snapshot = await session.snapshot();
    const s = session.store.get();
    const key = session.saved.keyOf(s.runId, snapshot.meta.config.model);
    const { fileName, bytes } = downloadRunFile(snapshot, historyOf(s), key.name);
    const size = `${(bytes / 1e6).toFixed(1)} MB`;
    session.addNotice('info', `Exported ${fileName} (step ${snapshot.meta.step}, ${size}).`);
  } catch (err) {
    session.addNotice('error', `Could not export the run: ${(err as Error).message}.`);
  }
}

/**
 * Downloads the model on screen for PyTorch: a zip with model.safetensors, model.py, train.py,
 * the probe digits and a README (src/train/export; the Python templates from `templatesUrl`).
 */
export async function exportPytorch(session: RunSession, templatesUrl: string): Promise<void> {
  try {
    const { fileName, zip } = await session.exportPytorch(templatesUrl);
    downloadBytes(zip, fileName, 'application/zip');
    const size = `${(zip.byteLength / 1e6).toFixed(1)} MB`;
    session.addNotice(
      'info',
      `Exported ${fileName} (${size}): unzip it and run python3 model.py (see its README.md).`,
    );
  } catch (err) {
    session.addNotice('error', `Could not export for PyTorch: ${(err as Error).message}.`);
  }
}

/**
 * Loads a .latentlab file, or a checkpoint (checkpoint.json + weights.bin, as `npm run train --
 * --save DIR` writes), in place of the run. Resolves with its config, or null after a notice.
 */
export async function importRun(session: RunSession, files: File[]): Promise<TrainConfig | null> {
  if (isRunFile(files)) return importRunFile(session, files[0]!);
  let read;
  try {
    read = await readCheckpointFiles(files);
  } catch (err) {
    session.addNotice('error', `${(err as Error).message} The current run is unchanged.`);
    return null;
  }
  return loadCheckpoint(session, read);
}

/**
 * A checkpoint's two halves, read and checked as files, in place of the run (the worker checks
 * them against the zoo). Resolves with its config, or null after a notice.
 */
export async function loadCheckpoint(
  session: RunSession,
  read: CheckpointFiles,
): Promise<TrainConfig | null> {
  try {
    const run = await session.newRun((client, runId) =>
      client.importCheckpoint(read.name, read.meta, read.weights, runId),
    );
    const runId = session.currentRunId;
    const text = `Loaded ${read.name} (${run.config.model}, step ${run.step}).`;
    session.store.update((s) => ({
      ...resetRun(s, runId, run.config.model),
      step: run.step,
      epoch: run.epoch,
      notices: [...s.notices, notice('info', text)],
    }));
    return run.config;
  } catch (err) {
    session.addNotice('error', (err as Error).message);
    return null;
  }
}

/** Loads a .latentlab file in place of the run on screen. Resolves with its config, or null. */
export async function importRunFile(session: RunSession, file: File): Promise<TrainConfig | null> {
  let contents;
  try {
    contents = await readRunFile(file);
  } catch (err) {
    const why = (err as Error).message;
    session.addNotice(
      'error',
      `Could not load ${file.name}: ${why}. The current run is unchanged.`,
    );
    return null;
  }
  return session.restore(
    file.name,
    contents,
    newKey(contents.name),
    contents.history,
    (c, step) => `Loaded ${file.name} (${MODEL_CATALOG[c.model].label}, step ${step}).`,
  );
}

/** A fresh model (same settings) on other data; its buffers move to the worker. */
export async function replaceDataset(session: RunSession, dataset: ImageDataset): Promise<boolean> {
  try {
    const loaded = await session.newRun((client, runId) => client.replaceDataset(dataset, runId));
    const runId = session.currentRunId;
    const d = loaded.dataset;
    const counts = `${d.trainCount.toLocaleString('en')} training and ${d.testCount.toLocaleString('en')} test images`;
    session.store.update((s) => ({
      ...resetRun(s, runId, s.model),
      dataset: d,
      probeLabels: loaded.probeLabels,
      probeImages: loaded.probeImages,
      notices: [
        ...s.notices,
        notice('info', `Training on ${d.name}: ${counts}; a fresh model started.`),
      ],
    }));
    return true;
  } catch (err) {
    session.addNotice('error', `${(err as Error).message} The current run is unchanged.`);
    return false;
  }
}
