/**
 * The run on the page, without React: one worker client, its responses reduced into the run
 * store, and every way a run starts, stops or comes back.
 *
 * The worker snapshots its run every few seconds and when training stops (`autosave`); this
 * session writes each one with the history up to its step to the run db (saved-runs.ts). Every
 * way back is one `restore` request with a snapshot plus the history to show: resuming a saved
 * run, a .latentlab file, rolling back after divergence (with the settings as they are now),
 * recovering from a crashed worker or lost GPU (a new worker on the next backend, from the last
 * autosave) and moving the run to another backend (a new worker, from a snapshot taken now).
 *
 * Inputs: a worker-client factory, the run store, the run db (their types, and RunStateCell, are
 * in state/run-session-deps.ts). Outputs: store updates (notices among them) and
 * `onSavedRunsChange` when the list of saved runs changes.
 */
import { MODEL_CATALOG } from '../contracts/catalog';
import { BACKENDS, type BackendName, type TrainConfig } from '../contracts/config';
import { historyUpTo, type RunHistory, type RunSnapshot } from '../contracts/run-file';
import type { PytorchExport, UncheckedSnapshot } from '../worker/client';
import type { InspectAnswer, InspectQuery, WorkerResponse } from '../worker/protocol';
import { rememberStoredBytes } from './run-db';
import type { RunSessionDeps, RunStore, WorkerClient } from './run-session-deps';
import { historyOf, SavedRuns, type StorageKey } from './saved-runs';
import { trainConfigOf, type Settings } from './settings';
import { applyResponse, initialState, notice, resetRun, type Notice } from './training-store';

/** Automatic restarts after crashes or device loss per page load, before giving up. */
const MAX_RECOVERIES = 3;

/** The dataset a new worker loads by itself (others arrive from the page, see DatasetPanel). */
export const BUNDLED_DATASET = 'mnist';

/** The backend after `b` in the fallback chain (the last one retries itself). */
export function nextBackend(b: BackendName): BackendName {
  return BACKENDS[Math.min(BACKENDS.indexOf(b) + 1, BACKENDS.length - 1)]!;
}

const NOT_RUNNING = 'The training worker is not running; reload the page.';

export class RunSession {
  readonly saved: SavedRuns;
  private client: WorkerClient | null;
  readonly store: RunStore;
  /** Stamped on every request that brings a new run, so stale responses can be dropped. */
  private runId = 0;
  private recoveries = 0;

  constructor(private readonly deps: RunSessionDeps) {
    this.store = deps.store;
    this.saved = new SavedRuns(
      deps.db,
      () => deps.onSavedRunsChange?.(),
      (kind, text) => this.addNotice(kind, text),
    );
    this.client = deps.createClient(
      (msg) => this.onResponse(msg),
      (message) => this.recover(`The training worker crashed (${message})`),
    );
    void this.saved.refresh();
  }

  /** The id of the run on screen. */
  get currentRunId(): number {
    return this.runId;
  }

  /** The run as a snapshot, taken by the worker between steps. */
  snapshot(): Promise<RunSnapshot> {
    return (
      this.client?.snapshot() ?? Promise.reject(new Error('the training worker is not running'))
    );
  }

  /** The model on screen as a zip for PyTorch, built by the worker between steps. */
  exportPytorch(templatesUrl: string): Promise<PytorchExport> {
    return (
      this.client?.exportPytorch?.(templatesUrl) ??
      Promise.reject(new Error('the training worker is not running'))
    );
  }

  /** A new worker on `settings.backend` with a fresh run (see WorkerRequest 'init'). */
  start(settings: Settings, backendIsDefault = false): void {
    const runId = ++this.runId;
    this.store.update((s) => ({ ...initialState(), runId, notices: s.notices }));
    this.client?.start({
      type: 'init',
      backend: settings.backend,
      config: trainConfigOf(settings),
      datasetsUrl: this.deps.datasetsUrl,
      datasetId: BUNDLED_DATASET, // other datasets arrive by replaceDataset (DatasetPanel)
      runId,
      backendIsDefault,
    });
  }

