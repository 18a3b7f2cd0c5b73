import { describe, expect, it } from 'vitest';
import {
  GUMBEL_TEMPERATURE_DEFAULTS,
  KL_WEIGHT_DEFAULTS,
  gumbelTemperatureAt,
  klWeightAt,
  type GumbelTemperatureSchedule,
  type KlWeightSchedule,
} from '../../src/core/schedules';

/** Values of f at steps 0, stride, 2·stride, …, up to last. */
function sampled(f: (t: number) => number, last: number, stride: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= last; t += stride) out.push(f(t));
  return out;
}

function isNonDecreasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v >= values[i - 1]!);
}

function isNonIncreasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v <= values[i - 1]!);
}

describe('KL weight schedules', () => {
  it('constant: β at every step', () => {
    const s: KlWeightSchedule = { kind: 'constant', beta: 0.7 };
    for (const t of [0, 1, 500, 1e6]) expect(klWeightAt(s, t)).toBe(0.7);
  });

  it('linear: w = β·min(1, t/N) at 0, N/2, N and beyond', () => {
    const s: KlWeightSchedule = { kind: 'linear', steps: 1000, beta: 4 };
    expect(klWeightAt(s, 0)).toBe(0);
    expect(klWeightAt(s, 250)).toBeCloseTo(1, 12);
    expect(klWeightAt(s, 500)).toBeCloseTo(2, 12);
    expect(klWeightAt(s, 1000)).toBe(4);
    expect(klWeightAt(s, 5000)).toBe(4);
    expect(klWeightAt(s, -10)).toBe(0);
    expect(isNonDecreasing(sampled((t) => klWeightAt(s, t), 2000, 7))).toBe(true);
    expect(klWeightAt({ kind: 'linear', steps: 0, beta: 4 }, 0)).toBe(4);
  });

  it('sigmoid: 0 at t = 0, β/2 at N/2, β at N and beyond, logistic in between', () => {
    const s: KlWeightSchedule = { kind: 'sigmoid', steps: 1000, beta: 2, sharpness: 10 };
    expect(klWeightAt(s, 0)).toBeCloseTo(0, 12);
    expect(klWeightAt(s, 500)).toBeCloseTo(1, 12);
    expect(klWeightAt(s, 1000)).toBeCloseTo(2, 12);
    expect(klWeightAt(s, 3000)).toBeCloseTo(2, 12);
    // Direct evaluation of the documented formula at t = N/4.
    const sig = (a: number) => 1 / (1 + Math.exp(-a));
    const expected = (2 * (sig(10 * (0.25 - 0.5)) - sig(-5))) / (sig(5) - sig(-5));
    expect(klWeightAt(s, 250)).toBeCloseTo(expected, 12);
    // S-shaped: slower than linear early on, faster after the midpoint.
    expect(klWeightAt(s, 100)).toBeLessThan(klWeightAt({ ...s, kind: 'linear' }, 100));
    expect(klWeightAt(s, 900)).toBeGreaterThan(klWeightAt({ ...s, kind: 'linear' }, 900));
    const values = sampled((t) => klWeightAt(s, t), 2000, 7);
    expect(isNonDecreasing(values)).toBe(true);
    expect(Math.max(...values)).toBeLessThanOrEqual(2 + 1e-12);
  });

  it('defaults are well-formed and ramp from 0 to β', () => {
    expect(klWeightAt(KL_WEIGHT_DEFAULTS.linear, 0)).toBe(0);
    expect(klWeightAt(KL_WEIGHT_DEFAULTS.sigmoid, 0)).toBeCloseTo(0, 12);
    expect(klWeightAt(KL_WEIGHT_DEFAULTS.linear, 1e9)).toBe(KL_WEIGHT_DEFAULTS.linear.beta);
    expect(klWeightAt(KL_WEIGHT_DEFAULTS.sigmoid, 1e9)).toBeCloseTo(1, 12);
    expect(klWeightAt(KL_WEIGHT_DEFAULTS.constant, 0)).toBe(1);
  });
});

