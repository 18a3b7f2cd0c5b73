// The page's run orchestration without React or a worker: a fake client that records requests
// and answers them as the worker would, and an in-memory run db. Restoring a saved run, crash
// recovery, a backend move and a rollback each end with the right run, step and settings.
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import type { RunHistory, RunSnapshot } from '../../src/contracts/run-file';
import type { SavedRun } from '../../src/state/run-db';
import { RunSession } from '../../src/state/run-session';
import { RunStateCell, type WorkerClient } from '../../src/state/run-session-deps';
import { resumableRun, type RunDb } from '../../src/state/saved-runs';
import { defaultSettings } from '../../src/state/settings';
import { initialState } from '../../src/state/training-store';
import type { InitRequest, UncheckedSnapshot } from '../../src/worker/client';
import type { WorkerRequest, WorkerResponse } from '../../src/worker/protocol';

const snapshot = (step: number, config: TrainConfig = TRAIN_DEFAULTS): RunSnapshot => ({
  meta: {
    format: 'latent-lab-run',
    version: 1,
    config,
    dataset: 'mnist',
    step,
    epoch: 0,
    cursor: 0,
    rngState: 0,
    weightSpecs: [],
    stateSpecs: [],
  },
  weights: new ArrayBuffer(4),
  state: new ArrayBuffer(4),
  order: new Int32Array(1),
});

const history = (upTo: number): RunHistory => {
  const { test, diagnosticsHistory, scheduleHistory, events } = initialState();
  const train = { steps: [1, upTo], terms: { total: [3, 2] } };
  return { train, test, diagnosticsHistory, scheduleHistory, events };
};

/** Records what the session asks; answers restores and snapshots as the worker would. */
class FakeClient implements WorkerClient {
  started: InitRequest[] = [];
  sent: WorkerRequest[] = [];
  restored: { source: string; step: number; runId: number }[] = [];
  refuse = false;
  now: RunSnapshot = snapshot(0);

  start(init: InitRequest): void {
    this.started.push(init);
  }
  send(req: WorkerRequest): void {
    this.sent.push(req);
  }
  restore(source: string, s: UncheckedSnapshot, runId: number) {
    const meta = s.meta as RunSnapshot['meta'];
    if (this.refuse) return Promise.reject(new Error(`Could not load ${source}: bad.`));
    this.restored.push({ source, step: meta.step, runId });
    const { config, step, epoch } = meta;
    return Promise.resolve({ type: 'restored' as const, id: 1, config, step, epoch });
  }
  snapshot() {
    return Promise.resolve(this.now);
  }
  inspect = () => Promise.reject(new Error('not here'));
  importCheckpoint = () => Promise.reject(new Error('not here'));
  replaceDataset = () => Promise.reject(new Error('not here'));
  dispose(): void {}
}

function memoryDb(runs: SavedRun[] = []): RunDb & { runs: Map<string, SavedRun> } {
  const map = new Map(runs.map((r) => [r.summary.id, r]));
  return {
    runs: map,
    listRuns: async () =>
      [...map.values()].map((r) => r.summary).sort((a, b) => b.savedAt - a.savedAt),
    loadRun: async (id) => map.get(id) ?? Promise.reject(new Error('gone')),
    saveRun: async (run) => void map.set(run.summary.id, run),
    deleteRun: async (id) => void map.delete(id),
  };
}