  play = () => this.client?.send({ type: 'play' });
  pause = () => this.client?.send({ type: 'pause' });
  step = (count = 1) => this.client?.send({ type: 'step', count });
  /** Page hidden or leaving: a snapshot now (the periodic autosave is the guarantee). */
  saveNow = () => this.client?.send({ type: 'save' });

  /** A fresh model with these settings, same worker and backend. */
  reset(settings: Settings): void {
    const runId = ++this.runId;
    this.store.update((s) => resetRun(s, runId, settings.model));
    this.client?.send({ type: 'reset', config: trainConfigOf(settings), runId });
  }

  configure(settings: Settings): void {
    this.client?.send({ type: 'configure', config: trainConfigOf(settings) });
  }

  inspect(query: InspectQuery): Promise<InspectAnswer> {
    return (
      this.client?.inspect(query) ?? Promise.reject(new Error('the training worker is not running'))
    );
  }

  addNotice(kind: Notice['kind'], text: string): void {
    this.store.update((s) => ({ ...s, notices: [...s.notices, notice(kind, text)] }));
  }

  dismissNotice(id: number): void {
    this.store.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
  }

  /** Continues the run on screen on `settings.backend` where it stands, or starts afresh. */
  async switchBackend(settings: Settings, resume: boolean): Promise<'moved' | 'restarted'> {
    if (await this.moveRun(settings.backend, resume)) return 'moved';
    this.start(settings);
    return 'restarted';
  }

  /**
   * Moves the run on screen to a new worker on `backend`, exactly where it stands (a snapshot
   * taken now), training again if `resume`. Resolves false, changing nothing, when there is no
   * run worth moving (step 0) or its data cannot follow (a new worker loads only bundled MNIST).
   */
  async moveRun(backend: BackendName, resume: boolean): Promise<boolean> {
    const client = this.client;
    const s = this.store.get();
    if (!client || s.phase !== 'ready' || s.step === 0) return false;
    let saved: RunSnapshot;
    try {
      saved = await client.snapshot(); // exactly where it stands, not the last autosave
    } catch {
      return false;
    }
    if (saved.meta.dataset !== BUNDLED_DATASET || this.client !== client) return false;
    const key = this.saved.keyOf(s.runId, s.model);
    this.store.update((st) => ({
      ...st,
      phase: 'starting',
      running: false,
      playing: false,
      loadingMessage: `Moving the run to the ${backend} backend…`,
    }));
    this.continueOn(
      backend,
      `the run at step ${saved.meta.step}`,
      saved,
      key,
      resume,
      (step) => `Moved the run to the ${backend} backend; it continues from step ${step}.`,
    );
    return true;
  }

  /** After divergence: back to the last autosave, with these (corrected) live settings. */
  async rollback(settings: Settings): Promise<void> {
    const s = this.store.get();
    const saved = s.lastSave;
    if (!saved) return;
    const key = this.saved.keyOf(s.runId, s.model);
    const source = `the autosave at step ${saved.meta.step}`;
    const ok = await this.restore(
      source,
      saved,
      key,
      null,
      (_c, step) => `Rolled back to step ${step}.`,
    );
    // Keep the settings changed since (e.g. a lower learning rate), not the saved ones.
    if (ok) this.client?.send({ type: 'configure', config: trainConfigOf(settings) });
  }

  /** A crashed worker or a lost device: a new worker on the next backend, from the last autosave. */
  recover(reason: string): void {
    const s = this.store.get();
    if (!this.client) return;
    const saved = s.lastSave;
    if (!s.backend || !saved || this.recoveries >= MAX_RECOVERIES) {
      this.store.update((st) => ({
        ...st,
        phase: 'failed',
        running: false,
        playing: false,
        notices: [...st.notices, notice('error', `${reason}. Reload the page to start again.`)],
      }));
      return;
    }
    this.recoveries++;
    const backend = nextBackend(s.backend);
    const key = this.saved.keyOf(s.runId, s.model);
    const from = `from step ${saved.meta.step} (the last autosave)`;
    this.store.update((st) => ({
      ...st,
      phase: 'starting',
      running: false,
      playing: false,
      loadingMessage: `Restarting the training worker on ${backend}…`,
      notices: [
        ...st.notices,
        notice('warning', `${reason}. Restarted on the ${backend} backend ${from}.`),
      ],
    }));
    // It trains again if it was training.
    const source = `the autosave at step ${saved.meta.step}`;
    this.continueOn(
      backend,
      source,
      saved,
      key,
      s.playing,
      (step) => `Resumed at step ${step} on ${backend}.`,
    );
  }

