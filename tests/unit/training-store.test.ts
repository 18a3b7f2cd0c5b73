import { describe, expect, it } from 'vitest';
import {
  applyResponse,
  initialState,
  PER_STEP_BOUNDS,
  PER_STEP_FIELDS,
  resetRun,
  steadyPart,
} from '../../src/state/training-store';
import type { WorkerResponse } from '../../src/worker/protocol';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';

const metrics = (runId: number, steps: number[]): WorkerResponse => ({
  type: 'metrics',
  runId,
  metrics: {
    steps,
    terms: {
      negElbo: steps.map((s) => 105 + s),
      recon: steps.map((s) => 100 + s),
      kl: steps.map(() => 5),
    },
  },
  step: steps[steps.length - 1]!,
  epoch: 0,
  imagesPerSecond: 900,
  schedule: { beta: 1, klWeight: 1 },
  memory: { numTensors: 40, numBytes: 1_000_000 },
});

/** The worker's 'ready' for the run that init `initRunId` started. */
const readyFor = (
  initRunId: number,
  over: Partial<Extract<WorkerResponse, { type: 'ready' }>> = {},
): WorkerResponse => ({
  type: 'ready',
  backend: 'wasm',
  backendNotices: [],
  dataset: {
    id: 'mnist',
    name: 'MNIST',
    source: '',
    license: '',
    trainCount: 1,
    testCount: 1,
    height: 28,
    width: 28,
  },
  probeLabels: new Uint8Array(1),
  probeImages: new Uint8Array(784),
  config: TRAIN_DEFAULTS,
  initRunId,
  ...over,
});

describe('training store', () => {
  it('appends curves without mutating the previous state', () => {
    const s0 = initialState();
    const s1 = applyResponse(s0, metrics(0, [1, 2]));
    const s2 = applyResponse(s1, metrics(0, [3]));
    expect(s2.train.steps).toEqual([1, 2, 3]);
    expect(s2.train.terms.recon).toEqual([101, 102, 103]);
    expect(s1.train.steps).toEqual([1, 2]);
    expect(s0.train.steps).toEqual([]);
    expect(s2.step).toBe(3);
  });

  it('drops responses of an earlier run after a reset', () => {
    const s1 = applyResponse(initialState(), metrics(0, [1, 2]));
    const reset = resetRun(s1, 1, 'vae');
    expect(reset.train.steps).toEqual([]);
    expect(applyResponse(reset, metrics(0, [3]))).toBe(reset);
    expect(applyResponse(reset, metrics(1, [1])).train.steps).toEqual([1]);
  });

  it('tells a Step in progress (busy, not playing) from training (playing)', () => {
    // A Step's loop: busy, so Step waits, but not playing, so a move does not resume training.
    let s = applyResponse(initialState(), { type: 'running', running: true, playing: false });
    expect([s.running, s.playing]).toEqual([true, false]);
    // Train pressed while that loop is busy: it trains on.
    s = applyResponse(s, { type: 'running', running: true, playing: true });
    expect([s.running, s.playing]).toEqual([true, true]);
    s = applyResponse(s, { type: 'running', running: false, playing: false });
    expect([s.running, s.playing]).toEqual([false, false]);
    // A lost device stops both.
    s = applyResponse(
      { ...s, running: true, playing: true },
      {
        type: 'device-lost',
        backend: 'webgpu',
        message: 'lost',
      },
    );
    expect([s.running, s.playing]).toEqual([false, false]);
  });

  it('a reset sent while the worker started keeps its model when the init reports ready', () => {
    const ready = (initRunId: number) =>
      readyFor(initRunId, { config: { ...TRAIN_DEFAULTS, model: 'vae' } });
    // The page started run 1 (a VAE), then a lesson's preset reset to run 2 (GLO) before the
    // worker was up: the init's 'ready' still describes run 1.
    const started = { ...initialState(), runId: 1 };
    const reset = resetRun(started, 2, 'glo');
    const s = applyResponse(reset, ready(1));
    expect(s.phase).toBe('ready');
    expect(s.model).toBe('glo');
    // Without a reset in between, the init's model is the run's.
    expect(applyResponse({ ...started, model: 'ae' }, ready(1)).model).toBe('vae');
  });

  it('turns backend fallbacks, divergence and crashes into notices', () => {
    let s = applyResponse(
      initialState(),
      readyFor(0, { backendNotices: ['webgpu could not start: no adapter'] }),
    );
    expect(s.phase).toBe('ready');
    expect(s.notices.map((n) => n.text)).toEqual([
      'webgpu could not start: no adapter. Fell back to wasm.',
    ]);
    s = applyResponse(
      { ...s, running: true, playing: true },
      { type: 'diverged', runId: 0, step: 7, message: 'NaN at step 7' },
    );
    expect([s.running, s.playing]).toEqual([false, false]);
    s = applyResponse(s, { type: 'error', fatal: true, message: 'worker crashed' });
    expect(s.phase).toBe('failed');
    expect(s.notices.map((n) => n.kind)).toEqual(['warning', 'error', 'error']);
  });
});

describe('the steady part of the state (what panels that follow no per-step field see)', () => {
  it('stays the same object through read-backs and autosaves, and moves on at an evaluation', () => {
    const s0 = applyResponse(initialState(), readyFor(0));
    const s1 = applyResponse(s0, metrics(0, [1, 2]));
    const s2 = applyResponse(s1, {
      type: 'autosave',
      runId: 0,
      snapshot: { meta: { step: 2 } } as never,
    });
    expect(steadyPart(s0, s1)).toBe(s0);
    expect(steadyPart(s0, s2)).toBe(s0);
    // Every field a read-back changed is one the steady part ignores …
    const changed = (Object.keys(s1) as (keyof typeof s1)[]).filter((k) => s1[k] !== s0[k]);
    expect(changed.length).toBeGreaterThan(3);
    for (const k of changed) expect(PER_STEP_FIELDS).toContain(k);
    // … while an evaluation, a notice or a pause is seen at once.
    const evaluated = applyResponse(s2, {
      type: 'eval',
      runId: 0,
      result: {
        step: 2,
        epoch: 0,
        test: { negElbo: 150 },
        diagnostics: {},
      },
    } as never);
    expect(steadyPart(s0, evaluated)).toBe(evaluated);
    const playing = applyResponse(s2, { type: 'running', running: true, playing: true });
    expect(steadyPart(s0, playing)).toBe(playing);
    // The same phase again is no change.
    const again = applyResponse(playing, {
      type: 'running',
      running: true,
      playing: true,
    });
    expect(steadyPart(playing, again)).toBe(playing);
    expect(steadyPart(null, s1)).toBe(s1);
  });
});

describe('training store curves', () => {
  it('stay bounded however long training runs, the latest steps exact', () => {
    let s = initialState();
    const last = 3 * PER_STEP_BOUNDS.capacity; // in messages of 10 steps, as read-backs come
    for (let step = 1; step <= last; step += 10)
      s = applyResponse(
        s,
        metrics(
          0,
          Array.from({ length: 10 }, (_, i) => step + i),
        ),
      );
    expect(s.train.steps.length).toBeLessThanOrEqual(PER_STEP_BOUNDS.capacity);
    expect(s.train.terms.recon!.length).toBe(s.train.steps.length);
    expect(s.train.steps.at(-1)).toBe(last);
    expect(s.train.terms.recon!.at(-1)).toBe(100 + last);
    expect(s.train.steps[0]).toBe(1);
    expect(s.scheduleHistory.steps.length).toBeLessThanOrEqual(PER_STEP_BOUNDS.capacity);
  });
});
