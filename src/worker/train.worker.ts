/// <reference lib="webworker" />
/**
 * The training worker's entry: starts the backend and loads the bundled dataset on `init`, then
 * hands every request to the run's TrainingSession (session.ts), one at a time and in order.
 * "pause" and the requests that bring a new run wait for the training loop to stop.
 */
import { loadImageDataset } from '../data/image-dataset';
import { deviceMemory, startBackend } from '../backends/setup';
import { watchDeviceLoss } from '../train/device-loss';
import type { BenchmarkRequest, BenchmarkResponse } from './device-benchmark-protocol';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { configureWasmPaths } from '../backends/wasm/wasm-paths';
import { datasetInfo } from './next-run';
import { TrainingSession } from './session';

declare const self: DedicatedWorkerGlobalScope;

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const session = new TrainingSession(post, deviceMemory);

/** Starts the backend, loads the dataset and builds the first model; answered by `ready`. */
async function init(req: Extract<WorkerRequest, { type: 'init' }>): Promise<void> {
  // The dataset downloads and decompresses while the backend starts (it needs no TF.js);
  // its error, if any, is reported once the backend is up.
  const loading = loadImageDataset(req.datasetsUrl, req.datasetId);
  loading.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  post({ type: 'loading', message: `Starting the ${req.backend} backend…` });
  const { backend, notices } = await startBackend(req.backend, {
    beforeWasm: configureWasmPaths,
    softwareRenderers: req.backendIsDefault ? 'skip' : 'skip-fallbacks',
  });
  watchDeviceLoss((message) => {
    session.halt();
    post({ type: 'device-lost', backend, message });
  });
  post({ type: 'loading', message: `Loading ${req.datasetId.toUpperCase()}…` });
  const dataset = await loading;
  const count = dataset.train.count.toLocaleString('en');
  post({ type: 'loading', message: `Uploading ${count} images to ${backend}…` });
  const probes = await session.begin(dataset, req.config, req.runId);
  post({
    type: 'ready',
    backend,
    backendNotices: notices,
    dataset: datasetInfo(dataset),
    ...probes,
    config: req.config,
    initRunId: req.runId,
  });
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'init':
      return init(req);
    case 'play':
      return session.play();
    case 'pause':
      return session.pause();
    case 'step':
      return session.step(req.count);
    case 'reset':
      return session.reset(req.config, req.runId);
    case 'configure':
      return session.configure(req.config);
    case 'import':
      return session.importCheckpoint(req);
    case 'dataset':
      return session.replaceDataset(req);
    case 'save':
      return session.save();
    case 'snapshot':
      return session.snapshot(req.id);
    case 'exportPytorch':
      return session.exportPytorch(req.id, req.templatesUrl);
    case 'restore':
      return session.restore(req);
    case 'inspect':
      return session.inspect(req);
    default: {
      const unknown: never = req;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

/** Requests waiting their turn: handled one at a time, in order of arrival, except … */
const pending: WorkerRequest[] = [];
let pumping = false;

function enqueue(req: WorkerRequest): void {
  let at = pending.length;
  // … that "play" goes ahead of the inspections waiting at the end of the queue (the panels ask
  // for several as soon as a model is ready): they are read-only queries, which are answered in
  // between training steps once the loop runs anyway, so the first step need not wait for them.
  if (req.type === 'play') while (at > 0 && pending[at - 1]!.type === 'inspect') at--;
  pending.splice(at, 0, req);
  if (!pumping) void pump();
}

async function pump(): Promise<void> {
  pumping = true;
  for (let req = pending.shift(); req; req = pending.shift()) {
    const r = req;
    await handle(r).catch((err: unknown) => {
      post({ type: 'error', fatal: r.type === 'init', message: (err as Error).message });
    });
  }
  pumping = false;
}

self.onmessage = (event: MessageEvent<WorkerRequest | BenchmarkRequest>) => {
  const req = event.data;
  if (req.type === 'measure') {
    // This instance is a device-benchmark worker (device-benchmark-client.ts), not a trainer:
    // the same script, so that it shares TF.js's chunks rather than bundling its own copy.
    void import('./device-benchmark').then((m) =>
      m.serveBenchmark(req, (msg: BenchmarkResponse) => self.postMessage(msg)),
    );
    return;
  }
  enqueue(req);
};
