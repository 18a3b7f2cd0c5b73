/**
 * Autosave, resume, export/import of whole runs, roll-back after divergence and recovery after
 * a crashed worker or a lost GPU, for useTrainingSession (which owns the client and the state).
 *
 * The split: the worker snapshots its run (weights, Adam, position) every few seconds and when
 * training stops (`autosave`); the page adds its history (curves, events) and writes both to
 * IndexedDB under the run's storage key. Every way back (resume, reopen, file import, roll-back,
 * crash recovery) is one `restore` request with a snapshot, plus the history to show.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { MODEL_CATALOG } from '../contracts/catalog';
import { trainConfigOf, type Settings } from '../state/settings';
import { BACKENDS, type BackendName, type TrainConfig } from '../contracts/config';
import {
  historyBytes,
  historyUpTo,
  snapshotBytes,
  type RunHistory,
  type RunSnapshot,
} from '../contracts/run-file';
import type { TrainingClient, UncheckedSnapshot } from '../worker/client';
import {
  deleteRun,
  describeStorageError,
  listRuns,
  loadRun,
  saveRun,
  type SavedRunSummary,
} from '../state/run-db';
import { downloadRunFile, readRunFile } from '../state/run-file-io';
import { notice, resetRun, type Notice, type TrainingState } from '../state/training-store';

/** Automatic restarts after crashes or device loss per page load, before giving up. */
const MAX_RECOVERIES = 3;

/** Where the run on screen is saved in IndexedDB. */
interface StorageKey {
  id: string;
  name: string;
}

export interface RunStorage {
  /** Saved runs in the browser, newest first. */
  savedRuns: SavedRunSummary[];
  /** The latest saved run, offered for resuming until the run on screen is saved itself. */
  resumable: SavedRunSummary | null;
}

export interface RunActions {
  /** Continues a saved run (its model, step, curves). Resolves with its config, or null. */
  openSavedRun: (id: string) => Promise<TrainConfig | null>;
  deleteSavedRun: (id: string) => Promise<void>;
  /** Downloads the run on screen as one .latentlab file. */
  exportRun: () => Promise<void>;
  /** Loads a .latentlab file in place of the run on screen. Resolves with its config, or null. */
  importRunFile: (file: File) => Promise<TrainConfig | null>;
  /** After divergence: back to the last autosave, with these (corrected) live settings. */
  rollback: (settings: Settings) => Promise<void>;
  /**
   * Moves the run on screen to a new worker on `backend`, exactly where it stands (a snapshot
   * taken now), training again if `resume`. Resolves false, changing nothing, when there is no
   * run worth moving (step 0) or its data cannot follow (only bundled MNIST is loaded by a new
   * worker itself); the caller then starts afresh.
   */
  moveRun: (backend: BackendName, resume: boolean) => Promise<boolean>;
}

/** The dataset a new worker loads by itself (others arrive from the page, see DatasetPanel). */
export const BUNDLED_DATASET = 'mnist';

export function historyOf(s: TrainingState): RunHistory {
  const { train, test, diagnosticsHistory, scheduleHistory, events } = s;
  return { train, test, diagnosticsHistory, scheduleHistory, events };
}

/** The backend after `b` in the fallback chain (the last one retries itself). */
export function nextBackend(b: BackendName): BackendName {
  return BACKENDS[Math.min(BACKENDS.indexOf(b) + 1, BACKENDS.length - 1)]!;
}