  /** Continues a saved run (its model, step, curves). Resolves with its config, or null. */
  async openSavedRun(id: string): Promise<TrainConfig | null> {
    let run;
    try {
      run = await this.saved.db.loadRun(id);
    } catch (err) {
      this.saved.failed('Could not read the saved run', err);
      return null;
    }
    const { summary } = run;
    const key = { id: summary.id, name: summary.name };
    return this.restore(
      `the saved run "${summary.name}"`,
      run.snapshot,
      key,
      run.history,
      (c, step) => `Resumed "${summary.name}" (${MODEL_CATALOG[c.model].label}) at step ${step}.`,
    );
  }

  async deleteSavedRun(id: string): Promise<void> {
    try {
      await this.saved.db.deleteRun(id);
    } catch (err) {
      this.saved.failed('Could not delete the saved run', err);
    }
    await this.saved.refresh();
  }

  /** Stops the worker; the session answers nothing from now on. */
  dispose(): void {
    this.client?.dispose();
    this.client = null;
  }

  private onResponse(msg: WorkerResponse): void {
    if (msg.type === 'device-lost')
      this.recover(`The ${msg.backend} GPU device was lost (${msg.message})`);
    const steady = msg.type === 'metrics' || msg.type === 'eval';
    this.store.update((s) => applyResponse(s, msg), steady);
    if (msg.type === 'autosave') {
      if (msg.stored) rememberStoredBytes(msg.snapshot, msg.stored);
      this.saved.write(this.store.get());
    }
  }

  /**
   * Asks the worker for a new run stamped with the next run id, which becomes the run on screen's
   * once the worker took it. Rejects (the run on screen unchanged) when the worker refused it.
   */
  async newRun<T>(ask: (client: WorkerClient, runId: number) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new Error(NOT_RUNNING);
    const runId = this.runId + 1;
    const answer = await ask(client, runId);
    this.runId = runId;
    return answer;
  }

  /**
   * The one way back: the worker swaps in `snapshot` (or refuses it, leaving the run as it is);
   * the page shows `history` (default: its own, cut at the snapshot's step).
   */
  async restore(
    source: string,
    snapshot: UncheckedSnapshot,
    key: StorageKey,
    history: RunHistory | null,
    message: (config: TrainConfig, step: number) => string,
  ): Promise<TrainConfig | null> {
    try {
      const run = await this.newRun((client, runId) => client.restore(source, snapshot, runId));
      const runId = this.runId;
      this.saved.adopt(runId, key);
      this.store.update((s) => ({
        ...resetRun(s, runId, run.config.model),
        ...(history ?? historyUpTo(historyOf(s), run.step)),
        step: run.step,
        epoch: run.epoch,
        notices: [...s.notices, notice('info', message(run.config, run.step))],
      }));
      return run.config;
    } catch (err) {
      this.addNotice('error', (err as Error).message);
      return null;
    }
  }

  /**
   * A new worker on `backend` that continues `saved` (training again if `resume`); if the
   * snapshot is refused, the new worker shows a fresh model of the same settings.
   */
  private continueOn(
    backend: BackendName,
    source: string,
    saved: RunSnapshot,
    key: StorageKey,
    resume: boolean,
    resumed: (step: number) => string,
  ): void {
    const client = this.client;
    if (!client) return;
    const config = saved.meta.config;
    const initRunId = ++this.runId;
    client.start({
      type: 'init',
      backend,
      config,
      datasetsUrl: this.deps.datasetsUrl,
      datasetId: saved.meta.dataset,
      runId: initRunId,
    });
    void this.restore(source, saved, key, null, (_c, step) => resumed(step)).then((ok) => {
      if (ok && resume) this.client?.send({ type: 'play' });
      if (!ok) {
        // The new worker runs a fresh model of the same settings; show that one.
        const runId = ++this.runId;
        this.store.update((st) => resetRun(st, runId, config.model));
        this.client?.send({ type: 'reset', config, runId });
      }
    });
  }
}
