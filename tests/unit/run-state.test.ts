// Run snapshots: a restored run must train on exactly as the original would have. The reference
// is the original trainer itself, continued without interruption.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelKind } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { captureRun, restoreRun } from '../../src/train/run-state';
import type { RunSnapshot } from '../../src/contracts/run-file';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

// 40 images in batches of 8: 5 steps per epoch, so 7 steps cross a reshuffle.
const data = dataset(40);
const base: TrainConfig = { ...TRAIN_DEFAULTS, ...small, channels: 4, learningRate: 3e-3 };

/** The headline loss of each of the next `n` steps. */
async function lossesOf(t: Trainer, n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) t.trainStep();
  const m = await t.flush();
  return Object.values(m!.terms)[0]!;
}

/** As stored and read back: the meta through JSON, the buffers copied. */
function roundTrip(s: RunSnapshot): RunSnapshot {
  return {
    meta: JSON.parse(JSON.stringify(s.meta)),
    weights: s.weights.slice(0),
    state: s.state.slice(0),
    order: s.order.slice(),
  };
}

async function restore(s: RunSnapshot): Promise<Trainer> {
  return (await restoreRun(data, s.meta, s.weights, s.state, s.order)).trainer;
}

const models: [ModelKind, Partial<TrainConfig>][] = [
  ['vae', {}],
  ['ae', {}],
  ['vqvae', { ema: true }],
  ['vqvae', { ema: false }],
  ['dvae', {}],
  ['catvae', { binarize: 'dynamic' }],
  ['cvae', {}],
];

describe('run snapshots', () => {
  it.each(models)(
    '%s %o: restored, the next steps give the same losses as continuing the original',
    async (model, extra) => {
      const config = { ...base, model, ...extra };
      const original = new Trainer(data, config);
      await lossesOf(original, 7);
      const saved = roundTrip(await captureRun(original, config, data.id));
      expect(saved.meta.step).toBe(7);
      expect(saved.meta.epoch).toBe(1);

      const continued = await lossesOf(original, 3);
      const restored = await restore(saved);
      expect(restored.step).toBe(7);
      expect(restored.epoch).toBe(1);
      expect(await lossesOf(restored, 3)).toEqual(continued);
      expect(continued.every(Number.isFinite)).toBe(true);

      // Control: the same weights and position with a fresh Adam give other losses, so the
      // check above would notice optimizer state that was not restored.
      const freshAdam = await restore(saved);
      const iter = tf.scalar(0, 'int32');
      await freshAdam.loadOptimizerWeights([{ name: 'iter', tensor: iter }]);
      iter.dispose();
      expect(await lossesOf(freshAdam, 3)).not.toEqual(continued);

      for (const t of [original, restored, freshAdam]) t.dispose();
    },
  );

  it('a snapshot of an untrained run (no Adam moments yet) restores and trains like the original', async () => {
    const original = new Trainer(data, base);
    const saved = roundTrip(await captureRun(original, base, data.id));
    expect(saved.meta.stateSpecs.map((s) => s.name)).toEqual(['iter']);
    const restored = await restore(saved);
    expect(await lossesOf(restored, 2)).toEqual(await lossesOf(original, 2));
    original.dispose();
    restored.dispose();
  });

  it('capturing and restoring leak no tensors', async () => {
    const t = new Trainer(data, base);
    await lossesOf(t, 2);
    const before = tf.memory().numTensors;
    const saved = await captureRun(t, base, data.id);
    expect(tf.memory().numTensors).toBe(before);
    const r = await restore(saved);
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('refuses snapshots that do not fit, naming the problem and building nothing', async () => {
    const t = new Trainer(data, base);
    await lossesOf(t, 2);
    const s = await captureRun(t, base, data.id);
    const before = tf.memory().numTensors;
    const bad: [
      { meta?: unknown; weights?: ArrayBuffer; state?: ArrayBuffer; order?: Int32Array },
      RegExp,
    ][] = [
      [{ meta: { ...s.meta, version: 9 } }, /run version 9 is not supported/],
      [{ meta: { ...s.meta, format: 'other' } }, /not a Latent Lab run/],
      [{ meta: { ...s.meta, config: { ...s.meta.config, model: 'gan' } } }, /unknown model "gan"/],
      [
        { meta: { ...s.meta, config: { ...s.meta.config, latentDim: 5 } } },
        /has shape \[.*\], the model expects/,
      ],
      [{ weights: s.weights.slice(0, 100) }, /truncated/],
      [{ state: s.state.slice(0, s.state.byteLength - 4) }, /optimizer state is truncated/],
      [{ meta: { ...s.meta, stateSpecs: s.meta.stateSpecs.slice(0, 3) } }, /moment tensors/],
      [{ meta: { ...s.meta, dataset: 'cifar' } }, /trained on "cifar"/],
      [{ order: s.order.slice(0, 10) }, /shuffle order has 10 entries/],
      [{ meta: { ...s.meta, cursor: -1 } }, /"cursor" should be a whole number/],
    ];
    for (const [change, message] of bad) {
      const x = { ...s, ...change };
      await expect(restoreRun(data, x.meta, x.weights, x.state, x.order)).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    }
    t.dispose();
  });
});