const newKey = (name: string): StorageKey => ({
  id: `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  name,
});

export function useRunPersistence(
  state: TrainingState,
  setState: (f: (s: TrainingState) => TrainingState) => void,
  clientRef: RefObject<TrainingClient | null>,
  runIdRef: RefObject<number>,
  /** Set here: what the session calls when the worker crashed or lost its device. */
  recoverRef: RefObject<((reason: string) => void) | null>,
  /** Absolute URL of the datasets/ folder, for a restarted worker's init. */
  datasetsUrl: () => string,
): [RunStorage, RunActions] {
  const [savedRuns, setSavedRuns] = useState<SavedRunSummary[]>([]);
  /** Which saved run the run on screen writes to (set once it saved or was restored). */
  const [owner, setOwner] = useState<{ runId: number; id: string } | null>(null);
  const stateRef = useRef(state);
  /** Storage key of each run id that is saved (continuations share their origin's key). */
  const keys = useRef(new Map<number, StorageKey>());
  const written = useRef<RunSnapshot | null>(null);
  const storageError = useRef<string | null>(null);
  const recoveries = useRef(0);

  const addNotice = useCallback(
    (kind: Notice['kind'], text: string) =>
      setState((s) => ({ ...s, notices: [...s.notices, notice(kind, text)] })),
    [setState],
  );
  /** Storage problems are always shown, once per distinct message until a save succeeds. */
  const storageFailed = useCallback(
    (what: string, err: unknown) => {
      const text = `${what}: ${describeStorageError(err)}.`;
      if (storageError.current === text) return;
      storageError.current = text;
      addNotice('error', text);
    },
    [addNotice],
  );
  const refreshList = useCallback(
    () =>
      listRuns().then(setSavedRuns, (err: unknown) =>
        storageFailed('Could not list the saved runs', err),
      ),
    [storageFailed],
  );

  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  useEffect(() => {
    void refreshList();
  }, [refreshList]);

  const keyOf = useCallback((runId: number, model: TrainingState['model']): StorageKey => {
    let key = keys.current.get(runId);
    if (!key) {
      const when = new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
      key = newKey(`${MODEL_CATALOG[model].label}, ${when}`);
      keys.current.set(runId, key);
    }
    return key;
  }, []);

  // Every autosave past step 0 goes to IndexedDB with the history up to its step.
  useEffect(() => {
    const snapshot = state.lastSave;
    if (!snapshot || snapshot === written.current || snapshot.meta.step === 0) return;
    written.current = snapshot;
    const key = keyOf(state.runId, snapshot.meta.config.model);
    const history = historyUpTo(historyOf(state), snapshot.meta.step);
    const summary: SavedRunSummary = {
      id: key.id,
      name: key.name,
      model: snapshot.meta.config.model,
      step: snapshot.meta.step,
      savedAt: Date.now(),
      bytes: snapshotBytes(snapshot) + historyBytes(history),
    };
    saveRun({ summary, snapshot, history }).then(
      () => {
        storageError.current = null;
        setOwner({ runId: state.runId, id: key.id });
        void refreshList();
      },
      (err: unknown) => storageFailed('Could not autosave the run', err),
    );
  }, [state, keyOf, refreshList, storageFailed]);

  // Hidden or leaving: ask for a snapshot now (it may not land before an unload; the
  // periodic autosave is the guarantee).
  useEffect(() => {
    const save = () => clientRef.current?.send({ type: 'save' });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', save);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', save);
    };
  }, [clientRef]);

  /**
   * The one way back: the worker swaps in `snapshot` (or refuses it, leaving the run as it is);
   * the page shows `history` (default: its own, cut at the snapshot's step).
   */
  const restore = useCallback(
    async (
      source: string,
      snapshot: UncheckedSnapshot,
      key: StorageKey,
      history: RunHistory | null,
      message: (config: TrainConfig, step: number) => string,
    ): Promise<TrainConfig | null> => {
      const client = clientRef.current;
      if (!client) {
        addNotice('error', 'The training worker is not running; reload the page.');
        return null;
      }
      const runId = runIdRef.current + 1;
      try {
        const run = await client.restore(source, snapshot, runId);
        runIdRef.current = runId;
        keys.current.set(runId, key);
        setOwner({ runId, id: key.id });
        setState((s) => ({
          ...resetRun(s, runId, run.config.model),
          ...(history ?? historyUpTo(historyOf(s), run.step)),
          step: run.step,
          epoch: run.epoch,
          notices: [...s.notices, notice('info', message(run.config, run.step))],
        }));
        return run.config;
      } catch (err) {
        addNotice('error', (err as Error).message);
        return null;
      }
    },
    [addNotice, clientRef, runIdRef, setState],
  );

  /**
   * A new worker on `backend` that continues `saved` (training again if `resume`); if the
   * snapshot is refused, the new worker shows a fresh model of the same settings.
   */
  const continueOn = useCallback(
    (
      backend: BackendName,
      source: string,
      saved: RunSnapshot,
      key: StorageKey,
      resumed: (step: number) => string,
      resume: boolean,
    ) => {
      const client = clientRef.current;
      if (!client) return;
      const config = saved.meta.config;
      runIdRef.current += 1;
      const initRunId = runIdRef.current;
      client.start({
        type: 'init',
        backend,
        config,
        datasetsUrl: datasetsUrl(),
        datasetId: saved.meta.dataset,
        runId: initRunId,
      });
      void restore(source, saved, key, null, (_c, step) => resumed(step)).then((ok) => {
        if (ok && resume) clientRef.current?.send({ type: 'play' });
        if (!ok) {
          // The new worker runs a fresh model of the same settings; show that one.
          runIdRef.current += 1;
          const runId = runIdRef.current;
          setState((st) => resetRun(st, runId, config.model));
          clientRef.current?.send({ type: 'reset', config, runId });
        }
      });
    },
    [clientRef, datasetsUrl, restore, runIdRef, setState],
  );

  // A crashed worker or a lost device: a new worker on the next backend, resumed from the
  // last autosave (training again if it was).
  useEffect(() => {
    recoverRef.current = (reason: string) => {
      const s = stateRef.current;
      const client = clientRef.current;
      if (!client) return;
      const saved = s.lastSave;
      if (!s.backend || !saved || recoveries.current >= MAX_RECOVERIES) {
        setState((st) => ({
          ...st,
          phase: 'failed',
          running: false,
          playing: false,
          notices: [...st.notices, notice('error', `${reason}. Reload the page to start again.`)],
        }));
        return;
      }
      recoveries.current++;
      const backend = nextBackend(s.backend);
      const key = keys.current.get(s.runId) ?? keyOf(s.runId, s.model);
      const wasRunning = s.playing;
      setState((st) => ({
        ...st,
        phase: 'starting',
        running: false,
        playing: false,
        loadingMessage: `Restarting the training worker on ${backend}…`,
        notices: [
          ...st.notices,
          notice(
            'warning',
            `${reason}. Restarted on the ${backend} backend from step ${saved.meta.step} (the last autosave).`,
          ),
        ],
      }));
      continueOn(
        backend,
        `the autosave at step ${saved.meta.step}`,
        saved,
        key,
        (step) => `Resumed at step ${step} on ${backend}.`,
        wasRunning,
      );
    };
    return () => {
      recoverRef.current = null;
    };
  }, [clientRef, continueOn, keyOf, recoverRef, setState]);

  const actions = useMemo<RunActions>(
    () => ({
      openSavedRun: async (id) => {
        let run;
        try {
          run = await loadRun(id);
        } catch (err) {
          storageFailed('Could not read the saved run', err);
          return null;
        }
        const { summary } = run;
        return restore(
          `the saved run "${summary.name}"`,
          run.snapshot,
          { id: summary.id, name: summary.name },
          run.history,
          (c, step) =>
            `Resumed "${summary.name}" (${MODEL_CATALOG[c.model].label}) at step ${step}.`,
        );
      },
      deleteSavedRun: async (id) => {
        try {
          await deleteRun(id);
        } catch (err) {
          storageFailed('Could not delete the saved run', err);
        }
        await refreshList();
      },
      exportRun: async () => {
        const client = clientRef.current;
        try {
          if (!client) throw new Error('the training worker is not running');
          const snapshot = await client.snapshot();
          const s = stateRef.current;
          const key = keyOf(s.runId, snapshot.meta.config.model);
          const { fileName, bytes } = downloadRunFile(snapshot, historyOf(s), key.name);
          const size = `${(bytes / 1e6).toFixed(1)} MB`;
          addNotice('info', `Exported ${fileName} (step ${snapshot.meta.step}, ${size}).`);
        } catch (err) {
          addNotice('error', `Could not export the run: ${(err as Error).message}.`);
        }
      },
      importRunFile: async (file) => {
        let contents;
        try {
          contents = await readRunFile(file);
        } catch (err) {
          const why = (err as Error).message;
          addNotice('error', `Could not load ${file.name}: ${why}. The current run is unchanged.`);
          return null;
        }
        return restore(
          file.name,
          contents,
          newKey(contents.name),
          contents.history,
          (c, step) => `Loaded ${file.name} (${MODEL_CATALOG[c.model].label}, step ${step}).`,
        );
      },
      rollback: async (settings) => {
        const s = stateRef.current;
        const saved = s.lastSave;
        if (!saved) return;
        const key = keys.current.get(s.runId) ?? keyOf(s.runId, s.model);
        const ok = await restore(
          `the autosave at step ${saved.meta.step}`,
          saved,
          key,
          null,
          (_c, step) => `Rolled back to step ${step}.`,
        );
        // Keep the settings changed since (e.g. a lower learning rate), not the saved ones.
        if (ok) clientRef.current?.send({ type: 'configure', config: trainConfigOf(settings) });
      },
      moveRun: async (backend, resume) => {
        const client = clientRef.current;
        const s = stateRef.current;
        if (!client || s.phase !== 'ready' || s.step === 0) return false;
        let saved: RunSnapshot;
        try {
          saved = await client.snapshot(); // exactly where it stands, not the last autosave
        } catch {
          return false;
        }
        if (saved.meta.dataset !== BUNDLED_DATASET || clientRef.current !== client) return false;
        const key = keys.current.get(s.runId) ?? keyOf(s.runId, s.model);
        setState((st) => ({
          ...st,
          phase: 'starting',
          running: false,
          playing: false,
          loadingMessage: `Moving the run to the ${backend} backend…`,
        }));
        continueOn(
          backend,
          `the run at step ${saved.meta.step}`,
          saved,
          key,
          (step) => `Moved the run to the ${backend} backend; it continues from step ${step}.`,
          resume,
        );
        return true;
      },
    }),
    [addNotice, clientRef, continueOn, keyOf, refreshList, restore, setState, storageFailed],
  );

  const latest = savedRuns[0] ?? null;
  const resumable =
    latest && !(owner && owner.runId === state.runId && owner.id === latest.id) ? latest : null;

  return [{ savedRuns, resumable }, actions];
}
