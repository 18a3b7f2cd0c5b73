// K-means and the mixture through the trainer: fit steps leak nothing, checkpoints round-trip
// (same numbers, and the next iteration continues the same), and the CLI reads their flags.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { createModel } from '../../src/models/zoo';
import { encodeCheckpoint, loadCheckpointWeights } from '../../src/train/checkpoint';
import { Trainer } from '../../src/train/trainer';
import { dataset } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const MODELS = ['kmeans', 'mixture'] as const;
const configOf = (model: (typeof MODELS)[number]): TrainConfig => ({
  ...TRAIN_DEFAULTS,
  model,
  clusters: 10,
  binarize: 'static',
});

describe.each(MODELS)('%s in the trainer', (model) => {
  it('fit steps advance step and epoch, report the catalog terms and leak nothing', async () => {
    const t = new Trainer(dataset(40), configOf(model));
    await t.fitStep();
    await t.flush();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await t.fitStep();
    const m = await t.flush();
    await t.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    expect([t.step, t.epoch]).toEqual([4, 4]);
    expect(m!.steps).toEqual([2, 3, 4]);
    const keys = model === 'kmeans' ? ['squaredError'] : ['nll', 'elbo', 'elboE'];
    expect(Object.keys(m!.terms)).toEqual(keys);
    for (const k of keys) expect(m!.terms[k]!.every(Number.isFinite)).toBe(true);
    t.dispose();
  });

  it('checkpoints round-trip: the same test numbers, and the same next iteration', async () => {
    const data = dataset(40);
    const x = tf.tensor2d(
      Float32Array.from(data.test.images.subarray(0, 8 * 784), (v) => (v > 127 ? 1 : 0)),
      [8, 784],
    );
    const t = new Trainer(data, configOf(model));
    for (let i = 0; i < 2; i++) await t.fitStep();
    const { meta, weights } = await encodeCheckpoint(t.model, configOf(model), {
      step: t.step,
      epoch: t.epoch,
      dataset: 'test',
    });
    const loaded = createModel({ ...configOf(model), seed: 5 }, 784);
    loadCheckpointWeights(loaded, JSON.parse(JSON.stringify(meta)), weights);
    const read = async (m: typeof loaded) => {
      const e = m.evaluate(x, { step: 0, seed: 0 });
      const out = Object.fromEntries(
        await Promise.all(Object.entries(e).map(async ([k, v]) => [k, Array.from(await v.data())])),
      );
      tf.dispose(Object.values(e));
      return out;
    };
    expect(await read(loaded)).toEqual(await read(t.model));
    const train = tf.tensor2d(
      Float32Array.from(data.train.images, (v) => (v > 127 ? 1 : 0)),
      [40, 784],
    );
    const a = await t.model.fit!(train, { iteration: 3, seed: 0 });
    const b = await loaded.fit!(train, { iteration: 3, seed: 0 });
    expect(b.terms).toEqual(a.terms);
    expect(await read(loaded)).toEqual(await read(t.model));
    tf.dispose([x, train]);
    loaded.dispose();
    t.dispose();
  });
});

describe('CLI flags', () => {
  it('reads --clusters and --iterations, and refuses K outside 10–512', () => {
    const o = parseCliArgs(['--model', 'mixture', '--clusters', '500', '--iterations', '7']);
    expect(o.config.model).toBe('mixture');
    expect(o.config.clusters).toBe(500);
    expect(o.epochs).toBe(7);
    expect(() => parseCliArgs(['--model', 'kmeans', '--clusters', '5'])).toThrow(/clusters/);
  });
});
