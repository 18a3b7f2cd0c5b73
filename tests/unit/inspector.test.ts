// Every inspect question against every model of the zoo, through a real Trainer on the CPU
// backend: applicable questions answer with the right shapes and intensities in [0, 1] and
// leave numTensors unchanged; the others reject with a message naming the models that can.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS, type ModelKind } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import type { InspectAnswer, InspectQuery } from '../../src/contracts/inspect';
import { capabilitiesOf, inspect } from '../../src/train/inspect/inspector';
import { Trainer } from '../../src/train/trainer';
import { dataset, expectImages, small, step } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const drawn = { pixels: Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 6) };

/** One question of each kind, and the kinds each model answers. */
const QUERIES: InspectQuery[] = [
  { kind: 'manifold', n: 3 },
  { kind: 'decodePoints', points: [0, 0, 0.5, -1] },
  { kind: 'encode', digit: { probe: 2 } },
  { kind: 'encode', digit: drawn },
  { kind: 'interpolate', a: { probe: 0 }, b: drawn, steps: 4 },
  { kind: 'bilinear', corners: [{ probe: 0 }, { probe: 1 }, { probe: 2 }, drawn], n: 3 },
  { kind: 'traversal', digit: { probe: 1 }, dims: [1, 0], steps: 5, range: 2 },
  { kind: 'samples', count: 6, seed: 4 },
  { kind: 'codebookAtlas' },
  { kind: 'codeMap', probes: [0, 3, 5] },
  { kind: 'gumbel', probe: 1, position: 2, tau: 0.5, seed: 9, top: 3 },
  { kind: 'responsibilities', digit: { probe: 3 } },
  { kind: 'conditionalSamples', label: 3, count: 5, seed: 2 },
  { kind: 'everyLabel', probe: 4 },
  { kind: 'generate', label: 3, count: 2, temperature: 1, topK: 3, guidance: 1, seed: 5 },
  { kind: 'attention', codes: Array.from({ length: 49 }, (_, i) => i % 8), label: null },
];
const CONTINUOUS = ['manifold', 'decodePoints', 'interpolate', 'bilinear', 'traversal'];
const ANSWERS: Record<ModelKind, string[]> = {
  vae: ['encode', 'samples', ...CONTINUOUS],
  ae: ['encode', 'samples', ...CONTINUOUS],
  vqvae: ['encode', 'samples', 'interpolate', 'bilinear', 'codebookAtlas', 'codeMap'],
  dvae: ['encode', 'samples', 'codebookAtlas', 'codeMap', 'gumbel'],
  catvae: ['encode', 'samples', 'codebookAtlas', 'codeMap', 'gumbel'],
  pca: ['encode', 'samples', ...CONTINUOUS],
  kmeans: ['encode', 'samples', 'codebookAtlas', 'codeMap'],
  mixture: ['encode', 'samples', 'codebookAtlas', 'codeMap', 'responsibilities'],
  glo: ['encode', 'samples', ...CONTINUOUS],
  // encode: a probe digit only (a drawn digit has no label to encode with)
  cvae: ['encode', 'samples', 'conditionalSamples', 'everyLabel'],
  // the prior over codes: its tokenizer's (VQ-VAE) code views, and its own
  prior: ['encode', 'samples', 'codebookAtlas', 'codeMap', 'generate', 'attention'],
};
const answers = (model: ModelKind, q: InspectQuery) =>
  ANSWERS[model].includes(q.kind) &&
  !(model === 'cvae' && q.kind === 'encode' && 'pixels' in q.digit);
const CODES: Record<ModelKind, [number, number, number, number] | null> = {
  vae: null,
  ae: null,
  vqvae: [49, 7, 7, 8],
  dvae: [49, 7, 7, 8],
  catvae: [4, 1, 4, 5],
  pca: null,
  kmeans: [1, 1, 1, 10],
  mixture: [1, 1, 1, 10],
  glo: null,
  cvae: null,
  prior: [49, 7, 7, 8],
};

