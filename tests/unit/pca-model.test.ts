// The PCA model against a direct computation: the covariance built in plain JS and decomposed by
// Jacobi (core/eigen), on both of the model's paths (covariance on the device + subspace
// iteration for many images; the Gram matrix for few). Then the model's own terms, no leaks,
// checkpoint and run-file round-trips, and the trainer's fit hook (one step = one epoch).
import { beforeAll, describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/core/eigen';
import { principalAngles } from '../../src/core/principal-angles';
import { mulberry32 } from '../../src/core/rng';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { Pca, principalSubspace } from '../../src/models/pca';
import { createModel } from '../../src/models/zoo';
import { encodeCheckpoint, loadCheckpointWeights } from '../../src/train/checkpoint';
import { captureRun, restoreRun } from '../../src/train/run-state';
import { Trainer } from '../../src/train/trainer';
import { capabilitiesOf, inspect } from '../../src/train/inspect/inspector';
import { dataset } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** N points in ℝᴾ near a 6-dimensional subspace with decaying spread, plus small noise. */
function data(n: number, p: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const dirs = Array.from({ length: 6 }, () => Array.from({ length: p }, () => gauss()));
  const out = new Float32Array(n * p);
  for (let i = 0; i < n; i++) {
    const c = dirs.map((_, k) => gauss() * (3 / (k + 1)));
    for (let j = 0; j < p; j++) {
      let v = 0.5 + 0.05 * gauss();
      dirs.forEach((d, k) => (v += 0.1 * c[k]! * d[j]!));
      out[i * p + j] = v;
    }
  }
  return out;
}

/** Mean, covariance and its eigen-decomposition, directly (no TF.js). */
function reference(x: Float32Array, n: number, p: number) {
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += x[i * p + j]! / n;
  const c = new Float64Array(p * p);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++)
        c[a * p + b]! += ((x[i * p + a]! - mean[a]!) * (x[i * p + b]! - mean[b]!)) / n;
  let trace = 0;
  for (let a = 0; a < p; a++) trace += c[a * p + a]!;
  return { mean, trace, ...symmetricEigen(c, p) };
}

describe.each([
  ['the covariance and subspace iteration', 400],
  ['the Gram matrix', 30],
])('principalSubspace by %s', (_, n) => {
  it('matches the direct decomposition (variances, subspace, mean, trace)', async () => {
    const p = 40;
    const d = 4;
    const x = data(n, p, 5);
    const ref = reference(x, n, p);
    const t = tf.tensor2d(x, [n, p]);
    const s = await principalSubspace(t, d);
    t.dispose();
    for (let j = 0; j < d; j++) expect(s.variances[j]!).toBeCloseTo(ref.values[j]!, 4);
    expect(s.totalVariance).toBeCloseTo(ref.trace, 4);
    for (let j = 0; j < p; j++) expect(s.mean[j]!).toBeCloseTo(ref.mean[j]!, 5);
    const refBasis = new Float64Array(p * d);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < d; j++) refBasis[i * d + j] = ref.vectors[i * p + j]!;
    const angles = principalAngles(s.basis, refBasis, p, d, d);
    expect(Math.max(...angles)).toBeLessThan(1e-3);
  });
});

