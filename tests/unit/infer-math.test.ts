// Inference by optimisation, restoration and editing: the math against direct computations and
// a closed form (least squares for a linear Gaussian decoder), plus the masks and digit measures.
import { beforeAll, describe, expect, it } from 'vitest';
import { visibleCount, visibleMask } from '../../src/core/digit-masks';
import {
  inkMass,
  measureDigits,
  medianSplit,
  slant,
  strokeWidth,
} from '../../src/core/digit-measures';
import { mulberry32 } from '../../src/core/rng';
import type { CodeSpace } from '../../src/train/infer/code-space';
import { meanDifference } from '../../src/train/infer/direction';
import { InferenceRun, maskedLoss } from '../../src/train/infer/inference';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const rand = (n: number, seed: number, lo = 0, hi = 1) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
};

describe('maskedLoss', () => {
  const B = 3;
  const P = 10;
  const xhat = rand(B * P, 1, 0.05, 0.95);
  const x = rand(B * P, 2);
  const m = Float32Array.from(rand(B * P, 3), (v) => (v < 0.6 ? 1 : 0));
  const t = (a: Float32Array) => tf.tensor2d(a, [B, P]);

  it('squared error: Σ_p m_p (x̂_p − x_p)² per image, by a direct sum', async () => {
    const got = await maskedLoss(t(xhat), t(x), t(m), 'squared').data();
    for (let b = 0; b < B; b++) {
      let want = 0;
      for (let p = 0; p < P; p++) want += m[b * P + p]! * (xhat[b * P + p]! - x[b * P + p]!) ** 2;
      expect(got[b]).toBeCloseTo(want, 5);
    }
  });

  it('Bernoulli: −Σ_p m_p [x log x̂ + (1 − x) log(1 − x̂)] per image', async () => {
    const got = await maskedLoss(t(xhat), t(x), t(m), 'bernoulli').data();
    for (let b = 0; b < B; b++) {
      let want = 0;
      for (let p = 0; p < P; p++) {
        const i = b * P + p;
        want -= m[i]! * (x[i]! * Math.log(xhat[i]!) + (1 - x[i]!) * Math.log(1 - xhat[i]!));
      }
      expect(got[b]).toBeCloseTo(want, 4);
    }
  });

  it('a [1, P] mask applies to every image of the batch', async () => {
    const row = m.subarray(0, P);
    const got = await maskedLoss(t(xhat), t(x), tf.tensor2d(row, [1, P]), 'squared').data();
    const tiled = new Float32Array(B * P);
    for (let b = 0; b < B; b++) tiled.set(row, b * P);
    const want = await maskedLoss(t(xhat), t(x), t(tiled), 'squared').data();
    expect([...got]).toEqual([...want]);
  });
});

/** A linear Gaussian decoder x̂ = W z + c (no squashing): inference is least squares. */
function linearSpace(W: Float32Array, c: Float32Array, P: number, L: number): CodeSpace {
  const Wt = tf.tensor2d(W, [P, L]);
  const ct = tf.tensor2d(c, [1, P]);
  const decode = (z: tf.Tensor2D) =>
    tf.tidy(() => tf.add(tf.matMul(z, Wt, false, true), ct) as tf.Tensor2D);
  return {
    info: { kind: 'continuous', size: L, encoder: false, editable: true },
    decode,
    discrete: null,
    discreteLabel: null,
    encode: null,
    show: decode,
  };
}

/** argmin_z Σ_p m_p (W_p z + c_p − x_p)² by the normal equations (Gauss–Jordan, L small). */
function leastSquares(
  W: Float32Array,
  c: Float32Array,
  x: Float32Array,
  m: Float32Array,
  L: number,
) {
  const P = x.length;
  const A = Array.from({ length: L }, () => new Float64Array(L + 1));
  for (let p = 0; p < P; p++) {
    if (!m[p]) continue;
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < L; j++) A[i]![j]! += W[p * L + i]! * W[p * L + j]!;
      A[i]![L]! += W[p * L + i]! * (x[p]! - c[p]!);
    }
  }
  for (let i = 0; i < L; i++) {
    const pivot = A[i]![i]!;
    for (let k = i; k <= L; k++) A[i]![k]! /= pivot;
    for (let r = 0; r < L; r++) {
      if (r === i) continue;
      const f = A[r]![i]!;
      for (let k = i; k <= L; k++) A[r]![k]! -= f * A[i]![k]!;
    }
  }
  return A.map((row) => row[L]!);
}