function checkShapes(answer: InspectAnswer, q: InspectQuery, model: ModelKind): void {
  const K = CODES[model]?.[3] ?? 0;
  const positions = CODES[model]?.[0] ?? 0;
  switch (answer.kind) {
    case 'manifold':
      expectImages(answer.images, 9);
      expect(answer.xs).toHaveLength(3);
      expect(answer.ys).toHaveLength(3);
      expect(answer.ys[0]).toBeGreaterThan(answer.ys[2]!); // top row = largest y
      expect(answer.xs[0]).toBeLessThan(answer.xs[2]!);
      return;
    case 'decodePoints':
      return expectImages(answer.images, 2);
    case 'encode':
      expect(answer.point.every(Number.isFinite)).toBe(true);
      expectImages(answer.reconstruction, 1);
      expectImages(answer.input, 1);
      return;
    case 'interpolate':
      expectImages(answer.linear, 4);
      expectImages(answer.slerp, 4);
      if (model === 'vqvae') {
        expectImages(answer.preQuantised!, 4);
        expect(Array.from(answer.quantised!.pixels)).toEqual(Array.from(answer.linear.pixels));
      } else expect(answer.preQuantised).toBeUndefined();
      return;
    case 'bilinear':
      return expectImages(answer.images, 9);
    case 'traversal':
      expect(answer.dims).toEqual([1, 0]);
      expect(answer.values).toEqual([-2, -1, 0, 1, 2]);
      return expectImages(answer.images, 10);
    case 'samples':
      expectImages(answer.images, 6);
      expect(answer.source).toBe(
        model === 'vae'
          ? 'prior N(0, I)'
          : model === 'ae' || model === 'pca' || model === 'glo'
            ? 'Gaussian fitted to the codes'
            : model === 'mixture'
              ? 'the mixture: a component k ~ π, then each pixel ~ Bernoulli(μ_k)'
              : model === 'cvae'
                ? 'prior N(0, I), labels 0 … 9 in turn'
                : model === 'prior'
                  ? 'the learned prior over codes, token by token, class token "any"'
                  : 'uniformly random codes',
      );
      return;
    case 'codebookAtlas':
      return expectImages(answer.images, K);
    case 'codeMap':
      expect(answer.indices).toBeInstanceOf(Int32Array);
      expect(answer.indices.length).toBe(3 * positions);
      expect(answer.indices.every((k) => k >= 0 && k < K)).toBe(true);
      expect([answer.positions, answer.gridHeight, answer.gridWidth, answer.codebookSize]).toEqual(
        CODES[model],
      );
      return;
    case 'gumbel':
      expect(answer.rows).toHaveLength(3);
      expect(answer.hard).toBeGreaterThanOrEqual(0);
      expect(answer.hard).toBeLessThan(K);
      expect([answer.codebookSize, answer.positions]).toEqual([K, positions]);
      expect(answer.tau).toBe((q as { tau: number }).tau);
      return;
    case 'responsibilities':
      expect(answer.probs).toHaveLength(K);
      expect(answer.probs.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(answer.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      return;
    case 'conditionalSamples':
      expect(answer.label).toBe(3);
      return expectImages(answer.images, 5);
    case 'everyLabel':
      expect(answer.label).toBeGreaterThanOrEqual(0);
      expect(answer.label).toBeLessThan(10);
      expectImages(answer.input, 1);
      return expectImages(answer.images, 10);
    case 'generate': {
      // 2 grids, every partial grid decoded (49 frames each), 2 uniform grids beside them.
      expect(answer.codes).toHaveLength(2 * positions);
      expect(answer.codes.every((k) => k >= 0 && k < K)).toBe(true);
      expectImages(answer.frames, 49 * 2);
      expectImages(answer.uniform, 2);
      expect(answer.fill).toBeGreaterThanOrEqual(0);
      expect(answer.fill).toBeLessThan(K);
      // The last frame is the sample itself: frame 49 holds every drawn code.
      const P = 28 * 28;
      const last = answer.frames.pixels.subarray(48 * 2 * P);
      expect(last.length).toBe(2 * P);
      return;
    }
    case 'attention': {
      const T = positions + 1;
      expect([answer.length, answer.heads]).toEqual([T, small.priorHeads!]);
      expect(answer.weights).toHaveLength(answer.layers * answer.heads * T * T);
      // Each query's row is a distribution over the keys up to itself.
      for (let r = 0; r < answer.layers * answer.heads * T; r++) {
        const row = answer.weights.subarray(r * T, (r + 1) * T);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        const q = r % T;
        expect(row.subarray(q + 1).every((w) => w === 0)).toBe(true);
      }
      return;
    }
  }
}

describe.each(MODEL_KINDS)('inspect %s', (model) => {
  let trainer: Trainer;
  beforeAll(async () => {
    trainer = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model });
    await step(trainer);
    await trainer.flush();
    await trainer.evaluate();
  }, 300_000); // conv models step slowly on the CPU backend
  afterAll(() => trainer.dispose());

  it('reports its capabilities', () => {
    const c = capabilitiesOf(trainer);
    expect(c.latentDim).toBe(['vae', 'ae', 'pca', 'glo'].includes(model) ? 2 : 0);
    const codes = CODES[model];
    expect(c.codes).toEqual(
      codes && { positions: codes[0], gridHeight: codes[1], gridWidth: codes[2], size: codes[3] },
    );
    expect(c.gumbel).toBe(model === 'dvae' || model === 'catvae');
    expect(c.preQuantised).toBe(model === 'vqvae');
    expect(c.labelClasses).toBe(model === 'cvae' || model === 'prior' ? 10 : undefined);
    expect(c.prior).toEqual(
      model === 'prior'
        ? { layers: small.priorLayers!, heads: small.priorHeads!, classes: 10 }
        : undefined,
    );
  });

  it.each(QUERIES.map((q) => [q.kind, q] as const))(
    '%s: answers (shapes, [0, 1], no leak) or rejects clearly',
    async (kind, q) => {
      await inspect(trainer, q).catch(() => null); // warm-up (AE's Gaussian fit, kernels)
      const before = tf.memory().numTensors;
      if (answers(model, q)) {
        const answer = await inspect(trainer, q);
        expect(answer.kind).toBe(kind);
        checkShapes(answer, q, model);
      } else {
        await expect(inspect(trainer, q)).rejects.toThrow(
          /needs .*(VAE|autoencoder|dVAE|mixture|label)/,
        );
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('rejects bad numbers and digits without leaking', async () => {
    const before = tf.memory().numTensors;
    await expect(inspect(trainer, { kind: 'encode', digit: { probe: 24 } })).rejects.toThrow(
      /probe index/,
    );
    await expect(
      inspect(trainer, { kind: 'encode', digit: { pixels: new Float32Array(10) } }),
    ).rejects.toThrow(/784 pixels/);
    await expect(inspect(trainer, { kind: 'samples', count: 0, seed: 1 })).rejects.toThrow(/count/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
