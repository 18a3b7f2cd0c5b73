/**
 * React binding of the training worker: one TrainingClient per page, its responses reduced
 * into TrainingState, and the actions the controls need.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trainConfigOf, type Settings } from '../state/settings';
import type { TrainConfig } from '../contracts/config';
import { readCheckpointFiles } from '../state/checkpoint-files';
import { TrainingClient } from '../worker/client';
import { isRunFile } from '../state/run-file-io';
import {
  BUNDLED_DATASET,
  useRunPersistence,
  type RunActions,
  type RunStorage,
} from './use-run-persistence';
import type { InspectAnswer, InspectQuery } from '../worker/protocol';
import type { ImageDataset } from '../data/image-dataset';
import {
  applyResponse,
  initialState,
  notice,
  resetRun,
  type Notice,
  type TrainingState,
} from '../state/training-store';

export interface TrainingActions extends RunActions {
  play: () => void;
  pause: () => void;
  step: (count?: number) => void;
  /** Fresh model with these settings, same worker and backend. */
  reset: (settings: Settings) => void;
  /** Live settings (learning rate, batch size, β) for the running model. */
  configure: (settings: Settings) => void;
  /**
   * New worker on another backend (the run starts over). `backendIsDefault`: nobody named the
   * backend, so a software-rendered GPU backend is skipped (see WorkerRequest 'init').
   */
  restart: (settings: Settings, backendIsDefault?: boolean) => void;
  /**
   * New worker on `settings.backend` that continues the run on screen where it stands ('moved'),
   * or, when it cannot follow (step 0, data other than bundled MNIST), starts afresh ('restarted').
   */
  switchBackend: (settings: Settings, resume: boolean) => Promise<'moved' | 'restarted'>;
  /**
   * Loads a checkpoint (checkpoint.json + weights.bin, as `npm run train -- --save DIR` writes)
   * in place of the current run. Resolves with its config, or null after a notice saying why not.
   */
  importRun: (files: File[]) => Promise<TrainConfig | null>;
  /**
   * Trains a fresh model (same settings) on other data: an upload or a download. Its buffers move
   * to the worker. Resolves true once it trains on them, or false after a notice saying why not.
   */
  replaceDataset: (dataset: ImageDataset) => Promise<boolean>;
  /** Asks the worker about the current model (decode a grid, interpolate …). */
  inspect: (query: InspectQuery) => Promise<InspectAnswer>;
  addNotice: (kind: Notice['kind'], text: string) => void;
  dismissNotice: (id: number) => void;
}

function datasetsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}datasets/`, window.location.href).href;
}

export function useTrainingSession(
  initial: Settings,
  initialNotices: string[],
  initialBackendIsDefault = false,
): [TrainingState, TrainingActions, RunStorage] {
  const [state, setState] = useState<TrainingState>(() => ({
    ...initialState(),
    notices: initialNotices.map((t) => notice('warning', t)),
  }));
  const clientRef = useRef<TrainingClient | null>(null);
  const runIdRef = useRef(0);
  const initialRef = useRef({ settings: initial, backendIsDefault: initialBackendIsDefault });
  /** Restarts a crashed worker (or one that lost its GPU) and resumes; set by useRunPersistence. */
  const recoverRef = useRef<((reason: string) => void) | null>(null);
  const [runs, runActions] = useRunPersistence(
    state,
    setState,
    clientRef,
    runIdRef,
    recoverRef,
    datasetsUrl,
  );

  const startWorker = useCallback((settings: Settings, backendIsDefault = false) => {
    runIdRef.current += 1;
    const runId = runIdRef.current;
    setState((s) => ({ ...initialState(), runId, notices: s.notices }));
    clientRef.current?.start({
      type: 'init',
      backend: settings.backend,
      config: trainConfigOf(settings),
      datasetsUrl: datasetsUrl(),
      datasetId: BUNDLED_DATASET, // other datasets arrive by replaceDataset (DatasetPanel)
      runId,
      backendIsDefault,
    });
  }, []);

  useEffect(() => {
    const client = new TrainingClient(
      (msg) => {
        if (msg.type === 'device-lost')
          recoverRef.current?.(`The ${msg.backend} GPU device was lost (${msg.message})`);
        // Training's steady stream (loss curves, evaluations) re-renders most panels: as a
        // transition React renders it in slices between input events instead of in one task.
        if (msg.type === 'metrics' || msg.type === 'eval')
          startTransition(() => setState((s) => applyResponse(s, msg)));
        else setState((s) => applyResponse(s, msg));
      },
      (message) => recoverRef.current?.(`The training worker crashed (${message})`),
    );
    clientRef.current = client;
    startWorker(initialRef.current.settings, initialRef.current.backendIsDefault);
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, [startWorker]);

  const actions = useMemo<TrainingActions>(
    () => ({
      play: () => clientRef.current?.send({ type: 'play' }),
      pause: () => clientRef.current?.send({ type: 'pause' }),
      step: (count = 1) => clientRef.current?.send({ type: 'step', count }),
      reset: (settings) => {
        runIdRef.current += 1;
        const runId = runIdRef.current;
        setState((s) => resetRun(s, runId, settings.model));
        clientRef.current?.send({ type: 'reset', config: trainConfigOf(settings), runId });
      },
      configure: (settings) =>
        clientRef.current?.send({ type: 'configure', config: trainConfigOf(settings) }),
      restart: startWorker,
      switchBackend: async (settings, resume) => {
        if (await runActions.moveRun(settings.backend, resume)) return 'moved';
        startWorker(settings);
        return 'restarted';
      },
      importRun: async (files) => {
        if (isRunFile(files)) return runActions.importRunFile(files[0]!);
        const fail = (text: string) => {
          setState((s) => ({ ...s, notices: [...s.notices, notice('error', text)] }));
          return null;
        };
        const client = clientRef.current;
        if (!client) return fail('The training worker is not running; reload the page.');
        let read;
        try {
          read = await readCheckpointFiles(files);
        } catch (err) {
          return fail(`${(err as Error).message} The current run is unchanged.`);
        }
        const runId = runIdRef.current + 1;
        try {
          const run = await client.importCheckpoint(read.name, read.meta, read.weights, runId);
          runIdRef.current = runId;
          setState((s) => ({
            ...resetRun(s, runId, run.config.model),
            step: run.step,
            epoch: run.epoch,
            notices: [
              ...s.notices,
              notice('info', `Loaded ${read.name} (${run.config.model}, step ${run.step}).`),
            ],
          }));
          return run.config;
        } catch (err) {
          return fail((err as Error).message);
        }
      },
      replaceDataset: async (dataset) => {
        const client = clientRef.current;
        const runId = runIdRef.current + 1;
        try {
          if (!client) throw new Error('The training worker is not running; reload the page.');
          const loaded = await client.replaceDataset(dataset, runId);
          runIdRef.current = runId;
          const d = loaded.dataset;
          setState((s) => ({
            ...resetRun(s, runId, s.model),
            dataset: d,
            probeLabels: loaded.probeLabels,
            probeImages: loaded.probeImages,
            notices: [
              ...s.notices,
              notice(
                'info',
                `Training on ${d.name}: ${d.trainCount.toLocaleString('en')} training and ${d.testCount.toLocaleString('en')} test images; a fresh model started.`,
              ),
            ],
          }));
          return true;
        } catch (err) {
          const text = `${(err as Error).message} The current run is unchanged.`;
          setState((s) => ({ ...s, notices: [...s.notices, notice('error', text)] }));
          return false;
        }
      },
      inspect: (query) =>
        clientRef.current?.inspect(query) ??
        Promise.reject(new Error('the training worker is not running')),
      addNotice: (kind, text) =>
        setState((s) => ({ ...s, notices: [...s.notices, notice(kind, text)] })),
      dismissNotice: (id) =>
        setState((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) })),
      ...runActions,
    }),
    [startWorker, runActions],
  );

  return [state, actions, runs];
}
