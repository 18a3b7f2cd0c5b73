import { beforeAll, describe, expect, it } from 'vitest';
import { Vae } from '../../src/models/vae';
import { Autoencoder } from '../../src/models/autoencoder';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const tiny = { inputDim: 12, hiddenDim: 6, latentDim: 2, seed: 3 };

function batch(b: number, p: number, seed: number) {
  return tf.randomUniform([b, p], 0, 1, 'float32', seed) as tf.Tensor2D;
}

describe('Vae', () => {
  it('has the documented shapes', () => {
    const vae = new Vae({ latentDim: 5, hiddenDim: 16 });
    const x = batch(3, 784, 1);
    const { mu, logVar } = vae.encode(x);
    expect(mu.shape).toEqual([3, 5]);
    expect(logVar.shape).toEqual([3, 5]);
    expect(vae.decode(mu).shape).toEqual([3, 784]);
    expect(vae.variables.map((v) => v.shape)).toEqual([
      [784, 16],
      [16],
      [16, 5],
      [5],
      [16, 5],
      [5],
      [5, 16],
      [16],
      [16, 784],
      [784],
    ]);
    vae.dispose();
  });

  it('reports −ELBO = recon + KL and total = recon + β·KL', () => {
    const vae = new Vae({ ...tiny, beta: 3 });
    const x = batch(4, 12, 2);
    const { terms: t, total } = vae.loss(x, { step: 10, seed: 5 });
    const [r, k, n, tot] = [t.recon!, t.kl!, t.negElbo!, total].map((s) => s.arraySync() as number);
    expect(n).toBeCloseTo(r! + k!, 4);
    expect(tot).toBeCloseTo(r! + 3 * k!, 4);
    expect(k).toBeGreaterThanOrEqual(0);
    vae.dispose();
  });

  it('gradients of the loss match central finite differences', () => {
    const vae = new Vae({ ...tiny, beta: 0.5 });
    const x = batch(5, 12, 4);
    // The same seed draws the same ε at every call, so the loss is a deterministic function.
    const loss = () => vae.loss(x, { step: 1, seed: 6 }).total;
    const { grads } = tf.variableGrads(loss, vae.variables);
    const h = 1e-2;
    let checked = 0;
    for (const v of vae.variables) {
      const g = Array.from(grads[v.name]!.dataSync());
      const values = v.dataSync().slice();
      // A few coordinates per variable, including the largest-gradient one.
      const maxIdx = g.reduce((best, val, i) => (Math.abs(val) > Math.abs(g[best]!) ? i : best), 0);
      for (const i of new Set([0, maxIdx, values.length - 1])) {
        const at = (delta: number) => {
          const w = values.slice();
          w[i] = values[i]! + delta;
          v.assign(tf.tensor(w, v.shape));
          return loss().dataSync()[0]!;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(values, v.shape));
        expect(Math.abs(fd - g[i]!)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    vae.dispose();
  });

  it('the same seed gives the same weights; dispose frees them all', () => {
    const before = tf.memory().numTensors;
    const a = new Vae(tiny);
    const b = new Vae(tiny);
    expect(a.variables[0]!.arraySync()).toEqual(b.variables[0]!.arraySync());
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Vae options', () => {
  it('the Gaussian likelihood equals −log N(x; sigmoid ℓ, σ²) computed directly', () => {
    const vae = new Vae({ ...tiny, likelihood: 'gaussian', sigma: 0.3 });
    const x = batch(3, 12, 8);
    const ev = vae.evaluate(x, { step: 0, seed: 2 });
    // Recompute from the same z: encode, sample with the same seed, decode.
    const { mu, logVar } = vae.encode(x);
    const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', 2) as tf.Tensor2D;
    const xhat = tf
      .sigmoid(vae.decode(tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D))
      .arraySync() as number[][];
    const xs = x.arraySync();
    const expected = xs.map((row, i) =>
      row.reduce(
        (a, v, p) => a + (v - xhat[i]![p]!) ** 2 / (2 * 0.09) + 0.5 * Math.log(2 * Math.PI * 0.09),
        0,
      ),
    );
    (ev.recon!.arraySync() as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 3));
    vae.dispose();
  });

  it('free bits raise the objective by exactly the KL shortfall below λ per dimension', () => {
    const vae = new Vae({ ...tiny, latentDim: 3 });
    const x = batch(4, 12, 9);
    const ctx = { step: 1, seed: 4 };
    const plain = vae.loss(x, ctx);
    const { mu, logVar } = vae.encode(x);
    const klPerDim = tf
      .mean(tf.mul(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 0.5), 0)
      .arraySync() as number[];
    const lambda = Math.max(...klPerDim) + 0.5; // binds on every dimension
    vae.applyLiveConfig({ ...TRAIN_DEFAULTS, freeBits: lambda });
    const floored = vae.loss(x, ctx);
    const shortfall = klPerDim.reduce((a, k) => a + (lambda - k), 0);
    expect(floored.total.arraySync()).toBeCloseTo(
      (plain.total.arraySync() as number) + shortfall,
      3,
    );
    expect(floored.terms.kl!.arraySync()).toBeCloseTo(plain.terms.kl!.arraySync() as number, 5);
    vae.dispose();
  });

  it('linear KL warm-up weights the KL by β·t/N', () => {
    const vae = new Vae({ ...tiny, beta: 2, warmup: 'linear', warmupSteps: 100 });
    expect(vae.scheduleValues(0).klWeight).toBeCloseTo(0);
    expect(vae.scheduleValues(50).klWeight).toBeCloseTo(1);
    expect(vae.scheduleValues(500).klWeight).toBeCloseTo(2);
    const x = batch(4, 12, 3);
    const t = vae.loss(x, { step: 25, seed: 1 });
    const [r, k, tot] = [t.terms.recon!, t.terms.kl!, t.total].map((v) => v.arraySync() as number);
    expect(tot).toBeCloseTo(r! + 0.5 * k!, 3);
    vae.dispose();
  });
});

describe('Autoencoder', () => {
  it('reports the reconstruction only, embeds to D dims, and does not leak', () => {
    const before = tf.memory().numTensors;
    const ae = new Autoencoder({ inputDim: 12, hiddenDim: 6, latentDim: 2, seed: 2 });
    const x = batch(5, 12, 1);
    tf.tidy(() => {
      const out = ae.loss(x, { step: 1, seed: 1 });
      expect(Object.keys(out.terms)).toEqual(['recon']);
      expect(out.total.arraySync()).toBeCloseTo(out.terms.recon!.arraySync() as number, 6);
      expect(ae.embed(x).shape).toEqual([5, 2]);
    });
    x.dispose();
    ae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a linear autoencoder with squared error reaches the PCA reconstruction error', () => {
    // Points near a 2-D plane in 6-D: the optimal rank-2 linear reconstruction is PCA's.
    const n = 200;
    const rng = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;
    const data: number[][] = [];
    for (let i = 0; i < n; i++) {
      const a = rng(i);
      const b = rng(i + 1000);
      data.push([a, b, a + b, a - b, 0.5 * a, 0.01 * rng(i + 2000)].map((v) => 0.5 + 0.2 * v));
    }
    const ae = new Autoencoder({
      inputDim: 6,
      hiddenDim: 2,
      latentDim: 2,
      activation: 'linear',
      likelihood: 'gaussian',
      sigma: 1,
      seed: 1,
    });
    const x = tf.tensor2d(data);
    const opt = tf.train.adam(0.02);
    for (let i = 0; i < 1500; i++)
      opt.minimize(() => ae.loss(x, { step: i, seed: 0 }).total, false, ae.variables);
    // The decoder ends in a sigmoid, so compare against the best rank-2 fit inside its range: the
    // error must be small relative to the data's total variance (which PCA explains > 99.9 % of).
    const recon = ae.reconstruct(x).arraySync();
    let err = 0;
    let variance = 0;
    const mean = data[0]!.map((_, j) => data.reduce((a, r) => a + r[j]!, 0) / n);
    data.forEach((r, i) =>
      r.forEach((v, j) => {
        err += (v - recon[i]![j]!) ** 2;
        variance += (v - mean[j]!) ** 2;
      }),
    );
    expect(err / variance).toBeLessThan(0.02);
    ae.dispose();
    opt.dispose();
  });
});

describe('importance-weighted bound', () => {
  it('is at least the ELBO (−IW ≤ −ELBO), equals its Monte-Carlo estimate at K = 1 on average, and tightens with K', () => {
    const vae = new Vae({ ...tiny, latentDim: 2 });
    const x = batch(6, 12, 11);
    const mean = (t: tf.Tensor) => tf.mean(t).arraySync() as number;
    // −ELBO by Monte Carlo over many ε (single-sample estimates averaged) vs the K = 1 bound.
    const elbo = mean(
      tf.stack(
        Array.from({ length: 400 }, (_, i) => vae.evaluate(x, { step: 0, seed: 100 + i }).negElbo!),
      ),
    );
    const iw1 = mean(
      tf.stack(Array.from({ length: 400 }, (_, i) => vae.negIwBound(x, 1, 900 + i))),
    );
    expect(iw1).toBeCloseTo(elbo, 0);
    const iw50 = mean(vae.negIwBound(x, 50, 3));
    const iw500 = mean(vae.negIwBound(x, 500, 4));
    expect(iw50).toBeLessThan(elbo);
    expect(iw500).toBeLessThanOrEqual(iw50 + 0.05);
    vae.dispose();
  });
});
