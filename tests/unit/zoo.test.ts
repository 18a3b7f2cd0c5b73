// Every model of the zoo, through the real Trainer on the CPU backend: a training step leaves
// numTensors unchanged, the same seed gives the same first losses, and the reported terms are
// exactly the catalog's.
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CATALOG, MODEL_KINDS } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { Trainer } from '../../src/train/trainer';
import { VqVae } from '../../src/models/vq-vae';
import { codeUsage } from '../../src/core/codebook-stats';
import { dataset, step } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

// Small sizes so the CPU backend stays quick.
const small: Partial<TrainConfig> = {
  hiddenDim: 32,
  batchSize: 8,
  codebookSize: 8,
  codeDim: 4,
  channels: 4,
  categorical: 4,
  classes: 5,
};

describe.each(MODEL_KINDS)('%s', (model) => {
  const config: TrainConfig = { ...TRAIN_DEFAULTS, ...small, model };

  it('trains without leaking tensors and reports the catalog terms', async () => {
    const t = new Trainer(dataset(24), config);
    await step(t); // first step: Adam moments, k-means init
    await t.flush();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await step(t);
    const m = (await t.flush())!;
    await t.maintain();
    const ev = await t.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    const keys = MODEL_CATALOG[model].terms.map((k) => k.key);
    expect(Object.keys(m.terms)).toEqual(keys);
    expect(Object.keys(ev.test)).toEqual(keys);
    for (const k of keys) expect(m.terms[k]!.every(Number.isFinite)).toBe(true);
    expect(ev.latent.length).toBe(24 * 2);
    expect(ev.reconstructions.length).toBe(16 * 784);
    t.dispose();
  });

  it('the same seed gives the same first losses on the CPU backend', async () => {
    const run = async () => {
      const t = new Trainer(dataset(24), config);
      for (let i = 0; i < 3; i++) await step(t);
      const m = (await t.flush())!;
      t.dispose();
      return m.terms;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('convolutional AE and VAE', () => {
  it.each(['ae', 'vae'] as const)(
    '%s with arch=conv trains without leaks and embeds to D dims',
    async (model) => {
      const t = new Trainer(dataset(16), {
        ...TRAIN_DEFAULTS,
        ...small,
        model,
        arch: 'conv',
        latentDim: 3,
      });
      t.trainStep();
      await t.flush();
      const before = tf.memory().numTensors;
      t.trainStep();
      const m = (await t.flush())!;
      const ev = await t.evaluate();
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.values(m.terms).flat().every(Number.isFinite)).toBe(true);
      expect(ev.latentKind).toBe('pca');
      t.dispose();
    },
  );
});

describe('diagnostics', () => {
  it('VAE: KL per dimension and active units; VQ-VAE: code usage that sums to the positions', async () => {
    const vae = new Trainer(dataset(24), {
      ...TRAIN_DEFAULTS,
      ...small,
      model: 'vae',
      latentDim: 4,
    });
    const d = (await vae.evaluate()).diagnostics;
    expect(d.klPerDimension).toHaveLength(4);
    expect(d.activeUnits).toBeGreaterThanOrEqual(0);
    expect(d.activeUnits).toBeLessThanOrEqual(4);
    vae.dispose();
    const vq = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model: 'vqvae' });
    const q = (await vq.evaluate()).diagnostics;
    expect(q.codeUsage!.reduce((a, b) => a + b, 0)).toBe(24 * 49);
    expect(q.perplexity).toBeGreaterThanOrEqual(1);
    expect(q.perplexity).toBeLessThanOrEqual(8 + 1e-9);
    expect(q.codesUsed! + q.deadCodes!).toBe(8);
    vq.dispose();
  });

  it('VQ-VAE restarts codes that went unused since the last check, and reports each restart', async () => {
    const vq = new VqVae({ codebookSize: 64, codeDim: 4, hidden: 8, kmeansInit: false });
    const x = tf.div(tf.tensor2d(dataset(4).train.images, [4, 784]), 255) as tf.Tensor2D;
    tf.tidy(() => {
      vq.loss(x, { step: 1, seed: 1, training: true });
    });
    vq.afterStep(); // counts this step's code use
    const before = Array.from(await vq.codebook.data());
    const usage = codeUsage(await vq.codes(x).indices.data(), 64);
    const events = await vq.maintain(x, 200);
    const dead = Array.from(usage).flatMap((c, k) => (c === 0 ? [k] : []));
    expect(dead.length).toBeGreaterThan(0);
    expect(events).toEqual([
      `step 200: restarted ${dead.length} dead code${dead.length === 1 ? '' : 's'} (${dead.join(', ')}) from current encoder outputs`,
    ]);
    const after = Array.from(await vq.codebook.data());
    const live = Array.from(usage).flatMap((c, k) => (c > 0 ? [k] : []));
    for (const k of live)
      expect(after.slice(4 * k, 4 * k + 4)).toEqual(before.slice(4 * k, 4 * k + 4));
    // The counts were reset: with no step in between, everything is dead at the next check.
    expect((await vq.maintain(x, 400))[0]).toMatch(/restarted 64 dead codes/);
    x.dispose();
    vq.dispose();
  });
});

describe('sampling', () => {
  it.each(MODEL_KINDS)('%s generates images in [0, 1] without leaking', async (model) => {
    const t = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model });
    const before = tf.memory().numTensors;
    const images = await t.sample(5, 7);
    expect(tf.memory().numTensors).toBe(before);
    expect(images.length).toBe(5 * 784);
    expect(images.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Different seeds, different samples; the same seed, the same samples.
    expect(Array.from(await t.sample(5, 7))).toEqual(Array.from(images));
    expect(Array.from(await t.sample(5, 8))).not.toEqual(Array.from(images));
    t.dispose();
  });
});
