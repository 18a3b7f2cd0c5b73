// The conditional VAE against direct computations in plain JavaScript: the one-hot join, the
// −ELBO terms (closed-form KL checked by Monte Carlo too), decoding under other labels, no
// leaks, checkpoints, and the refusal on unlabelled data.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { mulberry32 } from '../../src/core/rng';
import { Cvae } from '../../src/models/cvae';
import { createModel } from '../../src/models/zoo';
import { encodeCheckpoint, loadCheckpointWeights } from '../../src/train/checkpoint';
import { inspect } from '../../src/train/inspect/inspector';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const P = 6;
const K = 3;
const tiny = { inputDim: P, hiddenDim: 5, latentDim: 2, labelClasses: K, seed: 4 };

const rows = (t: tf.Tensor) => t.arraySync() as number[][];
const vec = (t: tf.Tensor) => Array.from(t.dataSync());

/** y = act(x W + b) for one row x, W [in, out] as nested arrays. */
function dense(x: number[], w: number[][], b: number[], relu: boolean): number[] {
  return b.map((bj, j) => {
    const s = x.reduce((acc, xi, i) => acc + xi * w[i]![j]!, bj);
    return relu ? Math.max(0, s) : s;
  });
}

/** The MLP CVAE of `m` evaluated by hand: its weights read back, nothing of the model's code. */
function reference(m: Cvae) {
  const [w1, b1, wMu, bMu, wLv, bLv, w3, b3, w4, b4] = m.variables;
  const W = (v: tf.Variable) => rows(v);
  const B = (v: tf.Variable) => vec(v);
  const oneHot = (y: number) => Array.from({ length: K }, (_, k) => (k === y ? 1 : 0));
  return {
    encode(x: number[], y: number) {
      const h = dense([...x, ...oneHot(y)], W(w1!), B(b1!), true);
      return { mu: dense(h, W(wMu!), B(bMu!), false), logVar: dense(h, W(wLv!), B(bLv!), false) };
    },
    logits(z: number[], y: number) {
      const h = dense([...z, ...oneHot(y)], W(w3!), B(b3!), true);
      return dense(h, W(w4!), B(b4!), false);
    },
  };
}

const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

