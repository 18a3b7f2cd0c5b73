import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../src/data/image-dataset';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { Trainer } from '../../src/train/trainer';
import { mulberry32 } from '../../src/core/rng';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** A synthetic 10-class dataset of 28×28 "blobs", small enough for the CPU backend. */
function syntheticDataset(trainCount: number, testCount: number): ImageDataset {
  const rng = mulberry32(9);
  const make = (n: number) => {
    const images = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 10;
      labels[i] = c;
      for (let p = 0; p < 784; p++) {
        const on = Math.floor(p / 78.4) === c;
        images[i * 784 + p] = on ? 200 + Math.floor(rng() * 55) : Math.floor(rng() * 30);
      }
    }
    return { count: n, images, labels };
  };
  return {
    id: 'blobs',
    name: 'Blobs',
    source: 'test',
    license: 'test',
    height: 28,
    width: 28,
    classes: 10,
    train: make(trainCount),
    test: make(testCount),
  };
}

const config: TrainConfig = { ...TRAIN_DEFAULTS, hiddenDim: 32, batchSize: 16, learningRate: 3e-3 };

describe('Trainer', () => {
  it('a training step, a read-back and an evaluation leave numTensors unchanged', async () => {
    const trainer = new Trainer(syntheticDataset(64, 40), config);
    trainer.trainStep(); // Adam creates its moment variables on the first step
    await trainer.flush();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainer.trainStep();
    expect(trainer.pendingSteps).toBe(3);
    expect(tf.memory().numTensors).toBe(before + 3); // one [3] tensor per pending step
    const metrics = await trainer.flush();
    expect(metrics?.steps).toEqual([2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
    await trainer.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('dispose releases every tensor it made', async () => {
    const start = tf.memory().numTensors;
    const trainer = new Trainer(syntheticDataset(32, 20), config);
    trainer.trainStep();
    trainer.trainStep();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('reports −ELBO = recon + KL per step, lowers it by training, and counts epochs', async () => {
    const trainer = new Trainer(syntheticDataset(64, 40), config);
    const first = await trainer.evaluate();
    expect(first.step).toBe(0);
    expect(first.latent.length).toBe(40 * 2);
    expect(first.reconstructions.length).toBe(16 * 784);
    for (let i = 0; i < 40; i++) trainer.trainStep();
    const m = (await trainer.flush())!;
    m.terms.negElbo!.forEach((v, i) =>
      expect(v).toBeCloseTo(m.terms.recon![i]! + m.terms.kl![i]!, 3),
    );
    const later = await trainer.evaluate();
    expect(later.test.negElbo).toBeLessThan(first.test.negElbo! - 50);
    expect(trainer.epoch).toBe((40 * 16) / 64); // 4 steps per pass over 64 images
    trainer.dispose();
  });

  it('the same seed gives the same first losses; another seed does not', async () => {
    const run = async (seed: number) => {
      const t = new Trainer(syntheticDataset(64, 20), { ...config, seed });
      for (let i = 0; i < 5; i++) t.trainStep();
      const m = (await t.flush())!;
      t.dispose();
      return m.terms.negElbo;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('projects latents above 2 dimensions onto two principal components', async () => {
    const trainer = new Trainer(syntheticDataset(32, 30), { ...config, latentDim: 6 });
    const r = await trainer.evaluate();
    expect(r.latentKind).toBe('pca');
    expect(r.latent.length).toBe(30 * 2);
    trainer.dispose();
  });
});

describe('Trainer with other models and data options', () => {
  it('trains the autoencoder, reporting only its reconstruction term', async () => {
    const trainer = new Trainer(syntheticDataset(64, 20), { ...config, model: 'ae' });
    const first = await trainer.evaluate();
    expect(Object.keys(first.test)).toEqual(['recon']);
    for (let i = 0; i < 20; i++) trainer.trainStep();
    const m = (await trainer.flush())!;
    expect(Object.keys(m.terms)).toEqual(['recon']);
    expect((await trainer.evaluate()).test.recon).toBeLessThan(first.test.recon!);
    trainer.dispose();
  });

  it('binarisation feeds 0/1 pixels whose mean matches the grey levels, without leaking', async () => {
    const ds = syntheticDataset(32, 20);
    let greyMean = 0;
    for (const v of ds.train.images) greyMean += v / 255 / ds.train.images.length;
    for (const binarize of ['dynamic', 'static'] as const) {
      const t = new Trainer(ds, { ...config, binarize, batchSize: 32 });
      const seen: Float32Array[] = [];
      const loss = t.model.loss.bind(t.model);
      (t.model as { loss: typeof loss }).loss = (x, ctx) => {
        seen.push(x.dataSync() as Float32Array);
        return loss(x, ctx);
      };
      t.trainStep(); // Adam creates its moments on the first step
      await t.flush();
      const before = tf.memory().numTensors;
      t.trainStep();
      await t.flush();
      expect(tf.memory().numTensors).toBe(before);
      for (const batch of seen) {
        expect(batch.every((v) => v === 0 || v === 1)).toBe(true);
        const mean = batch.reduce((a, v) => a + v, 0) / batch.length;
        expect(Math.abs(mean - greyMean)).toBeLessThan(0.02);
      }
      t.dispose();
    }
  });
});

describe('Trainer.prepare (first-batch initialisation read back asynchronously)', () => {
  const vq: TrainConfig = {
    ...TRAIN_DEFAULTS,
    model: 'vqvae',
    kmeansInit: true,
    codebookSize: 8,
    codeDim: 4,
    channels: 4,
    batchSize: 8,
    binarize: 'dynamic',
  };

  async function firstSteps(prepare: boolean) {
    const t = new Trainer(syntheticDataset(32, 16), vq);
    const before = tf.memory().numTensors;
    if (prepare) await t.prepare();
    expect(tf.memory().numTensors).toBe(before); // prepare keeps nothing but the new codebook
    const codebook = Array.from(
      await t.model.variables.find((v) => /codebook/.test(v.name))!.data(),
    );
    for (let i = 0; i < 3; i++) t.trainStep();
    const m = await t.flush();
    t.dispose();
    return { codebook, terms: m!.terms };
  }

  it('gives the same k-means codebook and losses as the synchronous path inside trainStep', async () => {
    const sync = await firstSteps(false);
    const viaPrepare = await firstSteps(true);
    // The synchronous path initialises inside step 1, so before it the codebook is still random:
    // prepare() must already have replaced it, and the steps must then agree exactly.
    expect(viaPrepare.codebook).not.toEqual(sync.codebook);
    expect(viaPrepare.terms).toEqual(sync.terms);
  });

  it('does nothing for a model without initialisation, or once training has started', async () => {
    const t = new Trainer(syntheticDataset(32, 16), config);
    const before = tf.memory().numTensors;
    await t.prepare();
    expect(tf.memory().numTensors).toBe(before);
    t.trainStep();
    await t.flush();
    t.dispose();
  });
});