describe('Pca model', () => {
  it('fit reports tr C − Σλ, which equals the direct mean squared error; no tensors left', async () => {
    const n = 300;
    const p = 40;
    const x = tf.tensor2d(data(n, p, 8), [n, p]);
    const model = new Pca({ inputDim: p, latentDim: 3, seed: 1 });
    const before = tf.memory().numTensors;
    const { terms, converged } = await model.fit(x, { iteration: 1, seed: 1 });
    expect(converged).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    const per = model.evaluate(x, { step: 1, seed: 0 }).squaredError!;
    const direct = Array.from(await per.data()).reduce((a, v) => a + v, 0) / n;
    per.dispose();
    expect(terms.squaredError!).toBeCloseTo(direct, 3);
    // A point of the fitted affine subspace reconstructs to itself.
    const z = tf.tensor2d([[0.7, -1.2, 0.3]]);
    const onPlane = model.decode(z);
    const back = model.encode(onPlane);
    expect(back.shape).toEqual([1, 3]);
    const bz = await back.data();
    [0.7, -1.2, 0.3].forEach((v, j) => expect(bz[j]!).toBeCloseTo(v, 4));
    tf.dispose([z, onPlane, back, x]);
    model.dispose();
  });

  it('trains through the fit hook: one step = one epoch, converged, terms flushed, no leak', async () => {
    const config: TrainConfig = { ...TRAIN_DEFAULTS, model: 'pca', latentDim: 2 };
    const t = new Trainer(dataset(24), config);
    expect(t.fitsWithoutGradients).toBe(true);
    expect(t.imagesPerStep).toBe(24);
    expect(() => t.trainStep()).toThrow(/fitted without gradients/);
    const before = tf.memory().numTensors;
    expect(await t.fitStep()).toBe(true);
    expect([t.step, t.epoch]).toEqual([1, 1]);
    const m = (await t.flush())!;
    expect(m.steps).toEqual([1]);
    expect(m.terms.squaredError![0]!).toBeGreaterThan(0);
    await t.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('checkpoint and run snapshot round-trip the fitted subspace', async () => {
    const config: TrainConfig = { ...TRAIN_DEFAULTS, model: 'pca', latentDim: 3 };
    const ds = dataset(24);
    const t = new Trainer(ds, config);
    await t.fitStep();
    await t.flush();
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const want = t.model.reconstruct(x).arraySync();
    const fresh = createModel(config, 784);
    expect(fresh.reconstruct(x).arraySync()).not.toEqual(want);
    const { meta, weights } = await encodeCheckpoint(t.model, config, {
      step: 1,
      epoch: 1,
      dataset: 't',
    });
    loadCheckpointWeights(fresh, JSON.parse(JSON.stringify(meta)), weights);
    expect(fresh.reconstruct(x).arraySync()).toEqual(want);
    const s = await captureRun(t, config, 't');
    const restored = (await restoreRun(ds, s.meta, s.weights, s.state, s.order)).trainer;
    expect([restored.step, restored.epoch]).toEqual([1, 1]);
    expect(restored.model.reconstruct(x).arraySync()).toEqual(want);
    for (const m of [t, restored]) m.dispose();
    fresh.dispose();
    x.dispose();
  });
});

describe('the subspaces question (PCA beside the linear AE)', () => {
  it('PCA: its own fit, error equal to the evaluated one on the probe digits', async () => {
    const t = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, model: 'pca', latentDim: 3 });
    await t.fitStep();
    await t.flush();
    expect(capabilitiesOf(t).affineDecoder).toBe(true);
    const ev = await t.evaluate();
    const before = tf.memory().numTensors;
    const a = await inspect(t, { kind: 'subspaces' });
    expect(tf.memory().numTensors).toBe(before);
    if (a.kind !== 'subspaces') throw new Error(a.kind);
    expect(a.model).toBeNull();
    expect(a.pca.squaredError).toBeCloseTo(ev.test.squaredError!, 3);
    expect(a.pca.basis.count).toBe(3);
    expect(a.pca.variances[0]!).toBeGreaterThanOrEqual(a.pca.variances[1]!);
    t.dispose();
  });

  it('linear AE: angles in degrees, its error ≥ PCA’s floor; refused for a ReLU AE', async () => {
    const config: TrainConfig = {
      ...TRAIN_DEFAULTS,
      model: 'ae',
      activation: 'linear',
      likelihood: 'gaussian',
      hiddenDim: 16,
      latentDim: 2,
      batchSize: 8,
    };
    const t = new Trainer(dataset(24), config);
    t.trainStep();
    await t.flush();
    await inspect(t, { kind: 'subspaces' }); // fits and caches the comparison's PCA
    const before = tf.memory().numTensors;
    const a = await inspect(t, { kind: 'subspaces' });
    expect(tf.memory().numTensors).toBe(before);
    if (a.kind !== 'subspaces' || !a.model) throw new Error('no model part');
    expect(a.model.anglesDeg).toHaveLength(2);
    for (const g of a.model.anglesDeg) expect(g >= 0 && g <= 90).toBe(true);
    // On the training digits PCA is optimal; the probes here are the same digits.
    expect(a.model.squaredError).toBeGreaterThanOrEqual(a.pca.squaredError - 1e-3);
    expect(a.model.columns.count).toBe(2);
    t.dispose();
    const relu = new Trainer(dataset(24), { ...config, activation: 'relu' });
    expect(capabilitiesOf(relu).affineDecoder).toBe(false);
    await expect(inspect(relu, { kind: 'subspaces' })).rejects.toThrow(/linear autoencoder/);
    relu.dispose();
  });
});
