import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import { BernoulliMixture } from '../../src/models/mixture';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const P = 6;

/** N binary images of P pixels from three prototypes with 10 % of pixels flipped. */
function toySet(N: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const protos = [
    [1, 1, 1, 0, 0, 0],
    [0, 0, 1, 1, 1, 0],
    [1, 0, 0, 0, 1, 1],
  ];
  const x = new Float32Array(N * P);
  for (let i = 0; i < N; i++) {
    const proto = protos[i % 3]!;
    for (let p = 0; p < P; p++) x[i * P + p] = rng() < 0.1 ? 1 - proto[p]! : proto[p]!;
  }
  return x;
}

/** log p(x) of every image, directly: log Σ_k π_k Π_p μ^x (1−μ)^(1−x), in float64. */
function directLogLikelihood(x: Float32Array, mu: Float32Array, logPi: Float32Array): number[] {
  const K = logPi.length;
  const N = x.length / P;
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const terms: number[] = [];
    for (let k = 0; k < K; k++) {
      let prod = Math.exp(logPi[k]!);
      for (let p = 0; p < P; p++) {
        const m = mu[k * P + p]!;
        prod *= x[i * P + p]! === 1 ? m : 1 - m;
      }
      terms.push(prod);
    }
    out.push(Math.log(terms.reduce((a, b) => a + b, 0)));
  }
  return out;
}

/** ELBO(q, θ) of one image, directly: Σ_k q_k (log π_k + log p(x | k) − log q_k). */
function directBound(xi: number[], q: number[], mu: Float32Array, logPi: Float32Array): number {
  let sum = 0;
  q.forEach((qk, k) => {
    if (qk === 0) return;
    let logJoint = logPi[k]!;
    xi.forEach((v, p) => (logJoint += Math.log(v === 1 ? mu[k * P + p]! : 1 - mu[k * P + p]!)));
    sum += qk * (logJoint - Math.log(qk));
  });
  return sum;
}

