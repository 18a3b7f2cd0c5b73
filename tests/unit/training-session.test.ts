// The worker's run as one object, driven as the worker's message pump drives it (cpu backend):
// every way of getting a new run releases the old one's tensors, Step runs exactly N steps,
// pause stops the loop, and a refused snapshot leaves the run as it was.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import type { RunSnapshot } from '../../src/contracts/run-file';
import type { WorkerRequest, WorkerResponse } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const config: TrainConfig = { ...TRAIN_DEFAULTS, ...small, model: 'vae' };
const memory = () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });

/** A session whose responses are recorded in `sent`; `until` waits for one that fits. */
function recorded() {
  const sent: WorkerResponse[] = [];
  const waiting: { fits: () => boolean; resolve: () => void }[] = [];
  const session = new TrainingSession((msg) => {
    sent.push(msg);
    for (const w of waiting.filter((w) => w.fits())) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  }, memory);
  // Resolved from the post itself: in Node the loop's MessageChannel turns can starve timers.
  const until = (fits: () => boolean, what: string) =>
    fits()
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          waiting.push({ fits, resolve });
          setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000).unref();
        });
  open = session;
  return { sent, session, until };
}

let open: TrainingSession | null = null;
afterEach(async () => {
  await open?.dispose();
  open = null;
});

const types = (msgs: WorkerResponse[]) => msgs.map((m) => m.type);
const stopped = (msgs: WorkerResponse[]) => msgs.some((m) => m.type === 'running' && !m.running);
const lastOf = <T extends WorkerResponse['type']>(msgs: WorkerResponse[], type: T) =>
  msgs.filter((m): m is Extract<WorkerResponse, { type: T }> => m.type === type).at(-1);

describe('TrainingSession', () => {
  it('the first run announces its model, evaluates and autosaves step 0', async () => {
    const { sent, session } = recorded();
    const probes = await session.begin(dataset(24), config, 7);
    expect(types(sent)).toEqual(['model', 'eval', 'autosave']);
    expect(sent.every((m) => !('runId' in m) || m.runId === 7)).toBe(true);
    expect(lastOf(sent, 'autosave')!.snapshot.meta.step).toBe(0);
    expect(probes.probeLabels.length).toBeGreaterThan(0);
  });

  it('every swap-in disposes the old run: numTensors stays the same', async () => {
    const { sent, session } = recorded();
    await session.begin(dataset(24), config, 1);
    const before = tf.memory().numTensors;
    await session.reset(config, 2);
    expect(tf.memory().numTensors).toBe(before);
    const saved = lastOf(sent, 'autosave')!.snapshot;
    await session.restore(restoreRequest(saved, 3));
    expect(tf.memory().numTensors).toBe(before);
    await session.replaceDataset({ type: 'dataset', id: 2, runId: 4, dataset: dataset(24) });
    expect(lastOf(sent, 'dataset')).toMatchObject({ id: 2, runId: 4 });
    expect(tf.memory().numTensors).toBe(before);
    await session.reset(config, 5);
    expect(tf.memory().numTensors).toBe(before);
    // Each new run is announced with its own id, then evaluated.
    const models = sent.filter((m) => m.type === 'model').map((m) => m.runId);
    expect(models).toEqual([1, 2, 3, 4, 5]);
  });

  it('inference jobs stream through inspect and are released with their run', async () => {
    const { sent, session } = recorded();
    await session.begin(dataset(24), config, 1);
    const before = tf.memory().numTensors;
    const spec = {
      digit: { probe: 1 },
      mask: { kind: 'none' },
      start: 'zero',
      loss: 'squared',
      learningRate: 0.05,
      relax: 'soft',
      seed: 1,
    } as const;
    for (const [id, restart] of [
      [1, true],
      [2, false],
    ] as const)
      await session.inspect({
        type: 'inspect',
        id,
        query: { kind: 'infer', job: 9, spec, steps: 3, restart },
      });
    const answer = lastOf(sent, 'inspection')!;
    expect('answer' in answer && answer.answer.kind === 'infer' && answer.answer.step).toBe(6);
    expect(tf.memory().numTensors).toBeGreaterThan(before); // the job holds its code and Adam's state
    await session.reset(config, 2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a step request runs exactly N steps, then evaluates and autosaves', async () => {
    const { sent, session, until } = recorded();
    await session.begin(dataset(24), config, 1);
    sent.length = 0;
    session.step(3);
    await until(() => stopped(sent), 'the loop to stop');
    expect(lastOf(sent, 'metrics')!.step).toBe(3);
    expect(lastOf(sent, 'autosave')!.snapshot.meta.step).toBe(3);
    expect(sent[0]).toEqual({ type: 'running', running: true, playing: false });
    expect(types(sent).slice(-3)).toEqual(['eval', 'autosave', 'running']);
  });

  it('pause stops the loop: no step after it resolves', async () => {
    const { sent, session, until } = recorded();
    await session.begin(dataset(24), config, 1);
    session.play();
    await until(() => (lastOf(sent, 'metrics')?.step ?? 0) >= 2, 'a few steps');
    await session.pause();
    expect(session.busy).toBe(false);
    expect(lastOf(sent, 'running')).toEqual({ type: 'running', running: false, playing: false });
    const count = sent.length;
    const step = lastOf(sent, 'autosave')!.snapshot.meta.step;
    expect(step).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.length).toBe(count);
    // Resumed from where it stopped.
    session.step(1);
    await until(() => lastOf(sent, 'metrics')!.step === step + 1, 'one more step');
  });

  it('restores a snapshot at its step; a refused one leaves the run as it was', async () => {
    const { sent, session, until } = recorded();
    await session.begin(dataset(24), config, 1);
    session.step(2);
    await until(() => stopped(sent), 'two steps');
    const saved = lastOf(sent, 'autosave')!.snapshot;
    await session.reset(config, 2);
    const before = tf.memory().numTensors;

    sent.length = 0;
    const broken = restoreRequest(saved, 3);
    await session.restore({ ...broken, meta: { ...(saved.meta as object), format: 'nope' } });
    expect(types(sent)).toEqual(['restored']);
    expect(sent[0]).toMatchObject({ id: 9, error: expect.stringMatching(/^Could not load f/) });
    expect(tf.memory().numTensors).toBe(before);

    sent.length = 0;
    await session.restore(restoreRequest(saved, 4));
    expect(sent[0]).toMatchObject({ type: 'restored', id: 9, step: 2 });
    expect(types(sent)).toEqual(['restored', 'model', 'eval', 'autosave']);
    // A restored run holds Adam's moments too; swapping in another releases the first one's.
    const restored = tf.memory().numTensors;
    expect(restored).toBeGreaterThan(before);
    await session.restore(restoreRequest(saved, 5));
    expect(tf.memory().numTensors).toBe(restored);
    session.step(1);
    await until(() => lastOf(sent, 'metrics')?.step === 3, 'the step after the restored one');
  });
});

function restoreRequest(
  s: RunSnapshot,
  runId: number,
): Extract<WorkerRequest, { type: 'restore' }> {
  return {
    type: 'restore',
    id: 9,
    runId,
    fileName: 'f',
    meta: s.meta,
    weights: s.weights.slice(0),
    state: s.state.slice(0),
    order: s.order.slice(),
  };
}
