// The bench's prior row: the driver's plain-data mirrors agree with src/bench/models.ts and with
// the prior itself (49 tokens per sequence), the table turns sequences/s into tokens/s in a note
// and leaves the image models' rows alone, and the naive prior loop's first objective equals
// −log p(codes | label) of the first shuffled batch recomputed by hand, leaving no tensors behind.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_MODELS as DRIVER_MODELS,
  TOKENS_PER_IMAGE,
  limitFor,
  modelsFor,
} from '../../scripts/bench/plan.mjs';
import { formatTable, tokenNotes } from '../../scripts/bench/table.mjs';
import { BENCH_MODEL_IDS, BENCH_MODELS } from '../../src/bench/models';
import { naivePriorLoop } from '../../src/bench/naive-prior';
import { mulberry32, permutation } from '../../src/core/rng';
import type { ImageDataset } from '../../src/data/image-dataset';
import { TokenPrior } from '../../src/models/token-prior';
import { createModel } from '../../src/models/zoo';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

describe('bench plan and table for the prior', () => {
  it('mirrors the model ids, and a prior sequence is its 49 codes', () => {
    expect(DRIVER_MODELS).toEqual([...BENCH_MODEL_IDS]);
    const prior = createModel(BENCH_MODELS.prior, 784);
    try {
      expect(prior).toBeInstanceOf(TokenPrior);
      expect(TOKENS_PER_IMAGE.prior).toBe(prior.codeLayout!.positions);
      expect(prior.codeLayout!.positions).toBe(7 * 7);
    } finally {
      prior.dispose();
    }
  });

  it('times the prior on wasm only, with the long limit even when quick', () => {
    expect(modelsFor('wasm', DRIVER_MODELS)).toContain('prior');
    for (const b of ['webgl', 'webgpu', 'cpu'])
      expect(modelsFor(b, DRIVER_MODELS)).not.toContain('prior');
    expect(limitFor({ quick: true, model: 'prior' })).toBe(900);
    expect(limitFor({ quick: true, model: 'mlp-vae' })).toBe(300);
  });

  it('prints tokens/s = sequences/s × 49 in a note, image rows unchanged', () => {
    const run = (imagesPerSec: number) => ({
      imagesPerSec,
      firstStepMs: 1000,
      numTensors: { before: 0, afterWarmup: 10, after: 10 },
      heapBytes: { before: null, after: null },
      firstTerms: {},
    });
    const row = (model: string, ours: number, naive: number | null) => ({
      runtime: 'node',
      backend: 'wasm',
      model,
      ours: run(ours),
      naive: naive === null ? null : run(naive),
      oursOverNaive: null,
      oursOverTorch: null,
      threads: null,
      error: null,
    });
    const rows = [row('mlp-vae', 3000, 500), row('prior', 100, null)];
    const notes = tokenNotes(rows, { prior: 50 });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^node wasm prior in tokens\/s/);
    expect(notes[0]).toContain('ours 4,900 tokens/s, naive –, PyTorch 2,450 tokens/s');
    const table = formatTable({
      rows,
      torch: { status: 'skipped', reason: 'test', rows: [] },
      machine: { cpu: 'x', cores: 2, loadAverage: [0], loadAverageAtEnd: [0] },
      quick: false,
    });
    const lines = table.split('\n');
    expect(lines.filter((l) => l.includes('tokens/s'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('mlp-vae'))).toContain('3,000 img/s');
  });
});

describe('naive prior loop', () => {
  const N = 40;
  const B = 8;
  const config = { ...BENCH_MODELS.prior, batchSize: B, seed: 3 };
  // Random grey images and labels; the untrained VQ-VAE of the config gives their codes.
  const rand = mulberry32(11);
  const dataset: ImageDataset = {
    id: 'test',
    name: 'test',
    source: '',
    license: '',
    height: 28,
    width: 28,
    classes: 10,
    train: {
      count: N,
      images: Uint8Array.from({ length: N * 784 }, () => Math.floor(rand() * 256)),
      labels: Uint8Array.from({ length: N }, () => Math.floor(rand() * 10)),
    },
    test: { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) },
  };

  it('first objective = mean −log p(codes | label) of the first shuffled batch; no leaks', async () => {
    // By hand: the same weights (same config and seed), the Trainer's first order, the
    // tokenizer's codes of those images, the prior's nll with the first step's dropout seed.
    const reference = createModel(config, 784, null, 10) as TokenPrior;
    const rows = permutation(N, mulberry32(config.seed)).subarray(0, B);
    const expected = tf.tidy(() => {
      const pixels = Float32Array.from({ length: B * 784 }, (_, i) => {
        const r = rows[Math.floor(i / 784)]!;
        return dataset.train.images[r * 784 + (i % 784)]! / 255;
      });
      const codes = reference.tokenizer.codes!(tf.tensor2d(pixels, [B, 784])).indices;
      const labels = tf.tensor1d(
        Int32Array.from(rows, (r) => dataset.train.labels[r]!),
        'int32',
      );
      return tf
        .mean(reference.nll(codes, labels, true, config.seed * 1_000_003 + 1))
        .dataSync()[0]!;
    });
    reference.dispose();

    const before = tf.memory().numTensors;
    const loop = await naivePriorLoop(dataset, config);
    const first = await loop.step();
    expect(Math.abs(first - expected)).toBeLessThan(1e-4 * expected);
    // Untrained: near the uniform 49 ln 64 = 203.8 nats per sequence.
    expect(first).toBeGreaterThan(150);
    expect(first).toBeLessThan(260);
    const afterFirst = tf.memory().numTensors;
    await loop.step();
    await loop.step();
    expect(tf.memory().numTensors).toBe(afterFirst);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
