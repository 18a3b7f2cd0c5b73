// The page's side of saved runs: the store keeps the latest autosave of the run on screen,
// divergence marks the run for roll-back, a new run clears both, and crash recovery walks the
// backend chain.
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import type { RunSnapshot } from '../../src/contracts/run-file';
import { applyResponse, initialState, resetRun } from '../../src/state/training-store';
import { nextBackend } from '../../src/state/run-session';
import { historyOf } from '../../src/state/saved-runs';

const snapshot = (step: number): RunSnapshot => ({
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
  weights: new ArrayBuffer(4),
  state: new ArrayBuffer(4),
  order: new Int32Array(1),
});

describe('saved runs in the training store', () => {
  it('keeps the latest autosave of the run on screen and drops those of other runs', () => {
    const s1 = applyResponse(initialState(), { type: 'autosave', runId: 0, snapshot: snapshot(5) });
    expect(s1.lastSave?.meta.step).toBe(5);
    const s2 = applyResponse(s1, { type: 'autosave', runId: 3, snapshot: snapshot(9) });
    expect(s2).toBe(s1);
  });

  it('marks a divergence for roll-back; a new run clears it and the autosave', () => {
    let s = applyResponse(initialState(), { type: 'autosave', runId: 0, snapshot: snapshot(5) });
    s = applyResponse(
      { ...s, running: true },
      { type: 'diverged', runId: 0, step: 12, cause: 'loss', message: 'The loss became NaN' },
    );
    expect(s.diverged).toEqual({ step: 12 });
    expect(s.running).toBe(false);
    expect(s.notices.at(-1)?.kind).toBe('error');
    const fresh = resetRun(s, 1, 'vae');
    expect(fresh.diverged).toBeNull();
    expect(fresh.lastSave).toBeNull();
  });

  it('a lost device stops the run on screen (the session restarts it)', () => {
    const s = applyResponse(
      { ...initialState(), running: true },
      { type: 'device-lost', backend: 'webgpu', message: 'GPU reset' },
    );
    expect(s.running).toBe(false);
  });

  it('historyOf takes the curves and events of the state', () => {
    const s = applyResponse(initialState(), {
      type: 'event',
      runId: 0,
      step: 3,
      text: 'restarted code 2',
    });
    expect(historyOf(s)).toEqual({
      train: s.train,
      test: s.test,
      diagnosticsHistory: s.diagnosticsHistory,
      scheduleHistory: s.scheduleHistory,
      events: [{ step: 3, text: 'restarted code 2' }],
    });
  });

  it('crash recovery moves down the backend chain and retries the last one', () => {
    expect(nextBackend('webgpu')).toBe('webgl');
    expect(nextBackend('webgl')).toBe('wasm');
    expect(nextBackend('wasm')).toBe('cpu');
    expect(nextBackend('cpu')).toBe('cpu');
  });
});
