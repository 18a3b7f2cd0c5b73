/**
 * What the run session (state/run-session.ts) works with: the worker client it drives (a fake in
 * tests), the run store it reduces responses into, with RunStateCell, a store that holds the
 * state itself, and the dependencies it is built from.
 */
import type { TrainingClient } from '../worker/client';
import type { WorkerResponse } from '../worker/protocol';
import type { RunDb } from './saved-runs';
import type { TrainingState } from './training-store';

/** What the session needs of a TrainingClient (a fake in tests). */
export type WorkerClient = Pick<
  TrainingClient,
  'start' | 'send' | 'inspect' | 'importCheckpoint' | 'replaceDataset' | 'snapshot' | 'restore'
> &
  Partial<Pick<TrainingClient, 'exportPytorch'>> & { dispose(): void };

/** The training state the page shows; `lowPriority` marks training's steady stream. */
export interface RunStore {
  get(): TrainingState;
  update(change: (s: TrainingState) => TrainingState, lowPriority?: boolean): void;
}

export interface RunSessionDeps {
  /** Makes the client; `onCrash` is told when its worker crashed (with the browser's message). */
  createClient: (
    onResponse: (msg: WorkerResponse) => void,
    onCrash: (message: string) => void,
  ) => WorkerClient;
  store: RunStore;
  db: RunDb;
  /** Absolute URL of the datasets/ folder, for a worker's init. */
  datasetsUrl: string;
  /** Told when the list of saved runs or the entry the run on screen writes to changes. */
  onSavedRunsChange?: () => void;
}

/** A RunStore that holds the state itself and tells its listener of every change. */
export class RunStateCell implements RunStore {
  private listener: ((s: TrainingState, lowPriority: boolean) => void) | null = null;

  constructor(private state: TrainingState) {}

  get(): TrainingState {
    return this.state;
  }

  update(change: (s: TrainingState) => TrainingState, lowPriority = false): void {
    this.state = change(this.state);
    this.listener?.(this.state, lowPriority);
  }

  /** Tells `listener` of every change from now on; returns the way to stop. */
  listen(listener: (s: TrainingState, lowPriority: boolean) => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }
}