describe('Gumbel temperature schedules', () => {
  it('constant: τ at every step', () => {
    const s: GumbelTemperatureSchedule = { kind: 'constant', tau: 0.3 };
    for (const t of [0, 10, 1e6]) expect(gumbelTemperatureAt(s, t)).toBe(0.3);
  });

  describe('exp (Jang, Gu & Poole 2016)', () => {
    const s = GUMBEL_TEMPERATURE_DEFAULTS.exp;

    it("defaults are the paper's: τ₀ = 1, τ_min = 0.5, r = 1e-5, N = 1000", () => {
      expect(s).toEqual({ kind: 'exp', tauStart: 1, tauMin: 0.5, rate: 1e-5, updateEvery: 1000 });
    });

    it('τ = max(τ_min, τ₀·exp(−r·N⌊t/N⌋)) at key points', () => {
      expect(gumbelTemperatureAt(s, 0)).toBe(1);
      expect(gumbelTemperatureAt(s, 999)).toBe(1);
      expect(gumbelTemperatureAt(s, 1000)).toBeCloseTo(Math.exp(-0.01), 12);
      expect(gumbelTemperatureAt(s, 25_500)).toBeCloseTo(Math.exp(-0.25), 12);
      // exp(−r t) = 0.5 at t = ln 2 / r ≈ 69,315: the floor holds from the update at 70,000.
      expect(gumbelTemperatureAt(s, 69_999)).toBeCloseTo(Math.exp(-0.69), 12);
      expect(gumbelTemperatureAt(s, 69_999)).toBeGreaterThan(0.5);
      expect(gumbelTemperatureAt(s, 70_000)).toBe(0.5);
      expect(gumbelTemperatureAt(s, 1e7)).toBe(0.5);
    });

    it('is piecewise constant between updates and non-increasing', () => {
      for (const block of [0, 3, 17, 68]) {
        const first = gumbelTemperatureAt(s, block * 1000);
        for (const offset of [1, 250, 500, 999]) {
          expect(gumbelTemperatureAt(s, block * 1000 + offset)).toBe(first);
        }
        expect(gumbelTemperatureAt(s, (block + 1) * 1000)).toBeLessThan(first);
      }
      expect(isNonIncreasing(sampled((t) => gumbelTemperatureAt(s, t), 200_000, 97))).toBe(true);
    });
  });

  describe('cosine (Ramesh et al. 2021, DALL·E)', () => {
    const s = GUMBEL_TEMPERATURE_DEFAULTS.cosine;
    const T = s.steps;

    it("defaults are the paper's: 1 → 1/16 over 150,000 steps", () => {
      expect(s).toEqual({ kind: 'cosine', tauStart: 1, tauEnd: 1 / 16, steps: 150_000 });
    });

    it('hits 1 at t = 0, the midpoint at T/2, 1/16 at T and stays there', () => {
      expect(gumbelTemperatureAt(s, 0)).toBe(1);
      expect(gumbelTemperatureAt(s, T / 2)).toBeCloseTo((1 + 1 / 16) / 2, 12);
      expect(gumbelTemperatureAt(s, T / 4)).toBeCloseTo(
        1 / 16 + 0.5 * (15 / 16) * (1 + Math.SQRT1_2),
        12,
      );
      expect(gumbelTemperatureAt(s, T)).toBe(1 / 16);
      expect(gumbelTemperatureAt(s, T + 1)).toBe(1 / 16);
      expect(gumbelTemperatureAt(s, 10 * T)).toBe(1 / 16);
    });

    it('is non-increasing and flat at both ends', () => {
      const values = sampled((t) => gumbelTemperatureAt(s, t), 2 * T, 101);
      expect(isNonIncreasing(values)).toBe(true);
      // Zero slope at the ends: the first and last 1% of the anneal move τ by < 0.1%.
      expect(1 - gumbelTemperatureAt(s, T / 100)).toBeLessThan(1e-3);
      expect(gumbelTemperatureAt(s, T - T / 100) - 1 / 16).toBeLessThan(1e-3);
    });

    it('uses its own endpoints and length', () => {
      const custom: GumbelTemperatureSchedule = {
        kind: 'cosine',
        tauStart: 2,
        tauEnd: 0.5,
        steps: 100,
      };
      expect(gumbelTemperatureAt(custom, 0)).toBe(2);
      expect(gumbelTemperatureAt(custom, 50)).toBeCloseTo(1.25, 12);
      expect(gumbelTemperatureAt(custom, 100)).toBe(0.5);
      expect(gumbelTemperatureAt(custom, 1000)).toBe(0.5);
    });
  });
});
