// When the worker snapshots: only at safe points, only healthy runs are autosaved, every
// AUTOSAVE_MS or when forced or asked for; export requests are served at the next safe point.
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import type { RunSnapshot } from '../../src/contracts/run-file';
import { AUTOSAVE_MS, Autosaver } from '../../src/worker/autosave';

function fakeSnapshot(step: number): RunSnapshot {
  return {
    meta: {
      format: 'latent-lab-run',
      version: 1,
      config: TRAIN_DEFAULTS,
      dataset: 'mnist',
      step,
      epoch: 0,
      cursor: 0,
      rngState: 0,
      weightSpecs: [],
      stateSpecs: [],
    },
    weights: new ArrayBuffer(0),
    state: new ArrayBuffer(0),
    order: new Int32Array(0),
  };
}

function setup() {
  let step = 0;
  const published: number[] = [];
  const saver = new Autosaver(
    async () => fakeSnapshot(step),
    (s) => published.push(s.meta.step),
  );
  return { saver, published, setStep: (s: number) => (step = s) };
}

describe('Autosaver', () => {
  it('autosaves every AUTOSAVE_MS at safe points, and when forced or asked for', async () => {
    const { saver, published, setStep } = setup();
    await saver.safePoint(0, true); // the first safe point always saves
    setStep(10);
    await saver.safePoint(AUTOSAVE_MS / 2, true);
    expect(published).toEqual([0]);
    await saver.safePoint(AUTOSAVE_MS + 1, true);
    setStep(20);
    await saver.safePoint(AUTOSAVE_MS + 2, true, true); // forced: training stopped
    saver.want(); // page hidden
    setStep(30);
    await saver.safePoint(AUTOSAVE_MS + 3, true);
    await saver.safePoint(AUTOSAVE_MS + 4, true); // nothing due any more
    expect(published).toEqual([0, 10, 20, 30]);
  });

  it('never autosaves an unhealthy run, even when forced', async () => {
    const { saver, published } = setup();
    saver.want();
    await saver.safePoint(10 * AUTOSAVE_MS, false, true);
    expect(published).toEqual([]);
  });

  it('answers snapshot requests at the next safe point, healthy or not, and passes on failures', async () => {
    const { saver, setStep } = setup();
    const first = saver.next();
    setStep(7);
    await saver.safePoint(0, false);
    expect((await first).meta.step).toBe(7);
    const failing = new Autosaver(
      () => Promise.reject(new Error('device lost')),
      () => undefined,
    );
    const answer = failing.next();
    await failing.safePoint(0, false);
    await expect(answer).rejects.toThrow('device lost');
  });
});
