// The CLI's prior-over-codes commands (src/cli/prior-cli.ts): the prior's config from a saved
// tokenizer and the command line, the tokenizer's weights carried into a new prior, the test
// terms per token, and the sample files, read back with the app's own IDX parser.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import {
  carrySavedTokenizer,
  priorConfigFrom,
  SAMPLE_IMAGES_FILE,
  SAMPLE_LABELS_FILE,
  samplesIdx,
  withNllPerToken,
  writeSampleFiles,
  type SavedRun,
} from '../../src/cli/prior-cli';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { parseIdx } from '../../src/data/idx';
import { createModel } from '../../src/models/zoo';
import type { LatentModel } from '../../src/models/latent-model';
import { encodeCheckpoint, parseCheckpointMeta } from '../../src/train/checkpoint';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** A small VQ-VAE, as a tokenizer saved with --save (seed 5: other weights than a seed-1 one). */
const VQ: TrainConfig = {
  ...TRAIN_DEFAULTS,
  model: 'vqvae',
  codebookSize: 8,
  codeDim: 4,
  channels: 4,
  likelihood: 'gaussian',
  binarize: 'none',
  seed: 5,
  learningRate: 0.002,
};

/** A checkpoint's meta as read back from disk, with one placeholder weight. */
function savedMeta(config: TrainConfig, dataset = 'mnist'): SavedRun {
  const meta = parseCheckpointMeta({
    format: 'latent-lab-checkpoint',
    version: 1,
    config,
    step: 7,
    epoch: 1,
    dataset,
    weightSpecs: [{ name: 'w0', shape: [1], dtype: 'float32' }],
  });
  return { dir: 'runs/x', meta, weights: new ArrayBuffer(4) };
}

async function saved(model: LatentModel, config: TrainConfig): Promise<SavedRun> {
  const { meta, weights } = await encodeCheckpoint(model, config, {
    step: 7,
    epoch: 1,
    dataset: 'mnist',
  });
  return { dir: 'runs/x', meta: parseCheckpointMeta(JSON.parse(JSON.stringify(meta))), weights };
}

const values = async (vars: tf.Variable[]) => Promise.all(vars.map((v) => v.data()));

describe('--tokenizer DIR: the prior’s config', () => {
  const cli = ['--tokenizer', 'runs/x', '--layers', '3', '--width', '32', '--heads', '2'];

  it('keeps the tokenizer’s settings and dataset, and takes the prior’s from the command line', () => {
    const { config, dataset } = priorConfigFrom(savedMeta(VQ, 'kmnist'), parseCliArgs(cli));
    expect(dataset).toBe('kmnist');
    expect(config).toEqual({
      ...VQ,
      model: 'prior',
      tokenizerKind: 'vqvae',
      priorLayers: 3,
      priorWidth: 32,
      priorHeads: 2,
      // the prior's steps and seed are the command line's (here its defaults), not the tokenizer's
      learningRate: TRAIN_DEFAULTS.learningRate,
      seed: TRAIN_DEFAULTS.seed,
    });
  });

  it('takes a prior’s tokenizer, with this command line’s prior settings', () => {
    const old = { ...VQ, model: 'prior', tokenizerKind: 'dvae', priorLayers: 6 } as TrainConfig;
    const { config } = priorConfigFrom(savedMeta(old), parseCliArgs(cli));
    expect(config).toMatchObject({ model: 'prior', tokenizerKind: 'dvae', priorLayers: 3 });
    expect(config.codebookSize).toBe(8);
  });

  it('refuses a model that is not a tokenizer, another dataset, and the tokenizer’s flags', () => {
    expect(() => priorConfigFrom(savedMeta({ ...VQ, model: 'vae' }), parseCliArgs(cli))).toThrow(
      /--tokenizer runs\/x holds a vae .*not a tokenizer/,
    );
    expect(() =>
      priorConfigFrom(savedMeta(VQ, 'mnist'), parseCliArgs([...cli, '--dataset', 'kmnist'])),
    ).toThrow('--tokenizer runs/x was trained on mnist, not kmnist');
    expect(
      priorConfigFrom(savedMeta(VQ, 'mnist'), parseCliArgs([...cli, '--dataset', 'mnist'])).dataset,
    ).toBe('mnist');
    expect(() => priorConfigFrom(savedMeta(VQ), parseCliArgs([...cli, '--codes', '64']))).toThrow(
      /--codes: with --tokenizer, the tokenizer's settings come from runs\/x\/checkpoint.json/,
    );
    expect(() =>
      priorConfigFrom(savedMeta(VQ), parseCliArgs([...cli, '--tokenizer-kind', 'dvae'])),
    ).toThrow(/--tokenizer-kind/);
  });
});

