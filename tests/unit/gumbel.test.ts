import { beforeAll, describe, expect, it } from 'vitest';
import {
  categoricalKlToUniform,
  categoricalKlToUniformPerPosition,
  gumbelSoftmax,
  gumbelSoftmaxHard,
  sampleGumbel,
  stopGradient,
  straightThrough,
} from '../../src/ops/gumbel';
import { mulberry32 } from '../../src/core/rng';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** Uniform numbers in [lo, hi) from our seeded RNG, independent of TF.js. */
function uniforms(n: number, seed: number, lo = -3, hi = 3): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

/** Rows of a [rows, cols] row-major buffer. */
function rowsOf(values: ArrayLike<number>, cols: number): number[][] {
  const flat = Array.from(values);
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) out.push(flat.slice(i, i + cols));
  return out;
}

/** Direct JS softmax (max-shifted) of one row. */
function softmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Pearson's χ² statistic of observed counts against expected probabilities. */
function chiSquare(counts: readonly number[], probs: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((acc, c, k) => {
    const expected = n * probs[k]!;
    return acc + (c - expected) ** 2 / expected;
  }, 0);
}

// Upper 0.001 critical value of the χ² distribution with 4 degrees of freedom
// (standard tables, e.g. NIST/SEMATECH e-Handbook §1.3.6.7.4): P(χ²₄ > 18.467) = 0.001.
const CHI2_CRITICAL_4DOF_P001 = 18.467;

