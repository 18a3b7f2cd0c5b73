/**
 * The page's handle on the training worker: spawns it (as a module worker), sends typed
 * requests, forwards typed responses, and turns a crash of the worker into an error message.
 */
import type { ImageDataset } from '../data/image-dataset';
import type { RunSnapshot } from '../contracts/run-file';
import type { InspectAnswer, InspectQuery, WorkerRequest, WorkerResponse } from './protocol';

export type InitRequest = Extract<WorkerRequest, { type: 'init' }>;
export type ImportedRun = Extract<WorkerResponse, { type: 'imported'; config: unknown }>;
export type LoadedDataset = Extract<WorkerResponse, { type: 'dataset'; runId: number }>;
export type RestoredRun = Extract<WorkerResponse, { type: 'restored'; config: unknown }>;
/** The model as a zip for PyTorch: its file name and bytes. */
export type PytorchExport = { fileName: string; zip: ArrayBuffer };
/** A snapshot as read from storage or a file: its meta not yet checked (the worker does). */
export type UncheckedSnapshot = Omit<RunSnapshot, 'meta'> & { meta: unknown };

export class TrainingClient {
  private worker: Worker | null = null;
  private nextInspectId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (a: InspectAnswer) => void; reject: (e: Error) => void }
  >();

  private readonly importing = new Map<
    number,
    { resolve: (a: ImportedRun) => void; reject: (e: Error) => void }
  >();

  private readonly loadingData = new Map<
    number,
    { resolve: (a: LoadedDataset) => void; reject: (e: Error) => void }
  >();

  private readonly snapshots = new Map<
    number,
    { resolve: (s: RunSnapshot) => void; reject: (e: Error) => void }
  >();

  private readonly pytorch = new Map<
    number,
    { resolve: (e: PytorchExport) => void; reject: (e: Error) => void }
  >();

  private readonly restoring = new Map<
    number,
    { resolve: (r: RestoredRun) => void; reject: (e: Error) => void }
  >();

  /**
   * `onCrash`, when given, is told about a crash of the worker (with the browser's message)
   * instead of a fatal error response, so the session can restart it and resume.
   */
  constructor(
    private readonly onResponse: (msg: WorkerResponse) => void,
    private readonly onCrash?: (message: string) => void,
  ) {}

  /** (Re)starts the worker with a fresh backend, dataset and model. */
  start(init: InitRequest): void {
    this.dispose();
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), {
      type: 'module',
      name: 'latent-lab-trainer',
    });
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      if (this.worker !== worker) return;
      const msg = event.data;
      if (msg.type === 'imported') {
        const w = this.importing.get(msg.id);
        this.importing.delete(msg.id);
        if ('error' in msg) w?.reject(new Error(msg.error));
        else w?.resolve(msg);
        return;
      }
      if (msg.type === 'dataset') {
        const w = this.loadingData.get(msg.id);
        this.loadingData.delete(msg.id);
        if ('error' in msg) w?.reject(new Error(msg.error));
        else w?.resolve(msg);
        return;
      }
      if (msg.type === 'snapshot') {
        const w = this.snapshots.get(msg.id);
        this.snapshots.delete(msg.id);
        if ('error' in msg) w?.reject(new Error(msg.error));
        else w?.resolve(msg.snapshot);
        return;
      }
      if (msg.type === 'pytorch') {
        const w = this.pytorch.get(msg.id);
        this.pytorch.delete(msg.id);
        if ('error' in msg) w?.reject(new Error(msg.error));
        else w?.resolve({ fileName: msg.fileName, zip: msg.zip });
        return;
      }
      if (msg.type === 'restored') {
        const w = this.restoring.get(msg.id);
        this.restoring.delete(msg.id);
        if ('error' in msg) w?.reject(new Error(msg.error));
        else w?.resolve(msg);
        return;
      }
      if (msg.type === 'inspection') {
        const w = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        if ('answer' in msg) w?.resolve(msg.answer);
        else w?.reject(new Error(msg.error));
        return;
      }
      this.onResponse(msg);
    };
    worker.onerror = (event: ErrorEvent) => {
      if (this.worker !== worker) return;
      event.preventDefault();
      if (this.onCrash) {
        this.onCrash(event.message || 'unknown error');
        return;
      }
      this.onResponse({
        type: 'error',
        fatal: true,
        message: `The training worker crashed: ${event.message || 'unknown error'}. Reload the page to start again.`,
      });
    };
    this.worker = worker;
    worker.postMessage(init);
  }

  send(req: WorkerRequest): void {
    this.worker?.postMessage(req);
  }

  /**
   * Asks the worker a question about the current model. Rejects with the worker's reason, or when
   * the worker is replaced before it answers.
   */
  inspect(query: InspectQuery): Promise<InspectAnswer> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'inspect', id, query } satisfies WorkerRequest);
    });
  }

  /**
   * Replaces the run by a checkpoint. Resolves with the loaded run's config once the worker has
   * swapped it in (responses of `runId` follow); rejects with a message naming the file and the
   * problem, in which case the worker kept the current run.
   */
  importCheckpoint(
    fileName: string,
    meta: unknown,
    weights: ArrayBuffer,
    runId: number,
  ): Promise<ImportedRun> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    return new Promise((resolve, reject) => {
      this.importing.set(id, { resolve, reject });
      worker.postMessage(
        { type: 'import', id, runId, fileName, meta, weights } satisfies WorkerRequest,
        [weights],
      );
    });
  }

  /**
   * Trains on other data from now on. The dataset's buffers are moved to the worker (they are
   * empty here afterwards). Resolves once the worker trains a fresh model on it (responses of
   * `runId` follow); rejects with the reason, in which case the worker kept the current run.
   */
  replaceDataset(dataset: ImageDataset, runId: number): Promise<LoadedDataset> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    const buffers = [dataset.train, dataset.test].flatMap((s) => [
      s.images.buffer,
      s.labels.buffer,
    ]);
    return new Promise((resolve, reject) => {
      this.loadingData.set(id, { resolve, reject });
      worker.postMessage({ type: 'dataset', id, runId, dataset } satisfies WorkerRequest, [
        ...new Set(buffers),
      ]);
    });
  }

  /** The run as a snapshot, taken by the worker between steps (for export). */
  snapshot(): Promise<RunSnapshot> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    return new Promise((resolve, reject) => {
      this.snapshots.set(id, { resolve, reject });
      worker.postMessage({ type: 'snapshot', id } satisfies WorkerRequest);
    });
  }

  /** The model on screen as a zip for PyTorch, built by the worker between steps. */
  exportPytorch(templatesUrl: string): Promise<PytorchExport> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    return new Promise((resolve, reject) => {
      this.pytorch.set(id, { resolve, reject });
      worker.postMessage({ type: 'exportPytorch', id, templatesUrl } satisfies WorkerRequest);
    });
  }

  /**
   * Replaces the run by a snapshot (copied: the caller keeps its buffers). Resolves once the
   * worker has swapped it in (responses of `runId` follow); rejects with a message naming
   * `fileName` and the problem, in which case the worker kept the current run.
   */
  restore(fileName: string, snapshot: UncheckedSnapshot, runId: number): Promise<RestoredRun> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextInspectId++;
    const weights = snapshot.weights.slice(0);
    const state = snapshot.state.slice(0);
    const order = snapshot.order.slice();
    return new Promise((resolve, reject) => {
      this.restoring.set(id, { resolve, reject });
      worker.postMessage(
        {
          type: 'restore',
          id,
          runId,
          fileName,
          meta: snapshot.meta,
          weights,
          state,
          order,
        } satisfies WorkerRequest,
        [weights, state, order.buffer],
      );
    });
  }

  dispose(): void {
    for (const m of [this.snapshots, this.restoring, this.pytorch] as Map<
      number,
      { reject: (e: Error) => void }
    >[]) {
      for (const w of m.values()) w.reject(new Error('the training worker was restarted'));
      m.clear();
    }
    for (const w of this.loadingData.values())
      w.reject(new Error('the training worker was restarted'));
    this.loadingData.clear();
    for (const w of this.importing.values())
      w.reject(new Error('the training worker was restarted'));
    this.importing.clear();
    for (const w of this.waiting.values()) w.reject(new Error('the training worker was restarted'));
    this.waiting.clear();
    this.worker?.terminate();
    this.worker = null;
  }
}