describe('Cvae', () => {
  const x = tf.tensor2d(
    [
      [0, 1, 0.5, 0.2, 1, 0],
      [1, 0.3, 0, 0, 0.7, 1],
      [0.1, 0.9, 1, 0, 0, 0.4],
      [0.6, 0, 0.2, 1, 1, 0.8],
    ],
    [4, P],
  );
  const labels = tf.tensor1d([0, 2, 1, 2], 'int32');

  it('joins the one-hot to the encoder input and to the decoder input (shapes and content)', () => {
    const m = new Cvae(tiny);
    expect(m.variables.map((v) => v.shape)).toEqual([
      [P + K, 5], // encoder sees [x, e_y]
      [5],
      [5, 2],
      [2],
      [5, 2],
      [2],
      [2 + K, 5], // decoder sees [z, e_y]
      [5],
      [5, P],
      [P],
    ]);
    expect(rows(m.oneHot(labels, 4))).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const ref = reference(m);
    const { mu, logVar } = m.encode(x, labels);
    const xs = rows(x);
    const ys = vec(labels);
    rows(mu).forEach((r, i) => {
      const e = ref.encode(xs[i]!, ys[i]!);
      r.forEach((v, d) => expect(v).toBeCloseTo(e.mu[d]!, 5));
      rows(logVar)[i]!.forEach((v, d) => expect(v).toBeCloseTo(e.logVar[d]!, 5));
    });
    const z = tf.tensor2d([
      [0.3, -1],
      [2, 0.5],
      [0, 0],
      [-0.7, 1.2],
    ]);
    rows(m.decode(z, labels)).forEach((r, i) => {
      const e = ref.logits(rows(z)[i]!, ys[i]!);
      r.forEach((v, p) => expect(v).toBeCloseTo(e[p]!, 5));
    });
    expect(() => m.oneHot(labels, 3)).toThrow(/4 labels for 3 images/);
    m.dispose();
  });

  it('the conv arch joins the one-hot after flattening the conv features, and to z', () => {
    const m = new Cvae({ arch: 'conv', latentDim: 3, labelClasses: 10 });
    const shapes = m.variables.map((v) => v.shape);
    expect(shapes).toContainEqual([7 * 7 * 64 + 10, 3]); // μ and log σ² heads
    expect(shapes).toContainEqual([3 + 10, 7 * 7 * 32]); // the decoder's first dense
    const xs = tf.randomUniform([2, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    expect(m.reconstruct(xs, tf.tensor1d([3, 9], 'int32')).shape).toEqual([2, 784]);
    m.dispose();
  });

  it('reports the −ELBO terms of a direct computation (same ε), and total = recon + β·KL', () => {
    const m = new Cvae({ ...tiny, beta: 2 });
    const seed = 11;
    const per = m.evaluate(x, { step: 0, seed, labels });
    const eps = rows(tf.randomNormal([4, 2], 0, 1, 'float32', seed)); // the model's ε
    const ref = reference(m);
    const xs = rows(x);
    const ys = vec(labels);
    const expected = xs.map((xi, i) => {
      const { mu, logVar } = ref.encode(xi, ys[i]!);
      const z = mu.map((u, d) => u + Math.exp(logVar[d]! / 2) * eps[i]![d]!);
      const l = ref.logits(z, ys[i]!);
      const recon = l.reduce((a, li, p) => a + softplus(li) - xi[p]! * li, 0);
      const kl = mu.reduce(
        (a, u, d) => a + 0.5 * (u * u + Math.exp(logVar[d]!) - 1 - logVar[d]!),
        0,
      );
      return { recon, kl };
    });
    vec(per.recon!).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!.recon, 3));
    vec(per.kl!).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!.kl, 4));
    vec(per.negElbo!).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i]!.recon + expected[i]!.kl, 3),
    );
    const out = m.loss(x, { step: 5, seed, labels });
    const mean = (k: 'recon' | 'kl') => expected.reduce((a, e) => a + e[k], 0) / 4;
    expect(out.terms.recon!.dataSync()[0]).toBeCloseTo(mean('recon'), 3);
    expect(out.total.dataSync()[0]).toBeCloseTo(mean('recon') + 2 * mean('kl'), 3);
    m.dispose();
  });

  it('the closed-form KL matches a Monte Carlo estimate of E_q[log q(z|x,y) − log p(z)]', () => {
    const m = new Cvae(tiny);
    const { mu, logVar } = m.encode(x, labels);
    const kl = vec(m.evaluate(x, { step: 0, seed: 1, labels }).kl!);
    const rng = mulberry32(5);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    rows(mu).forEach((u, i) => {
      const lv = rows(logVar)[i]!;
      const n = 200_000;
      let sum = 0;
      for (let s = 0; s < n; s++) {
        for (let d = 0; d < u.length; d++) {
          const e = normal();
          const z = u[d]! + Math.exp(lv[d]! / 2) * e;
          sum += -0.5 * (lv[d]! + e * e) + 0.5 * z * z; // log q − log p (the 2π cancel)
        }
      }
      expect(sum / n).toBeCloseTo(kl[i]!, 1);
    });
    m.dispose();
  });

  it('decodes one z differently under different labels; sample() cycles the labels', () => {
    const m = new Cvae(tiny);
    const z = tf.tensor2d([0.5, -0.2, 0.5, -0.2], [2, 2]);
    const [a, b] = rows(m.decodeLatentGiven(z, tf.tensor1d([0, 1], 'int32')));
    const diff = a!.reduce((s, v, p) => s + Math.abs(v - b![p]!), 0);
    expect(diff).toBeGreaterThan(1e-3);
    const cycled = vec(m.sample(6, 9));
    const given = vec(m.sampleGiven(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 9));
    expect(cycled).toEqual(given);
    m.dispose();
  });

  it('refuses to run without labels, with a sentence', () => {
    const m = new Cvae(tiny);
    expect(() => m.loss(x, { step: 1, seed: 1 })).toThrow(/needs the label/);
    expect(() => m.embed(x)).toThrow(/needs the label/);
    expect(() => new Cvae({ ...tiny, labelClasses: 1 })).toThrow(/at least 2 label classes/);
    m.dispose();
  });

  it('leaks no tensor in loss, evaluate, embed, reconstruct, sample or KL per dimension', () => {
    const m = new Cvae(tiny);
    const ctx = { step: 3, seed: 2, labels };
    const run = () => {
      const out = m.loss(x, ctx);
      tf.dispose([out.total, ...Object.values(out.terms)]);
      tf.dispose(Object.values(m.evaluate(x, ctx)));
      tf.dispose([m.embed(x, labels), m.reconstruct(x, labels), m.sample(5, 1)]);
      tf.dispose([m.klPerDimension(x, labels), m.sampleGiven(labels, 3)]);
      const { grads, value } = tf.variableGrads(() => m.loss(x, ctx).total, m.variables);
      tf.dispose([value, ...Object.values(grads)]);
    };
    run();
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('cvae in the trainer, checkpoints and the CLI', () => {
  const config: TrainConfig = { ...TRAIN_DEFAULTS, ...small, model: 'cvae', latentDim: 3 };

  it('a checkpoint round-trips: the same reconstructions given the labels', async () => {
    const a = createModel(config, 784, null, 10);
    const b = createModel({ ...config, seed: 9 }, 784, null, 10);
    const xs = tf.randomUniform([3, 784], 0, 1, 'float32', 2) as tf.Tensor2D;
    const ys = tf.tensor1d([1, 7, 4], 'int32');
    const { meta, weights } = await encodeCheckpoint(a, config, {
      step: 1,
      epoch: 0,
      dataset: 't',
    });
    expect(a.reconstruct(xs, ys).arraySync()).not.toEqual(b.reconstruct(xs, ys).arraySync());
    loadCheckpointWeights(b, JSON.parse(JSON.stringify(meta)), weights);
    expect(b.reconstruct(xs, ys).arraySync()).toEqual(a.reconstruct(xs, ys).arraySync());
    a.dispose();
    b.dispose();
  });

  it('the trainer passes the batch labels: training moves the conditional −ELBO', async () => {
    const t = new Trainer(dataset(24), { ...config, learningRate: 3e-3 });
    for (let i = 0; i < 30; i++) t.trainStep();
    const m = (await t.flush())!;
    const neg = m.terms.negElbo!;
    expect(neg[neg.length - 1]).toBeLessThan(neg[0]!);
    const ev = await t.evaluate();
    expect(ev.latent.length).toBe(24 * 2);
    expect(ev.diagnostics.klPerDimension).toHaveLength(3);
    t.dispose();
  });

  it("'same style, every class' decodes the digit's z with each label; its own label gives its reconstruction", async () => {
    const t = new Trainer(dataset(24), config);
    t.trainStep();
    await t.flush();
    const probe = 5;
    const a = await inspect(t, { kind: 'everyLabel', probe });
    if (a.kind !== 'everyLabel') throw new Error(a.kind);
    expect(a.label).toBe(t.probeLabels[probe]);
    const r = await inspect(t, { kind: 'probeReconstructions' });
    if (r.kind !== 'probeReconstructions') throw new Error(r.kind);
    const own = a.images.pixels.subarray(a.label * 784, (a.label + 1) * 784);
    const rec = r.reconstructions.subarray(probe * 784, (probe + 1) * 784);
    own.forEach((v, p) => expect(Math.abs(Math.round(v * 255) - rec[p]!)).toBeLessThanOrEqual(1));
    const o = (a.label + 1) % 10; // another label, the same z
    const other = a.images.pixels.subarray(o * 784, (o + 1) * 784);
    expect(other.some((v, p) => Math.abs(v - own[p]!) > 1e-4)).toBe(true);
    const s = await inspect(t, { kind: 'conditionalSamples', label: 2, count: 4, seed: 3 });
    if (s.kind !== 'conditionalSamples') throw new Error(s.kind);
    expect(s.images.count).toBe(4);
    t.dispose();
  });

  it('refuses an unlabelled dataset (one class) with a sentence naming it', () => {
    const d = dataset(16);
    const unlabelled = {
      ...d,
      name: 'my digits (unlabelled)',
      classes: 1,
      train: { ...d.train, labels: new Uint8Array(16) },
      test: { ...d.test, labels: new Uint8Array(16) },
    };
    expect(() => new Trainer(unlabelled, config)).toThrow(
      'The Conditional VAE needs labelled data (at least two classes), and my digits (unlabelled) has no labels',
    );
  });

  it('the CLI reads --model cvae with the VAE flags', () => {
    const o = parseCliArgs([
      '--model',
      'cvae',
      '--latent',
      '20',
      '--beta',
      '0.5',
      '--arch',
      'conv',
    ]);
    expect(o.config).toEqual({
      ...TRAIN_DEFAULTS,
      model: 'cvae',
      latentDim: 20,
      beta: 0.5,
      arch: 'conv',
    });
  });
});