describe('sampleGumbel', () => {
  it('has the Gumbel(0, 1) mean γ ≈ 0.5772 and variance π²/6, and is finite', () => {
    const n = 100_000;
    const g = sampleGumbel<tf.Rank.R1>([n], 11).dataSync();
    let sum = 0;
    let sumSq = 0;
    let nonFinite = 0;
    for (const v of g) {
      if (!Number.isFinite(v)) nonFinite++;
      sum += v;
      sumSq += v * v;
    }
    expect(nonFinite).toBe(0);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    const eulerGamma = 0.5772156649;
    const gumbelVariance = Math.PI ** 2 / 6;
    expect(Math.abs(mean - eulerGamma)).toBeLessThan(4 * Math.sqrt(gumbelVariance / n));
    expect(Math.abs(variance - gumbelVariance)).toBeLessThan(0.05);
  });

  it('is reproducible from its seed', () => {
    const a = sampleGumbel<tf.Rank.R2>([3, 4], 5).arraySync();
    const b = sampleGumbel<tf.Rank.R2>([3, 4], 5).arraySync();
    const c = sampleGumbel<tf.Rank.R2>([3, 4], 6).arraySync();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('Gumbel-max trick', () => {
  const probs = [0.1, 0.2, 0.3, 0.15, 0.25];
  const n = 20_000;

  function countArgmax(seed: number): number[] {
    return tf.tidy(() => {
      const logits = tf.tile(tf.tensor2d([probs.map(Math.log)]), [n, 1]);
      const g = sampleGumbel<tf.Rank.R2>([n, probs.length], seed);
      const picks = tf.argMax(tf.add(logits, g), 1).dataSync();
      const counts = probs.map(() => 0);
      for (const k of picks) counts[k] = counts[k]! + 1;
      return counts;
    });
  }

  it('argmax(log π + g) draws follow π (χ² test, 4 dof, p > 0.001)', () => {
    const counts = countArgmax(2024);
    expect(chiSquare(counts, probs)).toBeLessThan(CHI2_CRITICAL_4DOF_P001);
    // The test has power: the same draws are far from the uniform distribution.
    expect(chiSquare(counts, [0.2, 0.2, 0.2, 0.2, 0.2])).toBeGreaterThan(
      10 * CHI2_CRITICAL_4DOF_P001,
    );
  });

  it('the hard straight-through sample is the Gumbel-max sample, for any τ', () => {
    const logits = tf.tensor2d(rowsOf(uniforms(200 * 6, 3), 6));
    const g = sampleGumbel<tf.Rank.R2>([200, 6], 4);
    const expected = tf.argMax(tf.add(logits, g), 1).arraySync();
    for (const tau of [0.1, 1, 5]) {
      expect(tf.argMax(gumbelSoftmaxHard(logits, tau, g), 1).arraySync()).toEqual(expected);
    }
  });
});

describe('gumbelSoftmax', () => {
  const rows = 1000;
  const classes = 6;
  const logitValues = uniforms(rows * classes, 21);
  const logits = () => tf.tensor2d(rowsOf(logitValues, classes));
  const noise = () => sampleGumbel<tf.Rank.R2>([rows, classes], 22);

  it('equals softmax((ℓ + g)/τ) computed directly in JS', () => {
    const g = noise();
    const gRows = rowsOf(g.dataSync(), classes);
    const ours = gumbelSoftmax(logits(), 0.7, g).arraySync();
    rowsOf(logitValues, classes)
      .slice(0, 20)
      .forEach((row, i) => {
        const expected = softmaxRow(row.map((l, k) => (l + gRows[i]![k]!) / 0.7));
        expected.forEach((p, k) => expect(ours[i]![k]).toBeCloseTo(p, 5));
      });
  });

  it('rows sum to 1 at every temperature', () => {
    for (const tau of [0.01, 0.5, 1, 10, 1e4]) {
      const sums = tf.sum(gumbelSoftmax(logits(), tau, noise()), 1).dataSync();
      for (const s of sums) expect(s).toBeCloseTo(1, 5);
    }
  });

  it('approaches one-hot as τ → 0 (max prob > 0.99 at τ = 0.01 for most draws)', () => {
    const maxProb = tf.max(gumbelSoftmax(logits(), 0.01, noise()), 1).dataSync();
    const nearlyOneHot = Array.from(maxProb).filter((p) => p > 0.99).length;
    expect(nearlyOneHot / rows).toBeGreaterThan(0.95);
  });

  it('approaches uniform 1/K as τ → ∞', () => {
    const y = gumbelSoftmax(logits(), 1e4, noise()).dataSync();
    for (const p of y) expect(Math.abs(p - 1 / classes)).toBeLessThan(1e-3);
  });
});

describe('straight-through Gumbel-softmax', () => {
  const logitValues = uniforms(8 * 5, 31);
  const weights = () => tf.tensor2d(rowsOf(uniforms(8 * 5, 32), 5));
  const noise = () => sampleGumbel<tf.Rank.R2>([8, 5], 33);

  it('is exactly one-hot in the forward pass', () => {
    const y = gumbelSoftmaxHard(tf.tensor2d(rowsOf(logitValues, 5)), 0.8, noise()).arraySync();
    for (const row of y) {
      expect(row.every((v) => v === 0 || v === 1)).toBe(true);
      expect(row.filter((v) => v === 1)).toHaveLength(1);
    }
  });

  it('has the gradient of the soft sample with respect to the logits', () => {
    const [g, w] = [noise(), weights()];
    const loss = (sample: typeof gumbelSoftmax) => (l: tf.Tensor) =>
      tf.sum(tf.mul(sample(l as tf.Tensor2D, 0.8, g), w));
    const x = tf.tensor2d(rowsOf(logitValues, 5));
    const hardGrad = tf.grad(loss(gumbelSoftmaxHard))(x).arraySync() as number[][];
    const softGrad = tf.grad(loss(gumbelSoftmax))(x).arraySync() as number[][];
    expect(softGrad.flat().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    softGrad.forEach((row, i) => row.forEach((v, k) => expect(hardGrad[i]![k]).toBeCloseTo(v, 6)));
  });

  it('also works on [B, N, K] logits', () => {
    const logits3 = tf.tensor3d(logitValues, [2, 4, 5]);
    const y = gumbelSoftmaxHard(logits3, 1, sampleGumbel<tf.Rank.R3>([2, 4, 5], 34));
    expect(y.shape).toEqual([2, 4, 5]);
    expect(Array.from(tf.sum(y, -1).dataSync())).toEqual(Array(8).fill(1));
  });
});

describe('stopGradient and straightThrough', () => {
  const xValues = [0.3, -1.2, 2.5, 0.01];
  const wValues = [1.5, -2, 0.25, 3];

  it('stopGradient: value unchanged, gradient zero', () => {
    const [x, w] = [tf.tensor1d(xValues), tf.tensor1d(wValues)];
    expect(Array.from(stopGradient(x).dataSync())).toEqual(Array.from(x.dataSync()));
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), w)))(x);
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 0, 0]);
    // d/dx [x · sg(x)] = sg(x) = x: only the un-stopped factor carries gradient.
    const mixed = tf
      .grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x)
      .dataSync();
    xValues.forEach((v, i) => expect(mixed[i]).toBeCloseTo(v, 6));
  });

  it('straightThrough(src, tgt): value is tgt, ∂/∂src = upstream gradient, ∂/∂tgt = 0', () => {
    const [src, w] = [tf.tensor1d(xValues), tf.tensor1d(wValues)];
    const tgt = tf.tensor1d([0.1, 0.7, 0, 1]);
    expect(Array.from(straightThrough(src, tgt).dataSync())).toEqual(Array.from(tgt.dataSync()));
    const [gSrc, gTgt] = tf.grads((s: tf.Tensor, t: tf.Tensor) =>
      tf.sum(tf.mul(straightThrough(s, t), w)),
    )([src, tgt]);
    expect(Array.from(gSrc!.dataSync())).toEqual(Array.from(new Float32Array(wValues)));
    expect(Array.from(gTgt!.dataSync())).toEqual([0, 0, 0, 0]);
  });

  it('straightThrough rejects mismatched shapes', () => {
    expect(() => straightThrough(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow();
  });
});

