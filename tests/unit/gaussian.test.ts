import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianKl, gaussianKlPerDimension, reparameterize } from '../../src/ops/gaussian';
import { bernoulliNllFromLogits } from '../../src/ops/bernoulli';
import { mulberry32 } from '../../src/core/rng';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** Standard normal draws from our seeded RNG (Box–Muller), independent of TF.js. */
function normals(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

describe('KL(N(μ, σ²) ‖ N(0, 1))', () => {
  const mu = [0.7, -1.3, 0, 2.1];
  const logVar = [-0.5, 0.8, 0, -2];

  it('matches a Monte-Carlo estimate of E_q[log q(z) − log p(z)]', () => {
    const closed = gaussianKlPerDimension(tf.tensor2d([mu]), tf.tensor2d([logVar])).arraySync()[0]!;
    const n = 400_000;
    mu.forEach((m, d) => {
      const s = Math.exp(logVar[d]! / 2);
      const eps = normals(n, 100 + d);
      let sum = 0;
      let sumSq = 0;
      for (const e of eps) {
        const z = m + s * e;
        // log q − log p = −½ε² − log σ + ½z²  (the 2π terms cancel)
        const term = -0.5 * e * e - Math.log(s) + 0.5 * z * z;
        sum += term;
        sumSq += term * term;
      }
      const mean = sum / n;
      const stdErr = Math.sqrt((sumSq / n - mean * mean) / n);
      expect(Math.abs(closed[d]! - mean)).toBeLessThan(4 * stdErr + 1e-6);
    });
  });

  it('is zero at the prior, and sums over dimensions', () => {
    expect(gaussianKl(tf.zeros([1, 3]), tf.zeros([1, 3])).arraySync()[0]).toBeCloseTo(0, 6);
    const perDim = gaussianKlPerDimension(tf.tensor2d([mu]), tf.tensor2d([logVar])).arraySync()[0]!;
    const total = gaussianKl(tf.tensor2d([mu]), tf.tensor2d([logVar])).arraySync()[0]!;
    expect(total).toBeCloseTo(
      perDim.reduce((a, b) => a + b, 0),
      4,
    );
  });
});

describe('reparameterisation gradient', () => {
  it('∇ of E[z²] by pathwise samples matches the closed form (2μ, σ²)', () => {
    // E[z²] = μ² + σ² with σ² = exp(log σ²): ∂/∂μ = 2μ, ∂/∂log σ² = σ².
    const m = 0.8;
    const lv = -0.4;
    const n = 200_000;
    const eps = tf.tensor2d(Array.from(normals(n, 7)), [n, 1]);
    const f = (muT: tf.Tensor, lvT: tf.Tensor) =>
      tf.mean(
        tf.square(
          reparameterize(
            tf.tile(muT, [n, 1]) as tf.Tensor2D,
            tf.tile(lvT, [n, 1]) as tf.Tensor2D,
            eps,
          ),
        ),
      );
    const [gMu, gLv] = tf.grads(f)([tf.tensor2d([[m]]), tf.tensor2d([[lv]])]);
    expect(gMu!.arraySync() as number[][]).toEqual([[expect.closeTo(2 * m, 1e-2)]]);
    expect((gLv!.arraySync() as number[][])[0]![0]).toBeCloseTo(Math.exp(lv), 2);
  });

  it('passes the exact pathwise derivative for one sample: ∂z/∂μ = 1, ∂z/∂log σ² = ½σε', () => {
    const eps = tf.tensor2d([[1.7]]);
    const [gMu, gLv] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(reparameterize(a as tf.Tensor2D, b as tf.Tensor2D, eps)),
    )([tf.tensor2d([[0.3]]), tf.tensor2d([[0.6]])]);
    expect(gMu!.arraySync()).toEqual([[1]]);
    expect((gLv!.arraySync() as number[][])[0]![0]).toBeCloseTo(0.5 * Math.exp(0.3) * 1.7, 5);
  });
});

describe('Bernoulli negative log-likelihood', () => {
  it('equals −Σ[x log p + (1 − x) log(1 − p)] and stays finite for large logits', () => {
    const logits = [-3, -0.2, 0, 1.5, 4];
    const x = [0, 0.3, 1, 0.9, 1];
    const direct = logits.reduce((acc, l, i) => {
      const p = 1 / (1 + Math.exp(-l));
      return acc - (x[i]! * Math.log(p) + (1 - x[i]!) * Math.log(1 - p));
    }, 0);
    const ours = bernoulliNllFromLogits(tf.tensor2d([logits]), tf.tensor2d([x])).arraySync()[0]!;
    expect(ours).toBeCloseTo(direct, 4);
    const extreme = bernoulliNllFromLogits(
      tf.tensor2d([[200, -200]]),
      tf.tensor2d([[0, 1]]),
    ).arraySync()[0]!;
    expect(extreme).toBeCloseTo(400, 3);
  });
});

describe('Bernoulli NLL gradient (closed form)', () => {
  it('matches central finite differences of the NLL in ℓ and in x, and leaks nothing', () => {
    const rng = mulberry32(11);
    const B = 3;
    const P = 7;
    const l0 = Array.from({ length: B * P }, () => 8 * rng() - 4);
    const x0 = Array.from({ length: B * P }, () => rng());
    // Upstream weights per image, so that each image's gradient is scaled by its own dy.
    const w = [0.5, -1.25, 2];
    const objective = (l: tf.Tensor, x: tf.Tensor) =>
      tf.sum(tf.mul(bernoulliNllFromLogits(l as tf.Tensor2D, x as tf.Tensor2D), tf.tensor1d(w)));
    const before = tf.memory().numTensors;
    const [gl, gx] = tf.tidy(() =>
      tf
        .grads(objective)([tf.tensor2d(l0, [B, P]), tf.tensor2d(x0, [B, P])])
        .map((g) => Array.from(g.dataSync())),
    );
    expect(tf.memory().numTensors).toBe(before);
    // Direct float64 NLL for the finite differences.
    const nll = (l: number[], x: number[]) =>
      l.reduce((acc, li, i) => {
        const b = Math.floor(i / P);
        return acc + w[b]! * (Math.max(li, 0) - x[i]! * li + Math.log1p(Math.exp(-Math.abs(li))));
      }, 0);
    const h = 1e-4;
    for (let i = 0; i < B * P; i++) {
      const up = [...l0];
      const dn = [...l0];
      up[i]! += h;
      dn[i]! -= h;
      const fd = (nll(up, x0) - nll(dn, x0)) / (2 * h);
      expect(gl![i]!).toBeCloseTo(fd, 3);
      // The closed form itself: w_b (σ(ℓ) − x).
      const b = Math.floor(i / P);
      expect(gl![i]!).toBeCloseTo(w[b]! * (1 / (1 + Math.exp(-l0[i]!)) - x0[i]!), 5);
      const xu = [...x0];
      const xd = [...x0];
      xu[i]! += h;
      xd[i]! -= h;
      expect(gx![i]!).toBeCloseTo((nll(l0, xu) - nll(l0, xd)) / (2 * h), 3);
    }
  });
});
