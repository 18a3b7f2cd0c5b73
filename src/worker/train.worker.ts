/// <reference lib="webworker" />
/**
 * The training worker: owns the backend, the dataset on the device, the model and every tensor.
 * A scheduler runs trainer steps while playing (or for a fixed count on "step"), reads the loss
 * back asynchronously at most every READBACK_MS, and evaluates the probe set on a time budget.
 * Requests are handled one at a time, in order; "pause" and "reset" wait for the loop to stop.
 */
import { ThroughputMeter } from '../core/throughput';
import { checkImageDataset } from '../data/check-dataset';
import { loadImageDataset, type ImageDataset } from '../data/image-dataset';
import { deviceMemory, startBackend } from '../backends/setup';
import { loadCheckpointWeights, parseCheckpointMeta } from '../train/checkpoint';
import { capabilitiesOf, inspect } from '../train/inspect/inspector';
import { watchDeviceLoss } from '../train/device-loss';
import { explainDivergence } from '../contracts/divergence';
import type { RunSnapshot } from '../contracts/run-file';
import { captureRun, restoreRun } from '../train/run-state';
import type { TrainConfig } from '../contracts/config';
import { Trainer } from '../train/trainer';
import { Autosaver } from './autosave';
import type { BenchmarkRequest, BenchmarkResponse } from './device-benchmark-protocol';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { configureWasmPaths } from '../backends/wasm/wasm-paths';

declare const self: DedicatedWorkerGlobalScope;

/** Read losses back at most this often (≈10 Hz UI updates) … */
const READBACK_MS = 100;
/** … or when this many steps are waiting, whichever comes first. */
const READBACK_MAX_STEPS = 200;
/** Evaluate the probe set at most this often, and spend at most 1/EVAL_BUDGET_RATIO of the time on it. */
const EVAL_MIN_MS = 1500;
const EVAL_BUDGET_RATIO = 8;

let dataset: ImageDataset | null = null;
let trainer: Trainer | null = null;
let config: TrainConfig | null = null;
let runId = 0;
let running = false;
let stepsToRun = 0;
let loop: Promise<void> | null = null;
const meter = new ThroughputMeter();
let lastFlush = 0;
let lastEvalEnd = 0;
let lastEvalMs = 0;

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const snapshotBuffers = (s: RunSnapshot) => [s.weights, s.state, s.order.buffer];
/** Snapshots of the run for autosave, rollback, crash recovery and export (see autosave.ts). */
const autosaver = new Autosaver(
  () => {
    if (!trainer || !config || !dataset) return Promise.reject(new Error('no run to save'));
    return captureRun(trainer, config, dataset.id);
  },
  (snapshot) => post({ type: 'autosave', runId, snapshot }, snapshotBuffers(snapshot)),
);

/** Lets queued messages (pause, reset) in between steps without a timer's clamping. */
const channel = new MessageChannel();
const wakers: (() => void)[] = [];
channel.port1.onmessage = () => wakers.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    wakers.push(resolve);
    channel.port2.postMessage(null);
  });
}

async function flushMetrics(t: Trainer, started: TrainConfig): Promise<boolean> {
  const c = config ?? started; // settings may have changed while the loop ran
  const metrics = await t.flush();
  const now = performance.now();
  lastFlush = now;
  if (!metrics) return true;
  meter.add(now, metrics.steps.length * c.batchSize);
  post({
    type: 'metrics',
    runId,
    metrics,
    step: t.step,
    epoch: t.epoch,
    imagesPerSecond: meter.rate(),
    schedule: t.scheduleValues(),
    memory: deviceMemory(),
  });
  const headline = Object.values(metrics.terms)[0] ?? [];
  const bad = headline.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0 || metrics.weightsFinite === false) {
    running = false;
    stepsToRun = 0;
    const cause = bad >= 0 ? 'loss' : 'weights';
    const step = bad >= 0 ? metrics.steps[bad]! : t.step;
    const schedule = t.model.scheduleValues(step);
    const message = explainDivergence(c, { step, cause, value: headline[bad], schedule });
    post({ type: 'diverged', runId, step, cause, message });
    return false;
  }
  return true;
}

async function evaluate(t: Trainer): Promise<void> {
  const start = performance.now();
  const result = await t.evaluate();
  lastEvalEnd = performance.now();
  lastEvalMs = lastEvalEnd - start;
  post({ type: 'eval', runId, result }, [result.latent.buffer, result.reconstructions.buffer]);
}