describe('KL(q ‖ Uniform(K))', () => {
  const [batch, positions, classes] = [3, 4, 7];

  it('is zero for uniform logits (any constant)', () => {
    for (const c of [0, 3.7, -50]) {
      const kl = categoricalKlToUniform(tf.fill([batch, positions, classes], c)).dataSync();
      for (const v of kl) expect(v).toBeCloseTo(0, 6);
    }
  });

  it('equals log K per position for a one-hot-like q, and stays finite', () => {
    const peaked = tf.tidy(() =>
      tf.mul(tf.oneHot(tf.fill([batch, positions], 2, 'int32'), classes, 1, 0, 'float32'), 500),
    ) as tf.Tensor3D;
    for (const v of categoricalKlToUniformPerPosition(peaked).dataSync()) {
      expect(v).toBeCloseTo(Math.log(classes), 5);
    }
    for (const v of categoricalKlToUniform(peaked).dataSync()) {
      expect(v).toBeCloseTo(positions * Math.log(classes), 4);
    }
    const grad = tf.grad((l: tf.Tensor) => tf.sum(categoricalKlToUniform(l as tf.Tensor3D)))(
      peaked,
    );
    for (const v of grad.dataSync()) expect(Number.isFinite(v)).toBe(true);
  });

  it('matches a direct JS computation for random logits', () => {
    const values = uniforms(batch * positions * classes, 41, -4, 4);
    const ours = categoricalKlToUniform(tf.tensor3d(values, [batch, positions, classes]));
    expect(ours.shape).toEqual([batch]);
    const oursValues = ours.dataSync();
    for (let b = 0; b < batch; b++) {
      let expected = 0;
      for (let n = 0; n < positions; n++) {
        const start = (b * positions + n) * classes;
        const q = softmaxRow(values.slice(start, start + classes));
        expected += q.reduce((acc, qk) => acc + qk * Math.log(qk * classes), 0);
      }
      expect(expected).toBeGreaterThan(0);
      expect(oursValues[b]).toBeCloseTo(expected, 5);
    }
  });
});

describe('memory', () => {
  it('leaves no tensors behind inside tf.tidy, and each call returns just its result', () => {
    const logits = tf.tensor3d(uniforms(2 * 3 * 4, 51), [2, 3, 4]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const g = sampleGumbel<tf.Rank.R3>([2, 3, 4], 52);
      gumbelSoftmax(logits, 0.5, g);
      gumbelSoftmaxHard(logits, 0.5, g);
      stopGradient(logits);
      straightThrough(logits, g);
      categoricalKlToUniform(logits);
      tf.grads((l: tf.Tensor, t: tf.Tensor) =>
        tf.add(
          tf.sum(gumbelSoftmaxHard(l as tf.Tensor3D, 0.5, g)),
          tf.sum(straightThrough(stopGradient(l), t)),
        ),
      )([logits, g]);
      tf.grad((l: tf.Tensor) => tf.sum(categoricalKlToUniform(l as tf.Tensor3D)))(logits);
    });
    expect(tf.memory().numTensors).toBe(before);

    const g = sampleGumbel<tf.Rank.R3>([2, 3, 4], 53);
    const calls: (() => tf.Tensor)[] = [
      () => sampleGumbel([2, 3, 4], 54),
      () => gumbelSoftmax(logits, 0.5, g),
      () => gumbelSoftmaxHard(logits, 0.5, g),
      () => stopGradient(logits),
      () => straightThrough(logits, g),
      () => categoricalKlToUniform(logits),
    ];
    for (const call of calls) {
      const start = tf.memory().numTensors;
      const result = call();
      expect(tf.memory().numTensors).toBe(start + 1);
      result.dispose();
    }
    tf.dispose([g, logits]);
  });
});
