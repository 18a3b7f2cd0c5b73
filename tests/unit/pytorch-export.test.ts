// The PyTorch export's entries and the fixed-noise evaluation it reports. (That PyTorch
// reproduces the numbers is tests/browser/pytorch-export.test.mjs, with python3.)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CATALOG, MODEL_KINDS } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { createModel } from '../../src/models/zoo';
import type { Cvae } from '../../src/models/cvae';
import type { Glo } from '../../src/models/glo';
import type { TokenPrior } from '../../src/models/token-prior';
import { Vae } from '../../src/models/vae';
import { reconstructionNll } from '../../src/ops/reconstruction';
import { bernoulliNllFromLogits } from '../../src/ops/bernoulli';
import { PYTORCH_EXPORTS } from '../../src/train/export/entries';
import { asGreyLevels, buildPytorchExport } from '../../src/train/export/pytorch-export';
import { crc32, storedZip } from '../../src/train/export/zip';
import { unzipSync } from 'fflate';
import { fixedNoiseTerms } from '../../src/train/fixed-noise';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const small: Partial<TrainConfig> = {
  hiddenDim: 8,
  latentDim: 3,
  channels: 4,
  codebookSize: 5,
  codeDim: 3,
  categorical: 4,
  classes: 3,
};
/** Every option that changes the exported architecture or its tensors. */
const VARIANTS: Partial<TrainConfig>[] = [
  { arch: 'mlp' },
  { arch: 'conv' },
  { ema: true },
  { ema: false },
];

describe('PyTorch export entries', () => {
  it.each(MODEL_KINDS)('%s has an entry naming each of its weights once', (kind) => {
    const entry = PYTORCH_EXPORTS[kind];
    expect(
      entry,
      `no PyTorch export entry for ${kind} (src/train/export/entries.ts)`,
    ).toBeDefined();
    // GLO has a code per training image: a small training set.
    const train =
      kind === 'glo' ? (tf.randomUniform([7, 784], 0, 1, 'float32', 5) as tf.Tensor2D) : null;
    for (const v of VARIANTS) {
      const config = { ...TRAIN_DEFAULTS, ...small, ...v, model: kind };
      const model = createModel(config, 784, train);
      const entries = entry!.weights(config);
      expect(entries).toHaveLength((model.savedVariables ?? model.variables).length);
      const names = entries.flatMap((w) => (w ? [w.name] : []));
      const state = entry!.state?.(config) ?? [];
      if (entry!.state) expect(state).toHaveLength(model.stateVariables?.length ?? 0);
      const all = [...names, ...state.flatMap((s) => (s ? [s.name] : []))];
      expect(new Set(all).size).toBe(all.length);
      model.dispose();
    }
    train?.dispose();
  });
});

