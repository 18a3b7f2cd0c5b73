/**
 * The page's handle on the training worker: spawns it (as a module worker), sends typed
 * requests, forwards typed responses, and turns a crash of the worker into an error message.
 */
import type { WorkerRequest, WorkerResponse } from './protocol';

export type InitRequest = Extract<WorkerRequest, { type: 'init' }>;

export class TrainingClient {
  private worker: Worker | null = null;

  constructor(private readonly onResponse: (msg: WorkerResponse) => void) {}

  /** (Re)starts the worker with a fresh backend, dataset and model. */
  start(init: InitRequest): void {
    this.dispose();
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), {
      type: 'module',
      name: 'latent-lab-trainer',
    });
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      if (this.worker === worker) this.onResponse(event.data);
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

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
