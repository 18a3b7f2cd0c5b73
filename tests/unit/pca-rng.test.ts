import { describe, expect, it } from 'vitest';
import { fitPca, projectPca } from '../../src/core/pca';
import { mulberry32, permutation } from '../../src/core/rng';

describe('PCA', () => {
  it('recovers the principal axes and variances of a known anisotropic Gaussian', () => {
    // Points with standard deviations 3, 1, 0.2 along an orthonormal basis rotated in 3-D.
    const rng = mulberry32(5);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const c = Math.cos(0.6);
    const s = Math.sin(0.6);
    const basis = [
      [c, s, 0],
      [-s, c, 0],
      [0, 0, 1],
    ];
    const sd = [3, 1, 0.2];
    const n = 20000;
    const pts = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = sd.map((v) => v * gauss());
      for (let j = 0; j < 3; j++)
        pts[i * 3 + j] = 5 + a[0]! * basis[0]![j]! + a[1]! * basis[1]![j]! + a[2]! * basis[2]![j]!;
    }
    const pca = fitPca(pts, n, 3, 2);
    expect(pca.variances[0]).toBeCloseTo(9, 0);
    expect(pca.variances[1]).toBeCloseTo(1, 1);
    const dot = (u: ArrayLike<number>, v: number[]) =>
      u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
    expect(Math.abs(dot(pca.components[0]!, basis[0]!))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(pca.components[1]!, basis[1]!))).toBeGreaterThan(0.99);
    const proj = projectPca(pca, pts, n, 3);
    let m = 0;
    for (let i = 0; i < n; i++) m += proj[2 * i]! / n;
    expect(Math.abs(m)).toBeLessThan(1e-3); // centred
  });
});

describe('seeded RNG', () => {
  it('is reproducible, roughly uniform, and permutations are permutations', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    const mean = xs.reduce((p, q) => p + q, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    const p = permutation(1000, mulberry32(3));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(p.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('downsampleMean', () => {
  it('keeps short curves and averages long ones into equal buckets', async () => {
    const { downsampleMean } = await import('../../src/core/downsample');
    expect(downsampleMean([1, 2, 3], [4, 5, 6], 5)).toEqual({ x: [1, 2, 3], y: [4, 5, 6] });
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const ys = xs.map((v) => v * 2);
    expect(downsampleMean(xs, ys, 4)).toEqual({ x: [1, 4, 7, 9], y: [2, 8, 14, 18] });
    const big = Array.from({ length: 100_001 }, (_, i) => i);
    expect(downsampleMean(big, big, 600).x.length).toBeLessThanOrEqual(600);
  });
});
