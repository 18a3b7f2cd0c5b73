import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/models/zoo';
import {
  encodeCheckpoint,
  loadCheckpointWeights,
  parseCheckpointMeta,
} from '../../src/train/checkpoint';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const config: TrainConfig = { ...TRAIN_DEFAULTS, hiddenDim: 16, latentDim: 3 };
const state = { step: 42, epoch: 1, dataset: 'mnist' };

describe('checkpoints', () => {
  it('round-trip: a fresh model with the saved weights reconstructs exactly as the saved one', async () => {
    const a = createModel(config, 784);
    const b = createModel({ ...config, seed: 99 }, 784);
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const { meta, weights } = await encodeCheckpoint(a, config, state);
    const json = JSON.parse(JSON.stringify(meta)); // as written to and read from disk
    expect(json).toMatchObject({ format: 'latent-lab-checkpoint', version: 1, step: 42, config });
    expect(a.reconstruct(x).arraySync()).not.toEqual(b.reconstruct(x).arraySync());
    loadCheckpointWeights(b, json, weights);
    expect(b.reconstruct(x).arraySync()).toEqual(a.reconstruct(x).arraySync());
    a.dispose();
    b.dispose();
  });

  it('rejects a wrong format, version, model, truncated weights and wrong shapes, leaving the model untouched', async () => {
    const a = createModel(config, 784);
    const { meta, weights } = await encodeCheckpoint(a, config, state);
    const target = createModel(config, 784);
    const before = target.variables.map((v) => v.arraySync());
    const tensorsBefore = tf.memory().numTensors;
    expect(() => loadCheckpointWeights(target, { ...meta, format: 'x' as never }, weights)).toThrow(
      /not a Latent Lab checkpoint/,
    );
    expect(() => loadCheckpointWeights(target, { ...meta, version: 7 }, weights)).toThrow(
      /version 7 is not supported/,
    );
    expect(() =>
      loadCheckpointWeights(
        target,
        { ...meta, config: { ...meta.config, model: 'gan' as never } },
        weights,
      ),
    ).toThrow(/unknown model "gan"/);
    expect(() =>
      loadCheckpointWeights(target, meta, weights.slice(0, weights.byteLength - 8)),
    ).toThrow(/truncated/);
    const wider = createModel({ ...config, latentDim: 5 }, 784);
    expect(() => loadCheckpointWeights(wider, meta, weights)).toThrow(
      /has shape \[.*\], the model expects/,
    );
    expect(target.variables.map((v) => v.arraySync())).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore + wider.variables.length);
    for (const m of [a, target, wider]) m.dispose();
  });
});

describe('checkpoint shape errors', () => {
  it('a shape mismatch in a later weight assigns none of the earlier ones', async () => {
    const small = createModel({ ...config, latentDim: 3 }, 784);
    const { meta, weights } = await encodeCheckpoint(small, config, state);
    const other = createModel({ ...config, latentDim: 5 }, 784); // first layer matches, later ones do not
    const before = other.variables.map((v) => v.arraySync());
    expect(() => loadCheckpointWeights(other, meta, weights)).toThrow(/the model expects/);
    expect(other.variables.map((v) => v.arraySync())).toEqual(before);
    small.dispose();
    other.dispose();
  });
});

describe('parseCheckpointMeta (the JSON half of a user file)', () => {
  it('accepts what encodeCheckpoint writes, after a trip through JSON', async () => {
    const a = createModel(config, 784);
    const { meta } = await encodeCheckpoint(a, config, state);
    expect(parseCheckpointMeta(JSON.parse(JSON.stringify(meta)))).toEqual(meta);
    a.dispose();
  });

  it('fills settings missing from an older file with their defaults and ignores unknown ones', async () => {
    const a = createModel(config, 784);
    const { meta } = await encodeCheckpoint(a, config, state);
    const { codeDim: _dropped, ...partial } = meta.config;
    const parsed = parseCheckpointMeta({ ...meta, config: { ...partial, futureKnob: 3 } });
    expect(parsed.config.codeDim).toBe(TRAIN_DEFAULTS.codeDim);
    expect(parsed.config).not.toHaveProperty('futureKnob');
    a.dispose();
  });

  it('names the problem for each kind of bad file', async () => {
    const a = createModel(config, 784);
    const { meta } = await encodeCheckpoint(a, config, state);
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [[1, 2], /not an object/],
      [{ ...meta, format: 'keras' }, /not a Latent Lab checkpoint \(format is "keras"\)/],
      [{ ...meta, version: 2 }, /version 2 is not supported/],
      [{ ...meta, config: 'vae' }, /no "config" object/],
      [{ ...meta, config: { ...meta.config, model: 'gan' } }, /unknown model "gan"/],
      [
        { ...meta, config: { ...meta.config, latentDim: '2' } },
        /config.latentDim should be a number/,
      ],
      [{ ...meta, config: { ...meta.config, learningRate: null } }, /config.learningRate/],
      [{ ...meta, step: -1 }, /"step" should be a whole number/],
      [{ ...meta, weightSpecs: [] }, /no "weightSpecs"/],
      [
        { ...meta, weightSpecs: [{ name: 'w0', shape: [2, -1], dtype: 'float32' }] },
        /weightSpecs\[0\]/,
      ],
      [{ ...meta, weightSpecs: [{ name: 'w0', shape: [2], dtype: 'int32' }] }, /weightSpecs\[0\]/],
    ];
    for (const [raw, message] of bad) expect(() => parseCheckpointMeta(raw)).toThrow(message);
    a.dispose();
  });
});