async function runLoop(): Promise<void> {
  const t = trainer;
  const c = config;
  if (!t || !c) return;
  post({ type: 'running', running: true, playing: running });
  meter.reset();
  meter.add(performance.now(), 0);
  let healthy = true;
  try {
    await t.prepare(); // the model's first-batch initialisation, read back asynchronously
    while (healthy && (running || stepsToRun > 0)) {
      if (!running) stepsToRun--;
      t.trainStep();
      const now = performance.now();
      if (now - lastFlush >= READBACK_MS || t.pendingSteps >= READBACK_MAX_STEPS) {
        healthy = await flushMetrics(t, c);
        if (healthy) await autosaver.safePoint(now, true);
      }
      if (healthy) {
        for (const text of await t.maintain()) post({ type: 'event', runId, step: t.step, text });
      }
      const evalDue = now - lastEvalEnd >= Math.max(EVAL_MIN_MS, EVAL_BUDGET_RATIO * lastEvalMs);
      if (healthy && running && evalDue) await evaluate(t);
      await yieldToEvents();
    }
    if (healthy) healthy = await flushMetrics(t, c);
    if (healthy) await evaluate(t);
    await autosaver.safePoint(performance.now(), healthy, true); // on pause and after steps
  } catch (err) {
    post({ type: 'error', fatal: false, message: `Training stopped: ${(err as Error).message}` });
  } finally {
    running = false;
    stepsToRun = 0;
    post({ type: 'running', running: false, playing: false });
  }
}

async function stopLoop(): Promise<void> {
  running = false;
  stepsToRun = 0;
  await loop;
  loop = null;
}

function startLoop(): void {
  if (!loop) loop = runLoop().finally(() => (loop = null));
}

