// The Gumbel-softmax table against a hand computation, its temperature limits, and the
// Gumbel-max trick as a sampler (empirical frequencies match π).
import { describe, expect, it } from 'vitest';
import { gumbelFromUniform, gumbelSoftmaxTable, softmax } from '../../src/core/gumbel-table';
import { mulberry32 } from '../../src/core/rng';

describe('gumbelSoftmaxTable', () => {
  // π = (0.2, 0.5, 0.3), given as logits shifted by 7 (a constant that must cancel).
  const pi = [0.2, 0.5, 0.3];
  const logits = pi.map((p) => Math.log(p) + 7);
  const g = [1, 0, 0.5];

  it('matches a hand computation', () => {
    // log π + g = (log 0.2 + 1, log 0.5, log 0.3 + 0.5) = (−0.609, −0.693, −0.704) → hard = 0.
    // τ = 1: soft ∝ π_k e^{g_k} = (0.2e, 0.5, 0.3e^{0.5}) = (0.5437, 0.5, 0.4946).
    // τ = ½: soft ∝ (π_k e^{g_k})² = (0.2956, 0.25, 0.2446).
    const t1 = gumbelSoftmaxTable(logits, g, 1);
    t1.probs.forEach((p, k) => expect(p).toBeCloseTo(pi[k]!, 12));
    t1.logProbs.forEach((lp, k) => expect(lp).toBeCloseTo(Math.log(pi[k]!), 12));
    expect(t1.hard).toBe(0);
    const w1 = [0.2 * Math.E, 0.5, 0.3 * Math.exp(0.5)];
    const s1 = w1.reduce((a, b) => a + b);
    t1.soft.forEach((v, k) => expect(v).toBeCloseTo(w1[k]! / s1, 12));
    expect(t1.soft[0]).toBeCloseTo(0.35343, 4);

    const t2 = gumbelSoftmaxTable(logits, g, 0.5);
    const w2 = w1.map((w) => w * w);
    const s2 = w2.reduce((a, b) => a + b);
    t2.soft.forEach((v, k) => expect(v).toBeCloseTo(w2[k]! / s2, 12));
  });

  it('tends to one_hot(hard) as τ → 0 and to uniform as τ → ∞', () => {
    let previous = 0;
    for (const tau of [2, 1, 0.3, 0.1, 0.03, 0.01, 0.001]) {
      const t = gumbelSoftmaxTable(logits, g, tau);
      expect(t.hard).toBe(0); // the hard sample does not depend on τ
      expect(t.soft[0]!).toBeGreaterThanOrEqual(previous);
      previous = t.soft[0]!;
    }
    const cold = gumbelSoftmaxTable(logits, g, 0.001).soft;
    expect(cold[0]).toBe(1); // the others are below e^{−80}
    expect(cold[1]! + cold[2]!).toBeLessThan(1e-30);
    gumbelSoftmaxTable(logits, g, 1e6).soft.forEach((v) => expect(v).toBeCloseTo(1 / 3, 5));
  });

  it('hard = argmax(log π + g) samples from π (the Gumbel-max trick)', () => {
    const rng = mulberry32(11);
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const noise = pi.map(() => gumbelFromUniform(rng() + 2 ** -33));
      counts[gumbelSoftmaxTable(logits, noise, 1).hard]!++;
    }
    counts.forEach((c, k) => expect(Math.abs(c / n - pi[k]!)).toBeLessThan(0.015));
  });

  it('rejects τ ≤ 0 and mismatched noise', () => {
    expect(() => gumbelSoftmaxTable(logits, g, 0)).toThrow(/τ/);
    expect(() => gumbelSoftmaxTable(logits, [1, 2], 1)).toThrow(/noises/);
  });
});

describe('softmax', () => {
  it('is shift invariant and does not overflow', () => {
    const s = softmax([1000, 1001, 1002]);
    const ref = softmax([0, 1, 2]);
    s.forEach((v, k) => expect(v).toBeCloseTo(ref[k]!, 14));
    expect(ref[2]).toBeCloseTo(Math.exp(2) / (1 + Math.E + Math.exp(2)), 14);
  });
});
