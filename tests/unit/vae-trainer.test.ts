import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../src/data/image-dataset';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/train/config';
import { VaeTrainer } from '../../src/train/vae-trainer';
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

describe('VaeTrainer', () => {
  it('a training step, a read-back and an evaluation leave numTensors unchanged', async () => {
    const trainer = new VaeTrainer(syntheticDataset(64, 40), config);
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
    const trainer = new VaeTrainer(syntheticDataset(32, 20), config);
    trainer.trainStep();
    trainer.trainStep();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('reports −ELBO = recon + KL per step, lowers it by training, and counts epochs', async () => {
    const trainer = new VaeTrainer(syntheticDataset(64, 40), config);
    const first = await trainer.evaluate();
    expect(first.step).toBe(0);
    expect(first.latent.length).toBe(40 * 2);
    expect(first.reconstructions.length).toBe(16 * 784);
    for (let i = 0; i < 40; i++) trainer.trainStep();
    const m = (await trainer.flush())!;
    m.negElbo.forEach((v, i) => expect(v).toBeCloseTo(m.recon[i]! + m.kl[i]!, 3));
    const later = await trainer.evaluate();
    expect(later.test.negElbo).toBeLessThan(first.test.negElbo - 50);
    expect(trainer.epoch).toBe((40 * 16) / 64); // 4 steps per pass over 64 images
    trainer.dispose();
  });

  it('the same seed gives the same first losses; another seed does not', async () => {
    const run = async (seed: number) => {
      const t = new VaeTrainer(syntheticDataset(64, 20), { ...config, seed });
      for (let i = 0; i < 5; i++) t.trainStep();
      const m = (await t.flush())!;
      t.dispose();
      return m.negElbo;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('projects latents above 2 dimensions onto two principal components', async () => {
    const trainer = new VaeTrainer(syntheticDataset(32, 30), { ...config, latentDim: 6 });
    const r = await trainer.evaluate();
    expect(r.latentKind).toBe('pca');
    expect(r.latent.length).toBe(30 * 2);
    trainer.dispose();
  });
});
