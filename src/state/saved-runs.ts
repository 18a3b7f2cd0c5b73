/**
 * The page's side of saved runs in IndexedDB: which entry each run id writes to (continuations
 * share their origin's entry), the list of saved runs, autosaves written with the history up to
 * their step, and storage problems shown once per distinct message until a save succeeds.
 */
import { MODEL_CATALOG, type ModelKind } from '../contracts/catalog';
import {
  historyBytes,
  historyUpTo,
  snapshotBytes,
  type RunHistory,
  type RunSnapshot,
} from '../contracts/run-file';
import { describeStorageError, type SavedRun, type SavedRunSummary } from './run-db';
import type { Notice, TrainingState } from './training-store';

/** Saved runs: run-db.ts in the browser, an in-memory map in tests. */
export interface RunDb {
  /** Newest first. */
  listRuns(): Promise<SavedRunSummary[]>;
  loadRun(id: string): Promise<SavedRun>;
  saveRun(run: SavedRun): Promise<void>;
  deleteRun(id: string): Promise<void>;
}

/** Where a run is saved. */
export interface StorageKey {
  id: string;
  name: string;
}

/** Which saved run the run on screen writes to (set once it saved or was restored). */
export interface RunOwner {
  runId: number;
  id: string;
}

export function historyOf(s: TrainingState): RunHistory {
  const { train, test, diagnosticsHistory, scheduleHistory, events } = s;
  return { train, test, diagnosticsHistory, scheduleHistory, events };
}

export const newKey = (name: string): StorageKey => ({
  id: `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  name,
});

export class SavedRuns {
  /** Newest first. */
  list: SavedRunSummary[] = [];
  owner: RunOwner | null = null;
  private readonly keys = new Map<number, StorageKey>();
  private written: RunSnapshot | null = null;
  private storageError: string | null = null;

  /** `changed` is told whenever `list` or `owner` changes. */
  constructor(
    readonly db: RunDb,
    private readonly changed: () => void,
    private readonly addNotice: (kind: Notice['kind'], text: string) => void,
  ) {}

  /** Shows a storage problem, once per distinct message until a save succeeds. */
  failed(what: string, err: unknown): void {
    const text = `${what}: ${describeStorageError(err)}.`;
    if (this.storageError === text) return;
    this.storageError = text;
    this.addNotice('error', text);
  }

  refresh(): Promise<void> {
    return this.db.listRuns().then(
      (list) => {
        this.list = list;
        this.changed();
      },
      (err: unknown) => this.failed('Could not list the saved runs', err),
    );
  }

  /** The entry run `runId` writes to, named after its model and the time, made on first use. */
  keyOf(runId: number, model: ModelKind): StorageKey {
    let key = this.keys.get(runId);
    if (!key) {
      const when = new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
      key = newKey(`${MODEL_CATALOG[model].label}, ${when}`);
      this.keys.set(runId, key);
    }
    return key;
  }

  /** Run `runId` continues the saved run `key` (a restore): it writes there from now on. */
  adopt(runId: number, key: StorageKey): void {
    this.keys.set(runId, key);
    this.owner = { runId, id: key.id };
    this.changed();
  }

  /** Writes the store's latest autosave past step 0, with the history up to its step. */
  write(s: TrainingState): void {
    const snapshot = s.lastSave;
    if (!snapshot || snapshot === this.written || snapshot.meta.step === 0) return;
    this.written = snapshot;
    const key = this.keyOf(s.runId, snapshot.meta.config.model);
    const history = historyUpTo(historyOf(s), snapshot.meta.step);
    const summary: SavedRunSummary = {
      id: key.id,
      name: key.name,
      model: snapshot.meta.config.model,
      step: snapshot.meta.step,
      savedAt: Date.now(),
      bytes: snapshotBytes(snapshot) + historyBytes(history),
    };
    this.db.saveRun({ summary, snapshot, history }).then(
      () => {
        this.storageError = null;
        this.owner = { runId: s.runId, id: key.id };
        this.changed();
        void this.refresh();
      },
      (err: unknown) => this.failed('Could not autosave the run', err),
    );
  }
}

/** The latest saved run, offered for resuming until the run on screen `runId` saves itself. */
export function resumableRun(
  list: readonly SavedRunSummary[],
  owner: RunOwner | null,
  runId: number,
): SavedRunSummary | null {
  const latest = list[0] ?? null;
  return latest && !(owner && owner.runId === runId && owner.id === latest.id) ? latest : null;
}