describe('InferenceRun (Adam on z only)', () => {
  const P = 12;
  const L = 3;
  const W = rand(P * L, 4, -1, 1);
  const c = rand(P, 5, -0.2, 0.2);

  it('recovers a known z* from its own image: the loss falls to ~0 and z → z*', async () => {
    const space = linearSpace(W, c, P, L);
    const zStar = tf.tensor2d([[0.7, -1.2, 0.4]]);
    const x = space.decode(zStar);
    const mask = tf.ones([1, P]) as tf.Tensor2D;
    const run = new InferenceRun(space, x, mask, {
      start: 'zero',
      loss: 'squared',
      learningRate: 0.05,
      seed: 1,
    });
    const { losses } = run.steps(1500, false);
    const l = await losses.data();
    expect(l[0]).toBeGreaterThan(0.5);
    expect(l[l.length - 1]).toBeLessThan(1e-4);
    expect(l[l.length - 1]).toBeLessThan(l[0]! / 1000);
    const z = await run.z.data();
    [0.7, -1.2, 0.4].forEach((v, i) => expect(z[i]).toBeCloseTo(v, 2));
    tf.dispose([zStar, x, mask, losses]);
    run.dispose();
  });

  it('with part of the image erased, lands on the least-squares code of the visible pixels', async () => {
    const space = linearSpace(W, c, P, L);
    const x = rand(P, 6); // not in the decoder's range: the fit is a projection
    const m = Float32Array.from({ length: P }, (_, p) => (p % 3 === 1 ? 0 : 1));
    const want = leastSquares(W, c, x, m, L);
    const xt = tf.tensor2d(x, [1, P]);
    const mask = tf.tensor2d(m, [1, P]);
    const run = new InferenceRun(space, xt, mask, {
      start: 'random',
      loss: 'squared',
      learningRate: 0.05,
      seed: 3,
    });
    run.steps(2000, false).losses.dispose();
    const z = await run.z.data();
    want.forEach((v, i) => expect(z[i]).toBeCloseTo(v, 2));
    // The erased pixels changed nothing: moving them leaves the fit where it was.
    const x2 = Float32Array.from(x, (v, p) => (m[p] ? v : 5 - v));
    const want2 = leastSquares(W, c, x2, m, L);
    want2.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    tf.dispose([xt, mask]);
    run.dispose();
  });

  it('keeps the decoder frozen and leaves no tensors behind over repeated batches', () => {
    const space = linearSpace(W, c, P, L);
    const x = tf.tensor2d(rand(2 * P, 7), [2, P]);
    const mask = tf.ones([1, P]) as tf.Tensor2D;
    const run = new InferenceRun(space, x, mask, {
      start: 'zero',
      loss: 'bernoulli',
      learningRate: 0.01,
      seed: 1,
    });
    const first = run.steps(3, true);
    tf.dispose([first.losses, first.path!]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const r = run.steps(4, true);
      expect(r.path!.shape).toEqual([4, 2, L]);
      tf.dispose([r.losses, r.path!]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(run.step).toBe(23);
    run.dispose();
    tf.dispose([x, mask]);
  });
});

describe('editing direction', () => {
  it('is the mean code of group b minus the mean code of group a', async () => {
    const a = rand(5 * 4, 8, -2, 2);
    const b = rand(3 * 4, 9, -2, 2);
    const d = await meanDifference(tf.tensor2d(a, [5, 4]), tf.tensor2d(b, [3, 4])).data();
    for (let j = 0; j < 4; j++) {
      let ma = 0;
      let mb = 0;
      for (let i = 0; i < 5; i++) ma += a[i * 4 + j]! / 5;
      for (let i = 0; i < 3; i++) mb += b[i * 4 + j]! / 3;
      expect(d[j]).toBeCloseTo(mb - ma, 5);
    }
  });
});

describe('masks', () => {
  it('a quadrant erases a quarter, the one named', () => {
    const m = visibleMask({ kind: 'quadrant', which: 1 }, 28, 28);
    expect(visibleCount(m)).toBe(784 - 196);
    expect(m[0 * 28 + 27]).toBe(0); // top right
    expect(m[0 * 28 + 0]).toBe(1);
    expect(m[27 * 28 + 27]).toBe(1);
  });

  it('a band erases its rows, random pixels about their fraction, by hand exactly those', () => {
    const band = visibleMask({ kind: 'band', top: 10, rows: 8 }, 28, 28);
    expect(visibleCount(band)).toBe(784 - 8 * 28);
    expect(band[9 * 28]).toBe(1);
    expect(band[10 * 28]).toBe(0);
    expect(band[18 * 28]).toBe(1);
    const random = visibleMask({ kind: 'random', fraction: 0.5, seed: 2 }, 28, 28);
    expect(Math.abs(visibleCount(random) - 392)).toBeLessThan(60);
    const hand = Uint8Array.from({ length: 784 }, (_, p) => (p < 100 ? 0 : 1));
    expect(visibleCount(visibleMask({ kind: 'pixels', visible: hand }, 28, 28))).toBe(684);
    expect(() => visibleMask({ kind: 'pixels', visible: new Uint8Array(3) }, 28, 28)).toThrow(
      /784 entries/,
    );
  });
});

describe('digit measures', () => {
  const H = 28;
  const W = 28;
  const blank = () => new Float32Array(H * W);

  it('slant: a line x = s·y through the centre has slant s; upright 0; leaning left < 0', () => {
    for (const s of [0, 0.5, -0.25]) {
      const img = blank();
      for (let r = 4; r < 24; r++) img[r * W + Math.round(14 + s * (14 - r))] = 1;
      expect(slant(img, 0, H, W)).toBeCloseTo(s, 1);
    }
  });

  it('stroke width: an a×b bar gives its ink over half its perimeter, ab/(a+b)', () => {
    for (const [a, b] of [
      [20, 2],
      [20, 4],
      [10, 3],
    ] as const) {
      const img = blank();
      for (let r = 0; r < b; r++) for (let c = 0; c < a; c++) img[(5 + r) * W + 4 + c] = 1;
      expect(strokeWidth(img, 0, H, W)).toBeCloseTo((a * b) / (a + b), 6);
      expect(inkMass(img, 0, H * W)).toBe(a * b);
    }
    const thin = blank();
    const thick = blank();
    for (let c = 4; c < 24; c++) {
      thin[10 * W + c] = 1;
      for (let r = 10; r < 14; r++) thick[r * W + c] = 1;
    }
    const both = new Float32Array([...thin, ...thick]);
    const [w1, w2] = measureDigits('width', both, 2, H, W);
    expect(w2!).toBeGreaterThan(w1!);
  });

  it('medianSplit: the lower half and the upper half, stable for ties', () => {
    expect(medianSplit([5, 1, 4, 2, 3])).toEqual({ low: [1, 3], high: [4, 2, 0] });
    expect(medianSplit([1, 1, 1, 1])).toEqual({ low: [0, 1], high: [2, 3] });
  });
});
