/**
 * The page's handle on the training worker: spawns it (as a module worker), sends typed
 * requests, forwards typed responses, and turns a crash of the worker into an error message.
 */
import type { InspectAnswer, InspectQuery, WorkerRequest, WorkerResponse } from './protocol';

export type InitRequest = Extract<WorkerRequest, { type: 'init' }>;
export type ImportedRun = Extract<WorkerResponse, { type: 'imported'; config: unknown }>;

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

  constructor(private readonly onResponse: (msg: WorkerResponse) => void) {}

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

  dispose(): void {
    for (const w of this.importing.values())
      w.reject(new Error('the training worker was restarted'));
    this.importing.clear();
    for (const w of this.waiting.values()) w.reject(new Error('the training worker was restarted'));
    this.waiting.clear();
    this.worker?.terminate();
    this.worker = null;
  }
}