describe('fixed-noise evaluation', () => {
  const x = () => tf.randomUniform([6, 784], 0, 1, 'float32', 3) as tf.Tensor2D;

  it('gives the same terms for any noise seed (where the noisy evaluation differs)', async () => {
    for (const kind of ['vae', 'cvae', 'dvae', 'catvae'] as const) {
      const model = createModel({ ...TRAIN_DEFAULTS, ...small, model: kind }, 784);
      const xb = x();
      const labels = tf.tensor1d([0, 1, 2, 3, 4, 9], 'int32');
      const read = async (seed: number, deterministic = true) => {
        const per = model.evaluate(xb, { step: 5, seed, deterministic, labels });
        const out = Object.fromEntries(
          await Promise.all(
            Object.entries(per).map(async ([k, v]) => [k, Array.from(await v.data())]),
          ),
        );
        tf.dispose(Object.values(per));
        return out;
      };
      expect(await read(1)).toEqual(await read(2));
      expect(await read(1, false)).not.toEqual(await read(2, false));
      tf.dispose([xb, labels]);
      model.dispose();
    }
  });

  it('the VAE decodes z = μ: recon is the Bernoulli NLL of decode(μ) (direct computation)', async () => {
    const model = new Vae({ hiddenDim: 8, latentDim: 3 });
    const xb = x();
    const terms = await fixedNoiseTerms(model, xb, 0);
    const direct = tf.tidy(() =>
      tf.mean(bernoulliNllFromLogits(model.decode(model.encode(xb).mu), xb)),
    );
    expect(terms.recon).toBeCloseTo((await direct.data())[0]!, 3);
    expect(terms.negElbo).toBeCloseTo(terms.recon! + terms.kl!, 3);
    tf.dispose([direct, xb]);
    model.dispose();
  });

  it('builds every file and leaves no tensor behind', async () => {
    const config = { ...TRAIN_DEFAULTS, ...small, model: 'vqvae' as const, ema: true };
    const model = createModel(config, 784);
    const probeX = x();
    const before = tf.memory().numTensors;
    const files = await buildPytorchExport({
      model,
      config,
      step: 3,
      epoch: 0,
      dataset: { id: 'mnist', height: 28, width: 28, train: { count: 60000 } },
      probeX,
      probeLabels: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      templates: (file) => readFile(resolve('public/pytorch', file), 'utf8'),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(files.map((f) => f.path).sort()).toEqual([
      'README.md',
      'export.json',
      'model.py',
      'model.safetensors',
      'probes.safetensors',
      'train.py',
    ]);
    const summary = JSON.parse(
      new TextDecoder().decode(files.find((f) => f.path === 'export.json')!.data),
    );
    expect(Object.keys(summary.probeTerms)).toEqual(MODEL_CATALOG.vqvae.terms.map((t) => t.key));
    const py = new TextDecoder().decode(files.find((f) => f.path === 'model.py')!.data);
    expect(py).toContain('class Model(LabModel)');
    expect(py).toContain('"ema": true');
    tf.dispose(probeX);
    model.dispose();
  });
});

describe('the CVAE export', () => {
  it.each(['mlp', 'conv'] as const)(
    '%s: evaluates each probe digit with its own label and writes K into model.py',
    async (arch) => {
      const config: TrainConfig = { ...TRAIN_DEFAULTS, ...small, model: 'cvae', arch };
      const model = createModel(config, 784, null, 10) as Cvae;
      const probeX = tf.randomUniform([6, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
      const probeLabels = Uint8Array.from([7, 2, 1, 0, 4, 1]);
      const before = tf.memory().numTensors;
      const files = await buildPytorchExport({
        model,
        config,
        step: 0,
        epoch: 0,
        dataset: { id: 'mnist', height: 28, width: 28, train: { count: 60000 } },
        probeX,
        probeLabels,
        templates: (file) => readFile(resolve('public/pytorch', file), 'utf8'),
      });
      expect(tf.memory().numTensors).toBe(before);
      const file = (path: string) => files.find((f) => f.path === path)!.data;
      const summary = JSON.parse(new TextDecoder().decode(file('export.json')));
      expect(summary.labelClasses).toBe(10);
      expect(Object.keys(summary.probeTerms)).toEqual(['negElbo', 'recon', 'kl']);
      // z = μ of q(z|x,y), decoded with the same labels.
      const labels = tf.tensor1d(Int32Array.from(probeLabels), 'int32');
      const direct = tf.tidy(() => {
        const { mu } = model.encode(probeX, labels);
        return tf.mean(bernoulliNllFromLogits(model.decode(mu, labels), probeX));
      });
      expect(summary.probeTerms.recon).toBeCloseTo((await direct.data())[0]!, 3);
      expect(summary.probeTerms.negElbo).toBeCloseTo(
        summary.probeTerms.recon + summary.probeTerms.kl,
        3,
      );
      // Other labels give other numbers: the labels reached the evaluation.
      const zeros = tf.zeros([6], 'int32') as tf.Tensor1D;
      const other = await fixedNoiseTerms(model, probeX, 0, zeros);
      expect(other.recon).not.toBeCloseTo(summary.probeTerms.recon, 6);
      const weights = readSafetensors(file('model.safetensors'));
      const first = arch === 'conv' ? 'mu.weight' : 'body.dense.weight';
      expect(weights[first]!.shape).toEqual(arch === 'conv' ? [3, 7 * 7 * 64 + 10] : [8, 784 + 10]);
      expect(
        weights['decoder.' + (arch === 'conv' ? 'dense' : 'hidden') + '.weight']!.shape,
      ).toEqual(arch === 'conv' ? [7 * 7 * 32, 3 + 10] : [8, 3 + 10]);
      const py = new TextDecoder().decode(file('model.py'));
      expect(py).toContain('"labelClasses": 10');
      tf.dispose([direct, labels, zeros, probeX]);
      model.dispose();
    },
  );
});

describe('the GLO export', () => {
  it("exports the probe digits' inferred codes; its terms decode them and are the lab's test terms", async () => {
    const config: TrainConfig = {
      ...TRAIN_DEFAULTS,
      ...small,
      model: 'glo',
      likelihood: 'gaussian',
      sigma: 0.3,
      inferSteps: 4,
    };
    const train = tf.randomUniform([10, 784], 0, 1, 'float32', 7) as tf.Tensor2D;
    const model = createModel(config, 784, train);
    const probeX = tf.randomUniform([6, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const files = await buildPytorchExport({
      model,
      config,
      step: 0,
      epoch: 0,
      dataset: { id: 'mnist', height: 28, width: 28, train: { count: 10 } },
      probeX,
      probeLabels: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      templates: (file) => readFile(resolve('public/pytorch', file), 'utf8'),
    });
    expect(tf.memory().numTensors).toBe(before);
    const file = (path: string) => files.find((f) => f.path === path)!.data;
    const probes = readSafetensors(file('probes.safetensors'));
    expect(Object.keys(probes)).toEqual(['x', 'labels', 'codes']);
    expect(probes.codes!.shape).toEqual([6, 3]);
    // The codes are the lab's inferred ones (embed), and the terms the decoder's at those codes.
    const inferred = model.embed(probeX);
    expect(Array.from(probes.codes!.data)).toEqual(Array.from(await inferred.data()));
    const direct = tf.tidy(() => {
      const logits = (model as Glo).decode(inferred);
      return tf.mean(reconstructionNll(logits, probeX, 'gaussian', 0.3));
    });
    const summary = JSON.parse(new TextDecoder().decode(file('export.json')));
    expect(Object.keys(summary.probeTerms)).toEqual(['recon', 'squaredError']);
    expect(summary.probeTerms.recon).toBeCloseTo((await direct.data())[0]!, 3);
    // The lab's own test terms (codes inferred inside evaluate) are the same numbers.
    const own = model.evaluate(probeX, { step: 0, seed: 0 });
    const mean = async (t: tf.Tensor) => (await tf.mean(t).data())[0]!;
    expect(summary.probeTerms.recon).toBeCloseTo(await mean(own.recon!), 4);
    expect(summary.probeTerms.squaredError).toBeCloseTo(await mean(own.squaredError!), 5);
    const weights = readSafetensors(file('model.safetensors'));
    expect(weights.codes!.shape).toEqual([10, 3]);
    const py = new TextDecoder().decode(file('model.py'));
    expect(py).toContain('"trainCount": 10');
    tf.dispose([inferred, direct, ...Object.values(own), probeX, train]);
    model.dispose();
  });
});

describe('the prior export', () => {
  it.each(['vqvae', 'dvae'] as const)(
    'over a %s: the tokenizer under tokenizer.*, the transformer in PyTorch layouts, the counts',
    async (tokenizerKind) => {
      const config: TrainConfig = {
        ...TRAIN_DEFAULTS,
        ...small,
        model: 'prior',
        tokenizerKind,
        priorLayers: 1,
        priorWidth: 8,
        priorHeads: 2,
        conditional: true,
      };
      const model = createModel(config, 784, null, 10) as TokenPrior;
      const probeX = tf.randomUniform([6, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      const files = await buildPytorchExport({
        model,
        config,
        step: 0,
        epoch: 0,
        dataset: { id: 'mnist', height: 28, width: 28, train: { count: 60000 } },
        probeX,
        probeLabels: Uint8Array.from([7, 2, 1, 0, 4, 1]),
        templates: (file) => readFile(resolve('public/pytorch', file), 'utf8'),
      });
      expect(tf.memory().numTensors).toBe(before);
      const file = (path: string) => files.find((f) => f.path === path)!.data;
      const weights = readSafetensors(file('model.safetensors'));
      // The tokenizer's own export, renamed.
      const own = PYTORCH_EXPORTS[tokenizerKind]!.weights(config).flatMap((w) => (w ? [w] : []));
      const K = 5;
      const W = 8;
      for (const w of own) expect(weights[`tokenizer.${w.name}`]).toBeDefined();
      expect(weights['transformer.tokens.weight']!.shape).toEqual([K + 11, W]);
      expect(weights['transformer.positions.weight']!.shape).toEqual([50, W]);
      expect(weights['transformer.blocks.0.qkv.weight']!.shape).toEqual([3 * W, W]);
      expect(weights['transformer.blocks.0.fc.weight']!.shape).toEqual([4 * W, W]);
      expect(weights['transformer.head.weight']!.shape).toEqual([K, W]);
      expect(weights.counts!.shape).toEqual([K]);
      // nn.Linear's weight [out,in] is the Dense kernel [in,out] transposed.
      const qkv = await model.transformer.blocks[0]!.qkv.w.data();
      const torchQkv = weights['transformer.blocks.0.qkv.weight']!.data;
      for (const [o, i] of [
        [0, 0],
        [5, 3],
        [23, 7],
      ] as const)
        expect(torchQkv[o * W + i]).toBe(qkv[i * 3 * W + o]);
      const summary = JSON.parse(new TextDecoder().decode(file('export.json')));
      expect(summary.labelClasses).toBe(10);
      const t = summary.probeTerms;
      expect(Object.keys(t)).toEqual(MODEL_CATALOG.prior.terms.map((x) => x.key));
      expect(t.bound).toBeCloseTo(t.recon + t.nll, 2);
      expect(t.uniform).toBeCloseTo(49 * Math.log(K), 3);
      expect(new TextDecoder().decode(file('model.py'))).toContain(
        `"tokenizerKind": "${tokenizerKind}"`,
      );
      probeX.dispose();
      model.dispose();
    },
  );
});

/** name → shape and values of a safetensors file (F32 and U8 only). */
function readSafetensors(bytes: Uint8Array): Record<string, { shape: number[]; data: number[] }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = spec.data_offsets;
    const raw = bytes.slice(8 + n + a, 8 + n + b);
    const data = spec.dtype === 'F32' ? Array.from(new Float32Array(raw.buffer)) : Array.from(raw);
    out[name] = { shape: spec.shape, data };
  }
  return out;
}

describe('the export zip and probe pixels', () => {
  it('a stored zip reads back with fflate (names, bytes, CRC-32 checked)', () => {
    const files = [
      { path: 'a/model.py', data: new TextEncoder().encode('print("hi")\n') },
      { path: 'a/w.bin', data: Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255) },
    ];
    const back = unzipSync(storedZip(files));
    expect(Object.keys(back)).toEqual(['a/model.py', 'a/w.bin']);
    for (const f of files) expect(Array.from(back[f.path]!)).toEqual(Array.from(f.data));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
  });

  it('grey levels stand in for pixels only when level/255 gives them back exactly', () => {
    const levels = Uint8Array.from({ length: 256 }, (_, i) => i);
    const pixels = Float32Array.from(levels, (b) => b / 255);
    expect(asGreyLevels(pixels)).toEqual(levels);
    expect(asGreyLevels(Float32Array.from([0, 1, 0.5]))).toBeNull();
  });
});
