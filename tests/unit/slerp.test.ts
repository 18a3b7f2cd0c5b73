// slerp against its defining properties and White's (2016) formula for equal-length vectors.
import { describe, expect, it } from 'vitest';
import { interpolationPath, lerp, slerp } from '../../src/core/slerp';
import { mulberry32 } from '../../src/core/rng';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));
const angle = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.acos(Math.min(1, Math.max(-1, dot(a, b) / (norm(a) * norm(b)))));

/** The part of p orthogonal to span(a, b) (Gram–Schmidt). */
function offPlane(p: ArrayLike<number>, a: number[], b: number[]): number[] {
  const e1 = a.map((v) => v / norm(a));
  const b1 = b.map((v, i) => v - dot(b, e1) * e1[i]!);
  const e2 = b1.map((v) => v / norm(b1));
  return Array.from(p, (v, i) => v - dot(p, e1) * e1[i]! - dot(p, e2) * e2[i]!);
}

function randomVector(n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => rng() * 2 - 1);
}

describe('slerp', () => {
  const a = randomVector(8, 1);
  const b = randomVector(8, 2).map((v) => 3 * v); // a different length

  it('returns the endpoints at t = 0 and t = 1', () => {
    slerp(a, b, 0).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 12));
    slerp(a, b, 1).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
  });

  it('moves the direction in equal angle steps and the length linearly', () => {
    const steps = 9;
    const theta = angle(a, b);
    const path = Array.from({ length: steps }, (_, s) => slerp(a, b, s / (steps - 1)));
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      expect(angle(a, path[s]!)).toBeCloseTo(t * theta, 10);
      expect(norm(path[s]!)).toBeCloseTo((1 - t) * norm(a) + t * norm(b), 10);
      if (s > 0) expect(angle(path[s - 1]!, path[s]!)).toBeCloseTo(theta / (steps - 1), 10);
      // The path stays in the plane of a and b: nothing left after projecting onto it.
      expect(norm(offPlane(path[s]!, a, b))).toBeLessThan(1e-12);
    }
  });

  it("equals White's sin-weighted formula for vectors of equal length", () => {
    const u = randomVector(5, 3);
    const v0 = randomVector(5, 4);
    const v = v0.map((x) => (x * norm(u)) / norm(v0));
    const theta = angle(u, v);
    for (const t of [0.1, 0.37, 0.5, 0.9]) {
      const w1 = Math.sin((1 - t) * theta) / Math.sin(theta);
      const w2 = Math.sin(t * theta) / Math.sin(theta);
      slerp(u, v, t).forEach((x, i) => expect(x).toBeCloseTo(w1 * u[i]! + w2 * v[i]!, 12));
    }
  });

  it('falls back to linear interpolation when the directions are (nearly) parallel or a is 0', () => {
    const c = [1, 2, 3];
    const nearly = [2, 4, 6 + 1e-9];
    for (const t of [0, 0.3, 1]) {
      expect(Array.from(slerp(c, [2, 4, 6], t))).toEqual(Array.from(lerp(c, [2, 4, 6], t)));
      expect(Array.from(slerp(c, nearly, t))).toEqual(Array.from(lerp(c, nearly, t)));
      expect(Array.from(slerp([0, 0, 0], c, t))).toEqual(Array.from(lerp([0, 0, 0], c, t)));
      expect(Array.from(slerp(c, [-1, -2, -3], t))).toEqual(Array.from(lerp(c, [-1, -2, -3], t)));
    }
  });

  it('rejects vectors of different lengths', () => {
    expect(() => slerp([1, 2], [1, 2, 3], 0.5)).toThrow(/lengths/);
  });
});

describe('interpolationPath', () => {
  it('stacks `steps` points from a to b, row-major', () => {
    const a = [1, 0];
    const b = [0, 2];
    const linear = interpolationPath(a, b, 3, 'linear');
    expect(Array.from(linear)).toEqual([1, 0, 0.5, 1, 0, 2]);
    const sl = interpolationPath(a, b, 3, 'slerp');
    // Midpoint: direction at 45°, length 1.5.
    expect(sl[2]).toBeCloseTo(1.5 / Math.SQRT2, 12);
    expect(sl[3]).toBeCloseTo(1.5 / Math.SQRT2, 12);
    expect(sl[4]).toBeCloseTo(0, 12);
    expect(sl[5]).toBeCloseTo(2, 12);
  });
});