/** Posterior p(k | x) of one image under θ, directly. */
function directPosterior(xi: number[], mu: Float32Array, logPi: Float32Array): number[] {
  const w = Array.from(logPi, (lp, k) => {
    let v = Math.exp(lp);
    xi.forEach((b, p) => (v *= b === 1 ? mu[k * P + p]! : 1 - mu[k * P + p]!));
    return v;
  });
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

describe('mixture of Bernoullis', () => {
  it('gives the exact log-likelihood and the bound of a direct computation', async () => {
    const N = 30;
    const data = toySet(N, 3);
    const x = tf.tensor2d(data, [N, P]);
    const m = new BernoulliMixture({ inputDim: P, components: 3, smoothing: 0.5, seed: 2 });
    await m.fit(x, { iteration: 1, seed: 0 });
    const prevMu = await m.means.data();
    const prevLogPi = await m.logWeights.data();
    const r = await m.em(x, false); // M-step then E-step: θ moves from prev to the new one
    const mu = (await m.means.data()) as Float32Array;
    const logPi = (await m.logWeights.data()) as Float32Array;
    const direct = directLogLikelihood(data, mu, logPi);
    const mean = direct.reduce((a, b) => a + b, 0) / N;
    expect(r.logLikelihood).toBeCloseTo(mean, 4);
    expect(r.elboAfterE).toBeCloseTo(mean, 3); // the E-step closes the gap
    const rows = Array.from({ length: N }, (_, i) => Array.from(data.subarray(i * P, (i + 1) * P)));
    const afterM =
      rows
        .map((xi) =>
          directBound(
            xi,
            directPosterior(xi, prevMu as Float32Array, prevLogPi as Float32Array),
            mu,
            logPi,
          ),
        )
        .reduce((a, b) => a + b, 0) / N;
    expect(r.elboAfterM).toBeCloseTo(afterM, 3);
    expect(r.elboAfterM).toBeLessThan(r.logLikelihood);

    const t = m.evaluate(x);
    const [nll, elbo, elboE] = await Promise.all([t.nll!.data(), t.elbo!.data(), t.elboE!.data()]);
    direct.forEach((v, i) => expect(-nll[i]!).toBeCloseTo(v, 4));
    rows.forEach((xi, i) =>
      expect(elbo[i]!).toBeCloseTo(
        directBound(
          xi,
          directPosterior(xi, prevMu as Float32Array, prevLogPi as Float32Array),
          mu,
          logPi,
        ),
        4,
      ),
    );
    direct.forEach((v, i) => expect(elboE[i]!).toBeCloseTo(v, 4));
    tf.dispose([x, ...Object.values(t)]);
    m.dispose();
  });

  it('never lowers log p(x) (maximum likelihood) nor log p(x) + log prior (smoothed)', async () => {
    const N = 90;
    const data = toySet(N, 5);
    const x = tf.tensor2d(data, [N, P]);
    for (const smoothing of [0, 1]) {
      const m = new BernoulliMixture({ inputDim: P, components: 4, smoothing, seed: 7 });
      let last = -Infinity;
      for (let it = 1; it <= 25; it++) {
        const r = await m.fit(x, { iteration: it, seed: it });
        const mu = await m.means.data();
        // log Beta(α+1, α+1) density up to a constant, per image.
        let logPrior = 0;
        for (const v of mu) logPrior += smoothing * (Math.log(v) + Math.log(1 - v));
        const objective = -r.terms.nll! + logPrior / N;
        expect(objective).toBeGreaterThanOrEqual(last - 1e-4);
        // The M-step raises the (penalised) bound above the previous (penalised) log p; the
        // E-step lifts the bound to log p.
        expect(r.terms.elbo! + logPrior / N).toBeGreaterThanOrEqual(last - 1e-4);
        expect(r.terms.elboE!).toBeGreaterThanOrEqual(r.terms.elbo! - 1e-4);
        expect(Math.abs(r.terms.elboE! + r.terms.nll!)).toBeLessThan(1e-3);
        last = objective;
      }
      // EM on three prototypes beats the best single Bernoulli image (one component) by far.
      let single = 0;
      for (let p = 0; p < P; p++) {
        let on = 0;
        for (let i = 0; i < N; i++) on += data[i * P + p]!;
        const q = on / N;
        single -= q * Math.log(q) + (1 - q) * Math.log(1 - q);
      }
      expect(-last).toBeLessThan(single - 0.3);
      m.dispose();
    }
    x.dispose();
  });

  it('keeps its means inside [ε, 1 − ε] and its weights a distribution', async () => {
    const N = 30;
    const x = tf.tensor2d(toySet(N, 8), [N, P]);
    const m = new BernoulliMixture({ inputDim: P, components: 5, smoothing: 0, seed: 1 });
    for (let it = 1; it <= 5; it++) await m.fit(x, { iteration: it, seed: 0 });
    const mu = await m.means.data();
    expect(Math.min(...mu)).toBeGreaterThanOrEqual(1e-4 - 1e-9);
    expect(Math.max(...mu)).toBeLessThanOrEqual(1 - 1e-4 + 1e-7);
    const pi = Array.from(await m.logWeights.data(), Math.exp);
    expect(pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    x.dispose();
    m.dispose();
  });

  it('binarises grey input at 0.5 and samples binary images', async () => {
    const m = new BernoulliMixture({ inputDim: P, components: 2, seed: 1 });
    const grey = tf.tensor2d([[0.2, 0.7, 0.5, 0.49, 1, 0]]);
    const binary = tf.tensor2d([[0, 1, 1, 0, 1, 0]]);
    const [a, b] = [m.evaluate(grey).nll!, m.evaluate(binary).nll!];
    expect(await a.data()).toEqual(await b.data());
    const s = m.sample(8, 3);
    expect(new Set(await s.data())).toEqual(new Set([0, 1]));
    tf.dispose([grey, binary, a, b, s]);
    m.dispose();
  });

  it('leaks no tensors in an EM iteration, evaluation, codes and samples', async () => {
    const N = 30;
    const x = tf.tensor2d(toySet(N, 4), [N, P]);
    const m = new BernoulliMixture({ inputDim: P, components: 3, seed: 1 });
    await m.fit(x, { iteration: 1, seed: 0 });
    const before = tf.memory().numTensors;
    for (let it = 2; it <= 4; it++) await m.fit(x, { iteration: it, seed: 0 });
    tf.dispose(Object.values(m.evaluate(x)));
    const c = m.codes(x);
    tf.dispose([c.indices, m.decodeCodes(c.indices), m.sample(4, 1), m.embed(x), m.reconstruct(x)]);
    tf.dispose(m.responsibilities(x));
    const l = m.loss(x, { step: 1, seed: 1 });
    tf.dispose([l.total, ...Object.values(l.terms)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });
});