function setUp(db = memoryDb()) {
  const client = new FakeClient();
  let respond: (msg: WorkerResponse) => void = () => {};
  let crash: (message: string) => void = () => {};
  const store = new RunStateCell(initialState());
  const session = new RunSession({
    createClient: (onResponse, onCrash) => {
      respond = onResponse;
      crash = onCrash;
      return client;
    },
    store,
    db,
    datasetsUrl: 'http://x/datasets/',
  });
  /** A worker on `backend` that is ready and has autosaved `step` of run 1. */
  const ready = (backend: 'wasm' | 'webgl', step: number, config = TRAIN_DEFAULTS) => {
    session.start({ ...defaultSettings(), backend });
    const dataset = {
      id: 'mnist',
      name: 'MNIST',
      source: '',
      license: '',
      trainCount: 1,
      testCount: 1,
      height: 28,
      width: 28,
    };
    const probes = { probeLabels: new Uint8Array(1), probeImages: new Uint8Array(784) };
    respond({
      type: 'ready',
      backend,
      backendNotices: [],
      dataset,
      ...probes,
      config,
      initRunId: session.currentRunId,
    });
    respond({ type: 'autosave', runId: 1, snapshot: snapshot(step, config) });
  };
  return {
    client,
    store,
    session,
    db,
    ready,
    respond: (m: WorkerResponse) => respond(m),
    crash: (m: string) => crash(m),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const texts = (store: RunStateCell) =>
  store
    .get()
    .notices.map((n) => n.text)
    .join('\n');

describe('RunSession', () => {
  it('offers the latest saved run and resumes it at its step, with its curves', async () => {
    const run = (id: string, step: number, savedAt: number): SavedRun => ({
      summary: { id, name: id, model: 'vae', step, savedAt, bytes: 8 },
      snapshot: snapshot(step),
      history: history(step),
    });
    const { session, client, store } = setUp(memoryDb([run('old', 10, 1), run('new', 40, 2)]));
    await settle();
    const offered = resumableRun(session.saved.list, session.saved.owner, store.get().runId);
    expect(offered?.id).toBe('new');
    await session.openSavedRun(offered!.id);
    expect(client.restored).toEqual([{ source: 'the saved run "new"', step: 40, runId: 1 }]);
    expect(store.get()).toMatchObject({ runId: 1, step: 40 });
    expect(store.get().train.steps).toEqual([1, 40]);
    expect(texts(store)).toMatch(/Resumed "new" \(.+\) at step 40\./);
    // The run on screen is the saved one now: nothing else to offer.
    expect(resumableRun(session.saved.list, session.saved.owner, store.get().runId)).toBeNull();
  });

  it('writes autosaves past step 0 to the run db', async () => {
    const { db, ready, respond } = setUp();
    ready('wasm', 0);
    await settle();
    expect(db.runs.size).toBe(0);
    respond({ type: 'autosave', runId: 1, snapshot: snapshot(30) });
    await settle();
    expect([...db.runs.values()].map((r) => r.summary.step)).toEqual([30]);
  });

  it('a crash restarts on the next backend and resumes from the last autosave, training on', async () => {
    const { client, store, ready, respond, crash } = setUp();
    ready('wasm', 30);
    respond({ type: 'running', running: true, playing: true });
    crash('boom');
    expect(client.started.at(-1)).toMatchObject({ backend: 'cpu', datasetId: 'mnist', runId: 2 });
    expect(texts(store)).toMatch(
      /The training worker crashed \(boom\)\. Restarted on the cpu backend from step 30 \(the last autosave\)\./,
    );
    expect(store.get()).toMatchObject({ phase: 'starting', playing: false });
    await settle();
    expect(client.restored).toEqual([{ source: 'the autosave at step 30', step: 30, runId: 3 }]);
    expect(store.get()).toMatchObject({ runId: 3, step: 30 });
    expect(texts(store)).toMatch(/Resumed at step 30 on cpu\./);
    expect(client.sent.at(-1)).toEqual({ type: 'play' });
  });

  it('a crash without an autosave fails with a notice to reload', () => {
    const { client, store, session, crash } = setUp();
    session.start(defaultSettings());
    crash('boom');
    expect(client.started).toHaveLength(1);
    expect(store.get().phase).toBe('failed');
    expect(texts(store)).toMatch(/crashed \(boom\)\. Reload the page to start again\./);
  });

  it('a backend move keeps the step it stands at, paused if it was', async () => {
    const { client, store, session, ready, respond } = setUp();
    ready('wasm', 30);
    respond({
      type: 'metrics',
      runId: 1,
      metrics: { steps: [52], terms: { total: [1] } },
      step: 52,
      epoch: 0,
      imagesPerSecond: 1,
      schedule: {},
      memory: { numTensors: 0, numBytes: 0 },
    } as WorkerResponse);
    client.now = snapshot(52);
    expect(await session.moveRun('webgl', false)).toBe(true);
    expect(client.started.at(-1)).toMatchObject({ backend: 'webgl', runId: 2 });
    await settle();
    expect(client.restored).toEqual([{ source: 'the run at step 52', step: 52, runId: 3 }]);
    expect(store.get()).toMatchObject({ runId: 3, step: 52 });
    expect(texts(store)).toMatch(/Moved the run to the webgl backend; it continues from step 52\./);
    expect(client.sent.some((r) => r.type === 'play')).toBe(false);
  });

  it('a backend move at step 0 changes nothing', async () => {
    const { client, session, ready } = setUp();
    ready('wasm', 0);
    expect(await session.moveRun('webgl', false)).toBe(false);
    expect(client.started).toHaveLength(1);
  });

  it('rollback restores the last good autosave and keeps the settings as they are now', async () => {
    const { client, store, session, ready, respond } = setUp();
    ready('wasm', 20, { ...TRAIN_DEFAULTS, learningRate: 1e-2 });
    respond({ type: 'diverged', runId: 1, step: 25, cause: 'loss', message: 'NaN' });
    await session.rollback({ ...defaultSettings(), learningRate: 1e-4 });
    expect(client.restored).toEqual([{ source: 'the autosave at step 20', step: 20, runId: 2 }]);
    expect(store.get()).toMatchObject({ runId: 2, step: 20 });
    expect(texts(store)).toMatch(/Rolled back to step 20\./);
    const configure = client.sent.at(-1);
    expect(configure?.type === 'configure' && configure.config.learningRate).toBe(1e-4);
  });

  it('a refused snapshot leaves the run on screen as it was, with a notice', async () => {
    const { client, store, session, ready } = setUp();
    ready('wasm', 20);
    client.refuse = true;
    await session.rollback(defaultSettings());
    expect(store.get()).toMatchObject({ runId: 1 });
    expect(texts(store)).toMatch(/Could not load the autosave at step 20: bad\./);
    expect(client.sent).toEqual([]);
  });
});
