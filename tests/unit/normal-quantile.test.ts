// Φ⁻¹ (Wichura AS 241) against published quantiles and against an independent Φ computed here
// from series and continued fractions (no code shared with the subject).
import { describe, expect, it } from 'vitest';
import { gaussianGrid, normalQuantile } from '../../src/core/normal-quantile';

/**
 * Reference Φ(x) for x ≤ 0:
 *   |x| < 3:  Φ(x) = ½ − ½ erf(|x|/√2),  erf(y) = (2/√π) e^{−y²} Σ_n 2ⁿ y^{2n+1} / (1·3·…·(2n+1))
 *             (all terms positive, so no cancellation)
 *   |x| ≥ 3:  Φ(x) = φ(x) / (t + 1/(t + 2/(t + 3/(t + …)))),  t = |x|   (Laplace's continued
 *             fraction for the Mills ratio, evaluated from the tail)
 */
function phiLower(x: number): number {
  const t = -x;
  if (t < 3) {
    const y = t / Math.SQRT2;
    let term = y;
    let sum = y;
    for (let n = 1; n < 200; n++) {
      term *= (2 * y * y) / (2 * n + 1);
      sum += term;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * Math.exp(-y * y) * sum;
    return 0.5 - 0.5 * erf;
  }
  let cf = t;
  for (let k = 300; k >= 1; k--) cf = t + k / cf;
  const density = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return density / cf;
}

/** Φ(x) for any x (by symmetry above 0). */
const phi = (x: number) => (x <= 0 ? phiLower(x) : 1 - phiLower(-x));

describe('normalQuantile (AS 241)', () => {
  it('matches published quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 14);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
  });

  it('inverts an independently computed Φ from −30 to 5', () => {
    // Lower tail to −30 (Φ ≈ 5e-198) where p keeps full relative precision; above 0 the
    // precision of 1 − Φ(−x) limits the test, so it stops at 5.
    for (let x = -30; x <= 5; x += 0.125) {
      expect(Math.abs(normalQuantile(phi(x)) - x)).toBeLessThan(1e-9 * Math.max(1, Math.abs(x)));
    }
  });

  it('Φ(Φ⁻¹(p)) = p to relative 1e-12, in all three regions, and is odd about ½', () => {
    for (const p of [1e-300, 1e-50, 1e-12, 1e-6, 0.01, 0.07, 0.075, 0.2, 0.5, 0.6, 0.925, 0.99]) {
      expect(Math.abs(phi(normalQuantile(p)) - p) / p).toBeLessThan(1e-12);
      // (1 − p is exact enough only for p ≥ 1e-6.)
      if (p >= 1e-6) expect(normalQuantile(1 - p) + normalQuantile(p)).toBeCloseTo(0, 9);
    }
  });

  it('handles the ends and bad input', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});

describe('gaussianGrid', () => {
  it('puts n points at the midpoints of n equal-probability bins', () => {
    expect(gaussianGrid(1)).toEqual([0]);
    for (const n of [2, 5, 20]) {
      const g = gaussianGrid(n);
      expect(g).toHaveLength(n);
      g.forEach((v, i) => {
        expect(phi(v)).toBeCloseTo((i + 0.5) / n, 12);
        expect(v + g[n - 1 - i]!).toBeCloseTo(0, 12); // symmetric about 0
        if (i > 0) expect(v).toBeGreaterThan(g[i - 1]!);
      });
    }
    expect(gaussianGrid(20)[19]).toBeCloseTo(1.959963984540054, 12); // Φ⁻¹(0.975)
  });
});
