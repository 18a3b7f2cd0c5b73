// The CLI's prior-over-codes commands (src/cli/prior-cli.ts): the prior's config from a saved
// tokenizer and the command line, the tokenizer's weights carried into a new prior, the test
// terms per token, and the sample files, read back with the app's own IDX parser.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import {
  carrySavedTokenizer,
  priorConfigFrom,
  SAMPLE_IMAGES_FILE,
  SAMPLE_LABELS_FILE,
  samplePrior,
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

  it('carries a dVAE the same way', async () => {
    const DV: TrainConfig = { ...VQ, model: 'dvae', codebookSize: 16 };
    const dvae = createModel(DV, 784);
    const run = await saved(dvae, DV);
    const { config } = priorConfigFrom(run, parseCliArgs(['--layers', '1', '--width', '32']));
    expect(config.tokenizerKind).toBe('dvae');
    const prior = createModel(config, 784, null, 10);
    expect(carrySavedTokenizer(run, prior, config, 784, 10)).toMatch(/dVAE as it was at step 7/);
    expect(await values(prior.tokenizerVariables!)).toEqual(await values(dvae.variables));
    dvae.dispose();
    prior.dispose();
  });
});

describe('--load DIR --sample N', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prior-load-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('draws in batches (batch b seeded S + 100003·b), decodes, writes, leaves nothing behind', async () => {
    const config = {
      ...VQ,
      model: 'prior',
      tokenizerKind: 'vqvae',
      priorLayers: 1,
      priorWidth: 32,
      priorHeads: 2,
    } as TrainConfig;
    const prior = createModel(config, 784, null, 10);
    const { meta, weights } = await encodeCheckpoint(prior, config, {
      step: 3,
      epoch: 1,
      dataset: 'mnist',
    });
    await mkdir(join(dir, 'prior'));
    await writeFile(join(dir, 'prior', 'checkpoint.json'), JSON.stringify(meta));
    await writeFile(join(dir, 'prior', 'weights.bin'), new Uint8Array(weights));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const run = async (count: number, ...more: string[]) => {
      const out = join(dir, `out-${count}-${more.join('')}`);
      const args = ['--load', join(dir, 'prior'), '--sample', String(count), '--out', out];
      await samplePrior(parseCliArgs([...args, '--seed', '4', ...more]), 'datasets', 3);
      const images = parseIdx(await readFile(join(out, SAMPLE_IMAGES_FILE)));
      const labels = parseIdx(await readFile(join(out, SAMPLE_LABELS_FILE)));
      return { images, labels, line: JSON.parse(String(log.mock.lastCall![0])) };
    };
    const any = await run(2);
    expect([...any.labels.data]).toEqual([10, 10]);
    expect(any.line).toMatchObject({ samples: 2, class: 'any', temperature: 1 });

    // (After a first draw: the attention's causal masks, one per length, are made once and kept.)
    const tensors = tf.memory().numTensors;
    const many = await run(7, '--class', '3', '--temperature', '0.8');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(many.images.dims).toEqual([7, 28, 28]);
    expect([...many.labels.data]).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(many.line).toMatchObject({ samples: 7, class: 3, temperature: 0.8, topK: 0, seed: 4 });

    // The reference: the prior's own generate + decodeCodes, batches of 3, 3, 1 seeded 4 + 100003·b.
    const reference = async (n: number, seed: number) => {
      const t = tf.tidy(() => {
        const labels = tf.fill([n], 3, 'int32') as tf.Tensor1D;
        const codes = prior.generate!(labels, { temperature: 0.8, topK: 0, seed });
        return tf.round(tf.mul(tf.clipByValue(prior.decodeCodes!(codes), 0, 1), 255));
      });
      const v = Uint8Array.from(await t.data());
      t.dispose();
      return [...v];
    };
    const P = 784;
    const got = (from: number, to: number) => [...many.images.data.subarray(from * P, to * P)];
    expect(got(0, 3)).toEqual(await reference(3, 4));
    expect(got(3, 6)).toEqual(await reference(3, 4 + 100003));
    expect(got(6, 7)).toEqual(await reference(1, 4 + 2 * 100003));
    expect(got(0, 3)).not.toEqual(got(3, 6));
    log.mockRestore();
    prior.dispose();
  });

  it('refuses a checkpoint that is not a prior, and a class the prior has no token for', async () => {
    const vq = createModel(VQ, 784);
    const { meta, weights } = await encodeCheckpoint(vq, VQ, {
      step: 1,
      epoch: 1,
      dataset: 'mnist',
    });
    vq.dispose();
    await mkdir(join(dir, 'vq'));
    await writeFile(join(dir, 'vq', 'checkpoint.json'), JSON.stringify(meta));
    await writeFile(join(dir, 'vq', 'weights.bin'), new Uint8Array(weights));
    const sample = (load: string, ...more: string[]) =>
      samplePrior(
        parseCliArgs(['--load', load, '--sample', '1', '--out', join(dir, 'o'), ...more]),
        'datasets',
      );
    await expect(sample(join(dir, 'vq'))).rejects.toThrow(/holds a vqvae .*not a prior over codes/);
    await expect(sample(join(dir, 'nowhere'))).rejects.toThrow(/--load .*nowhere: no such folder/);

    const config = {
      ...VQ,
      model: 'prior',
      priorLayers: 1,
      priorWidth: 32,
      priorHeads: 2,
      conditional: false,
    } as TrainConfig;
    const prior = createModel(config, 784, null, 10);
    const saved = await encodeCheckpoint(prior, config, { step: 1, epoch: 1, dataset: 'mnist' });
    prior.dispose();
    await mkdir(join(dir, 'plain'));
    await writeFile(join(dir, 'plain', 'checkpoint.json'), JSON.stringify(saved.meta));
    await writeFile(join(dir, 'plain', 'weights.bin'), new Uint8Array(saved.weights));
    await expect(sample(join(dir, 'plain'), '--class', '2')).rejects.toThrow(
      /without a class token .*use --class any/,
    );
    await expect(sample(join(dir, 'plain'), '--top-k', '9')).rejects.toThrow(
      '--top-k 9: the tokenizer has 8 codes',
    );
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
