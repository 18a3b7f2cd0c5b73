// The hover previews' data: every probe digit and its reconstruction in one answer, as grey
// levels, agreeing with what `encode` says about any one of them, and leaving no tensor behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import { inspect } from '../../src/train/inspect/inspector';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

describe.each(['vae', 'vqvae'] as const)('probeReconstructions (%s)', (model) => {
  let trainer: Trainer;
  beforeAll(async () => {
    trainer = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model });
    trainer.trainStep();
    await trainer.flush();
  }, 300_000);
  afterAll(() => trainer.dispose());

  it('answers every probe digit and its reconstruction, as encode does for one', async () => {
    const before = tf.memory().numTensors;
    const a = await inspect(trainer, { kind: 'probeReconstructions' });
    expect(tf.memory().numTensors).toBe(before);
    if (a.kind !== 'probeReconstructions') throw new Error(`answered ${a.kind}`);
    const n = trainer.probeLabels.length;
    expect([a.count, a.height, a.width, a.step]).toEqual([n, 28, 28, trainer.step]);
    expect(a.inputs).toBeInstanceOf(Uint8Array);
    expect(a.reconstructions).toBeInstanceOf(Uint8Array);
    expect(a.inputs.length).toBe(n * 784);
    expect(a.reconstructions.length).toBe(n * 784);
    const i = 5;
    const one = await inspect(trainer, { kind: 'encode', digit: { probe: i } });
    if (one.kind !== 'encode') throw new Error(`answered ${one.kind}`);
    const row = (u: Uint8Array) => Array.from(u.subarray(i * 784, (i + 1) * 784));
    const grey = (f: Float32Array) =>
      Array.from(f, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
    expect(row(a.inputs)).toEqual(grey(one.input.pixels));
    const want = grey(one.reconstruction.pixels);
    const diff = row(a.reconstructions).map((v, p) => Math.abs(v - want[p]!));
    expect(Math.max(...diff)).toBeLessThanOrEqual(1); // rounding only
  });
});