describe('checkpoint of an EMA VQ-VAE', () => {
  it('stores the EMA-updated codebook, which the optimiser does not train', async () => {
    const vq = {
      ...TRAIN_DEFAULTS,
      model: 'vqvae' as const,
      ema: true,
      channels: 4,
      codebookSize: 8,
      codeDim: 4,
    };
    const a = createModel(vq, 784);
    const b = createModel({ ...vq, seed: 7 }, 784);
    const x = tf.randomUniform([2, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
    const { meta, weights } = await encodeCheckpoint(a, vq, state);
    expect(meta.weightSpecs.length).toBe(a.variables.length + 1);
    loadCheckpointWeights(b, parseCheckpointMeta(JSON.parse(JSON.stringify(meta))), weights);
    expect(b.reconstruct(x).arraySync()).toEqual(a.reconstruct(x).arraySync());
    tf.dispose([x]);
    a.dispose();
    b.dispose();
  });
});

describe('checkpoint files from outside (found by tests/unit/fuzz-parsers.test.ts)', () => {
  it('keeps only name, shape and dtype of each weight spec, so "quantization" cannot change the decoding', async () => {
    const a = createModel(config, 784);
    const { meta, weights } = await encodeCheckpoint(a, config, state);
    const raw = JSON.parse(JSON.stringify(meta));
    raw.weightSpecs[1].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    raw.weightSpecs[2].group = 'x';
    const parsed = parseCheckpointMeta(raw);
    expect(parsed.weightSpecs).toEqual(meta.weightSpecs);
    const before = tf.memory().numTensors;
    loadCheckpointWeights(a, parsed, weights);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('reads config keys of its own only: "__proto__" and "constructor" are not settings', async () => {
    const a = createModel(config, 784);
    const { meta } = await encodeCheckpoint(a, config, state);
    const raw = JSON.parse(
      JSON.stringify(meta).replace('"config":{', '"config":{"__proto__":[1],"constructor":1,'),
    );
    const parsed = parseCheckpointMeta(raw);
    expect(parsed.config).toEqual(config);
    expect(Object.getPrototypeOf(parsed.config)).toBe(Object.prototype);
    a.dispose();
  });
});

describe('float16 checkpoints (the trained models that ship with the app)', () => {
  it('stores each weight in 2 bytes and loads it back as its nearest half float', async () => {
    const a = createModel(config, 784);
    const full = await encodeCheckpoint(a, config, state);
    const half = await encodeCheckpoint(a, config, state, { float16: true });
    expect(half.weights.byteLength * 2).toBe(full.weights.byteLength);
    const raw = JSON.parse(JSON.stringify(half.meta));
    expect(raw.weightSpecs[0].quantization).toEqual({ dtype: 'float16' });
    const parsed = parseCheckpointMeta(raw);
    expect(parsed.weightSpecs).toEqual(half.meta.weightSpecs);
    const b = createModel({ ...config, seed: 5 }, 784);
    loadCheckpointWeights(b, parsed, half.weights);
    // Each weight is within half a float16 step (relative 2⁻¹¹) of the float32 one.
    a.variables.forEach((v, i) => {
      const want = v.dataSync();
      const got = b.variables[i]!.dataSync();
      for (let j = 0; j < want.length; j++)
        expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(
          Math.abs(want[j]!) * 2 ** -11 + 2 ** -25,
        );
    });
    expect(() => loadCheckpointWeights(b, parsed, full.weights)).toThrow(/truncated or padded/);
    a.dispose();
    b.dispose();
  });

  it('keeps a weight beyond float16 range (above 65504) in float32, the others in float16', async () => {
    const a = createModel(config, 784);
    const big = a.variables[1]!;
    const values = Float32Array.from(big.dataSync(), (v, j) => (j === 0 ? 1e5 : v));
    big.assign(tf.tensor(values, big.shape));
    const full = await encodeCheckpoint(a, config, state);
    const half = await encodeCheckpoint(a, config, state, { float16: true });
    const specs = half.meta.weightSpecs;
    expect(specs[1]!.quantization).toBeUndefined();
    expect(specs.filter((s) => s.quantization?.dtype === 'float16')).toHaveLength(specs.length - 1);
    expect(half.weights.byteLength).toBe((full.weights.byteLength + values.length * 4) / 2);
    const b = createModel({ ...config, seed: 5 }, 784);
    loadCheckpointWeights(
      b,
      parseCheckpointMeta(JSON.parse(JSON.stringify(half.meta))),
      half.weights,
    );
    expect(Array.from(b.variables[1]!.dataSync())).toEqual(Array.from(values));
    a.dispose();
    b.dispose();
  });
});