describe('--tokenizer DIR: the weights', () => {
  it('copies a saved VQ-VAE into the new prior’s tokenizer (and a saved prior’s), leaving nothing behind', async () => {
    const vq = createModel(VQ, 784);
    const run = await saved(vq, VQ);
    const { config } = priorConfigFrom(run, parseCliArgs(['--layers', '1', '--width', '32']));
    const prior = createModel(config, 784, null, 10);
    const codes = tf.tensor2d(
      Int32Array.from({ length: 2 * 49 }, (_, i) => (i * 5) % 8),
      [2, 49],
      'int32',
    );
    // Built with seed 1, the prior's tokenizer differs from the seed-5 VQ-VAE until carried.
    const before = tf.tidy(() =>
      tf.max(tf.abs(tf.sub(prior.decodeCodes!(codes), vq.decodeCodes!(codes)))),
    );
    expect((await before.data())[0]).toBeGreaterThan(1e-3);
    const tensors = tf.memory().numTensors;
    const message = carrySavedTokenizer(run, prior, config, 784, 10);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(message).toMatch(/VQ-VAE as it was at step 7/);
    expect(await values(prior.tokenizerVariables!)).toEqual(
      await values(vq.savedVariables ?? vq.variables),
    );
    const a = prior.decodeCodes!(codes);
    const b = vq.decodeCodes!(codes);
    expect(await a.data()).toEqual(await b.data());

    // A saved prior gives its tokenizer to a prior of another shape.
    const priorRun = await saved(prior, config);
    const { config: next } = priorConfigFrom(priorRun, parseCliArgs(['--layers', '2']));
    const second = createModel(next, 784, null, 10);
    expect(carrySavedTokenizer(priorRun, second, next, 784, 10)).toMatch(/kept its frozen VQ-VAE/);
    expect(await values(second.tokenizerVariables!)).toEqual(
      await values(vq.savedVariables ?? vq.variables),
    );
    tf.dispose([before, codes, a, b]);
    [vq, prior, second].forEach((m) => m.dispose());
  });
});

describe('the epoch line of a prior', () => {
  it('adds −log p(codes) per token (over the 49 positions) and per image', () => {
    expect(withNllPerToken({ nll: 98, recon: 60 }, 49)).toEqual({
      nll: 98,
      recon: 60,
      nllPerToken: 2,
      nllPerImage: 98,
    });
    expect(withNllPerToken({ recon: 60 }, 49)).toEqual({ recon: 60 });
  });
});

describe('sample files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prior-samples-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes IDX images (grey levels round(255·x), clamped) and labels that parse back', async () => {
    const count = 3;
    const pixels = Float32Array.from(
      { length: count * 28 * 28 },
      (_, i) => ((i * 37) % 101) / 90 - 0.05,
    );
    const labels = Uint8Array.from([3, 3, 10]);
    const paths = await writeSampleFiles(join(dir, 'out'), pixels, count, 28, 28, labels);
    expect(paths).toEqual([
      join(dir, 'out', SAMPLE_IMAGES_FILE),
      join(dir, 'out', SAMPLE_LABELS_FILE),
    ]);
    const imageBytes = await readFile(paths[0]!);
    const labelBytes = await readFile(paths[1]!);
    // Headers, byte by byte: magic 0x00000803 then N, 28, 28; magic 0x00000801 then N (big-endian).
    expect([...imageBytes.subarray(0, 16)]).toEqual([
      0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28,
    ]);
    expect([...labelBytes.subarray(0, 8)]).toEqual([0, 0, 8, 1, 0, 0, 0, 3]);
    const images = parseIdx(imageBytes, SAMPLE_IMAGES_FILE);
    expect(images.dims).toEqual([3, 28, 28]);
    pixels.forEach((v, i) => {
      const expected = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
      if (images.data[i] !== expected) expect([i, images.data[i]]).toEqual([i, expected]);
    });
    const parsed = parseIdx(labelBytes, SAMPLE_LABELS_FILE);
    expect(parsed.dims).toEqual([3]);
    expect([...parsed.data]).toEqual([3, 3, 10]);
    expect(samplesIdx(pixels, count, 28, 28, labels).labels).toEqual(new Uint8Array(labelBytes));
  });
});
