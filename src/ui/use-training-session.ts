/**
 * React binding of the run session (state/run-session.ts): one session per page, its store
 * mirrored into React state, its saved runs into the list the Runs panel shows, and the
 * actions the controls need. Everything that happens to a run is decided in the session.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Settings } from '../state/settings';
import type { BackendName, TrainConfig } from '../contracts/config';
import { TrainingClient } from '../worker/client';
import type { InspectAnswer, InspectQuery } from '../worker/protocol';
import type { ImageDataset } from '../data/image-dataset';
import { listRuns, loadRun, saveRun, deleteRun, type SavedRunSummary } from '../state/run-db';
import {
  exportPytorch,
  exportRun,
  importRun,
  importRunFile,
  replaceDataset,
} from '../state/run-loads';
import { RunSession } from '../state/run-session';
import { RunStateCell } from '../state/run-session-deps';
import { loadPretrained } from '../state/pretrained';
import { resumableRun, type RunOwner } from '../state/saved-runs';
import { initialState, notice, type Notice, type TrainingState } from '../state/training-store';

export interface RunStorage {
  /** Saved runs in the browser, newest first. */
  savedRuns: SavedRunSummary[];
  /** The latest saved run, offered for resuming until the run on screen is saved itself. */
  resumable: SavedRunSummary | null;
}

export interface TrainingActions {
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
  /** Loads a checkpoint or a .latentlab file in place of the run. Its config, or null. */
  importRun: (files: File[]) => Promise<TrainConfig | null>;
  /** Trains a fresh model (same settings) on other data. True once it trains on them. */
  replaceDataset: (dataset: ImageDataset) => Promise<boolean>;
  /** Asks the worker about the current model (decode a grid, interpolate …). */
  inspect: (query: InspectQuery) => Promise<InspectAnswer>;
  addNotice: (kind: Notice['kind'], text: string) => void;
  dismissNotice: (id: number) => void;
  /** Continues a saved run (its model, step, curves). Resolves with its config, or null. */
  openSavedRun: (id: string) => Promise<TrainConfig | null>;
  deleteSavedRun: (id: string) => Promise<void>;
  /** Downloads the run on screen as one .latentlab file. */
  exportRun: () => Promise<void>;
  /** Downloads the model on screen for PyTorch (a zip: weights, model.py, train.py …). */
  exportPytorch: () => Promise<void>;
  /** Loads a .latentlab file in place of the run on screen. Resolves with its config, or null. */
  importRunFile: (file: File) => Promise<TrainConfig | null>;
  /** After divergence: back to the last autosave, with these (corrected) live settings. */
  rollback: (settings: Settings) => Promise<void>;
  /** Moves the run on screen to a new worker on `backend` (see RunSession.moveRun). */
  moveRun: (backend: BackendName, resume: boolean) => Promise<boolean>;
  /**
   * Loads the trained model `id` of public/pretrained/manifest.json in place of the run (fetched
   * now, not before). Resolves with its config for the controls, or null after a notice.
   */
  loadPretrained: (id: string) => Promise<TrainConfig | null>;
}

function datasetsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}datasets/`, window.location.href).href;
}

/** The Python templates of the PyTorch export (public/pytorch/), fetched when exporting. */
function pytorchTemplatesUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}pytorch/`, window.location.href).href;
}

function pretrainedUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}pretrained/`, window.location.href).href;
}

const NOT_RUNNING = () => Promise.reject(new Error('the training worker is not running'));

export function useTrainingSession(
  initial: Settings,
  initialNotices: string[],
  initialBackendIsDefault = false,
): [TrainingState, TrainingActions, RunStorage] {
  const [store] = useState(
    () =>
      new RunStateCell({
        ...initialState(),
        notices: initialNotices.map((t) => notice('warning', t)),
      }),
  );
  const [state, setState] = useState(() => store.get());
  const [saved, setSaved] = useState<{ list: SavedRunSummary[]; owner: RunOwner | null }>({
    list: [],
    owner: null,
  });
  const sessionRef = useRef<RunSession | null>(null);
  const initialRef = useRef({ settings: initial, backendIsDefault: initialBackendIsDefault });

  useEffect(() => {
    // Training's steady stream (loss curves, evaluations) re-renders most panels: it is
    // coalesced to one render per animation frame, the latest state winning; anything else
    // (a click, a notice, a phase change) renders at once and supersedes a waiting frame.
    let frame = 0;
    let waiting: TrainingState | null = null;
    const stopListening = store.listen((s, lowPriority) => {
      if (!lowPriority) {
        if (frame) cancelAnimationFrame(frame);
        frame = 0;
        waiting = null;
        setState(s);
        return;
      }
      waiting = s;
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        if (waiting) setState(waiting);
        waiting = null;
      });
    });
    const stop = () => {
      if (frame) cancelAnimationFrame(frame);
      stopListening();
    };
    const session = new RunSession({
      createClient: (onResponse, onCrash) => new TrainingClient(onResponse, onCrash),
      store,
      db: { listRuns, loadRun, saveRun, deleteRun },
      datasetsUrl: datasetsUrl(),
      onSavedRunsChange: () => setSaved({ list: session.saved.list, owner: session.saved.owner }),
    });
    sessionRef.current = session;
    session.start(initialRef.current.settings, initialRef.current.backendIsDefault);
    // Hidden or leaving: ask for a snapshot now (it may not land before an unload; the
    // periodic autosave is the guarantee).
    const save = () => session.saveNow();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', save);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', save);
      session.dispose();
      sessionRef.current = null;
      stop();
    };
  }, [store]);

  const actions = useMemo<TrainingActions>(() => {
    const on = <T>(act: (s: RunSession) => T, none: () => T): T => {
      const session = sessionRef.current;
      return session ? act(session) : none();
    };
    const nothing = () => undefined;
    const noRun = () => Promise.resolve(null);
    return {
      play: () => on((s) => s.play(), nothing),
      pause: () => on((s) => s.pause(), nothing),
      step: (count) => on((s) => s.step(count), nothing),
      reset: (settings) => on((s) => s.reset(settings), nothing),
      configure: (settings) => on((s) => s.configure(settings), nothing),
      restart: (settings, isDefault) => on((s) => s.start(settings, isDefault), nothing),
      switchBackend: (settings, resume) =>
        on(
          (s) => s.switchBackend(settings, resume),
          () => Promise.resolve('restarted' as const),
        ),
      importRun: (files) => on((s) => importRun(s, files), noRun),
      replaceDataset: (dataset) =>
        on(
          (s) => replaceDataset(s, dataset),
          () => Promise.resolve(false),
        ),
      inspect: (query) => on((s) => s.inspect(query), NOT_RUNNING),
      addNotice: (kind, text) =>
        store.update((s) => ({ ...s, notices: [...s.notices, notice(kind, text)] })),
      dismissNotice: (id) =>
        store.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) })),
      openSavedRun: (id) => on((s) => s.openSavedRun(id), noRun),
      deleteSavedRun: (id) =>
        on(
          (s) => s.deleteSavedRun(id),
          () => Promise.resolve(),
        ),
      exportRun: () =>
        on(
          (s) => exportRun(s),
          () => Promise.resolve(),
        ),
      exportPytorch: () =>
        on(
          (s) => exportPytorch(s, pytorchTemplatesUrl()),
          () => Promise.resolve(),
        ),
      importRunFile: (file) => on((s) => importRunFile(s, file), noRun),
      rollback: (settings) =>
        on(
          (s) => s.rollback(settings),
          () => Promise.resolve(),
        ),
      moveRun: (backend, resume) =>
        on(
          (s) => s.moveRun(backend, resume),
          () => Promise.resolve(false),
        ),
      loadPretrained: (id) => on((s) => loadPretrained(s, id, pretrainedUrl()), noRun),
    };
  }, [store]);

  const resumable = resumableRun(saved.list, saved.owner, state.runId);
  return [state, actions, { savedRuns: saved.list, resumable }];
}