async function buildTrainer(c: TrainConfig): Promise<void> {
  if (!dataset) throw new Error('no dataset loaded');
  trainer?.dispose();
  trainer = null;
  config = { ...c };
  trainer = new Trainer(dataset, config);
  post({ type: 'model', runId, capabilities: capabilitiesOf(trainer) });
  lastFlush = performance.now();
  await evaluate(trainer);
  await autosaver.safePoint(performance.now(), true, true); // the step-0 state, to roll back to
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'init': {
      runId = req.runId;
      // The dataset downloads and decompresses while the backend starts (it needs no TF.js);
      // its error, if any, is reported once the backend is up, as before.
      const loading = loadImageDataset(req.datasetsUrl, req.datasetId);
      loading.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      post({ type: 'loading', message: `Starting the ${req.backend} backend…` });
      const { backend, notices } = await startBackend(req.backend, {
        beforeWasm: configureWasmPaths,
        softwareRenderers: req.backendIsDefault ? 'skip' : 'skip-fallbacks',
      });
      watchDeviceLoss((message) => {
        running = false;
        post({ type: 'device-lost', backend, message });
      });
      post({ type: 'loading', message: `Loading ${req.datasetId.toUpperCase()}…` });
      dataset = await loading;
      post({
        type: 'loading',
        message: `Uploading ${dataset.train.count.toLocaleString('en')} images to ${backend}…`,
      });
      await buildTrainer(req.config);
      const t = trainer!;
      post({
        type: 'ready',
        backend,
        backendNotices: notices,
        dataset: {
          id: dataset.id,
          name: dataset.name,
          source: dataset.source,
          license: dataset.license,
          trainCount: dataset.train.count,
          testCount: dataset.test.count,
          height: dataset.height,
          width: dataset.width,
        },
        probeLabels: t.probeLabels.slice(),
        probeImages: t.probeImages.slice(),
        config: req.config,
      });
      return;
    }
    case 'play':
      if (!trainer) return;
      running = true;
      // A loop already busy with Step's steps now trains on: say so (a new loop says it itself).
      if (loop) post({ type: 'running', running: true, playing: true });
      startLoop();
      return;
    case 'pause':
      await stopLoop();
      return;
    case 'step':
      if (!trainer || running) return;
      stepsToRun += Math.max(1, Math.floor(req.count));
      startLoop();
      return;
    case 'reset':
      await stopLoop();
      runId = req.runId;
      await buildTrainer(req.config);
      return;
    case 'configure':
      config = { ...req.config };
      trainer?.updateConfig(config);
      return;
    case 'import': {
      if (!dataset) return;
      let next: Trainer | null = null;
      try {
        const meta = parseCheckpointMeta(req.meta);
        next = new Trainer(dataset, meta.config);
        loadCheckpointWeights(next.model, meta, req.weights);
        next.resumeAt(meta.step, meta.epoch);
        await stopLoop();
        trainer?.dispose();
        trainer = next;
        next = null;
        config = { ...meta.config };
        runId = req.runId;
        post({
          type: 'imported',
          id: req.id,
          config: meta.config,
          step: meta.step,
          epoch: meta.epoch,
        });
        post({ type: 'model', runId, capabilities: capabilitiesOf(trainer) });
        lastFlush = performance.now();
        await evaluate(trainer);
        await autosaver.safePoint(performance.now(), true, true);
      } catch (err) {
        next?.dispose();
        post({
          type: 'imported',
          id: req.id,
          error: `Could not load ${req.fileName}: ${(err as Error).message}. The current run is unchanged.`,
        });
      }
      return;
    }
    case 'dataset': {
      // Same pattern as import: build the new run first, swap only when it stands.
      let next: Trainer | null = null;
      let swapped = false;
      try {
        if (!config) throw new Error('the worker has not started yet');
        const incoming = checkImageDataset(req.dataset);
        next = new Trainer(incoming, config);
        await stopLoop();
        trainer?.dispose();
        trainer = next;
        next = null;
        swapped = true;
        dataset = incoming;
        runId = req.runId;
        post({
          type: 'dataset',
          id: req.id,
          runId,
          dataset: {
            id: incoming.id,
            name: incoming.name,
            source: incoming.source,
            license: incoming.license,
            trainCount: incoming.train.count,
            testCount: incoming.test.count,
            height: incoming.height,
            width: incoming.width,
          },
          probeLabels: trainer.probeLabels.slice(),
          probeImages: trainer.probeImages.slice(),
        });
        post({ type: 'model', runId, capabilities: capabilitiesOf(trainer) });
        lastFlush = performance.now();
        await evaluate(trainer);
      } catch (err) {
        next?.dispose();
        if (swapped) throw err;
        const name = (req.dataset as { name?: unknown } | null)?.name;
        post({
          type: 'dataset',
          id: req.id,
          error: `${typeof name === 'string' ? name : 'The data'} was not loaded: ${(err as Error).message}.`,
        });
      }
      return;
    }
    case 'save':
      if (loop) autosaver.want();
      else if (trainer) await autosaver.safePoint(performance.now(), true, true);
      return;
    case 'snapshot': {
      const id = req.id;
      const answer = autosaver.next().then(
        (snapshot) => post({ type: 'snapshot', id, snapshot }, snapshotBuffers(snapshot)),
        (err: Error) => post({ type: 'snapshot', id, error: err.message }),
      );
      if (!loop) {
        await autosaver.safePoint(performance.now(), false);
        await answer;
      } // else the training loop answers at its next safe point
      return;
    }
    case 'restore': {
      let next: Trainer | null = null;
      try {
        if (!dataset) throw new Error('the worker has not started yet');
        const restored = await restoreRun(dataset, req.meta, req.weights, req.state, req.order);
        next = restored.trainer;
        await stopLoop();
        trainer?.dispose();
        trainer = next;
        next = null;
        config = { ...restored.meta.config };
        runId = req.runId;
        const { step, epoch } = restored.meta;
        post({ type: 'restored', id: req.id, config: restored.meta.config, step, epoch });
      } catch (err) {
        next?.dispose();
        post({
          type: 'restored',
          id: req.id,
          error: `Could not load ${req.fileName}: ${(err as Error).message}. The current run is unchanged.`,
        });
        return;
      }
      post({ type: 'model', runId, capabilities: capabilitiesOf(trainer) });
      lastFlush = performance.now();
      await evaluate(trainer);
      await autosaver.safePoint(performance.now(), true, true);
      return;
    }
    case 'crash-for-test':
      setTimeout(() => {
        throw new Error('simulated crash (test hook)');
      });
      return;
    case 'inspect': {
      if (!trainer) return;
      try {
        const answer = await inspect(trainer, req.query);
        post({ type: 'inspection', runId, id: req.id, answer }, transferablesOf(answer));
      } catch (err) {
        post({ type: 'inspection', runId, id: req.id, error: (err as Error).message });
      }
      return;
    }
    default: {
      const unknown: never = req;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

/** The pixel buffers of an answer, moved rather than copied to the page. */
function transferablesOf(answer: object): Transferable[] {
  const out: Transferable[] = [];
  for (const v of Object.values(answer) as unknown[]) {
    if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array)
      out.push(v.buffer);
    else if (v && typeof v === 'object' && 'pixels' in v && v.pixels instanceof Float32Array)
      out.push(v.pixels.buffer);
  }
  return [...new Set(out)];
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
