import { describe, expect, it } from 'vitest';
import { fitGaussian, sampleGaussian } from '../../src/core/gaussian-fit';
import { mulberry32 } from '../../src/core/rng';

describe('fitGaussian / sampleGaussian', () => {
  it('L Lᵀ reproduces the sample covariance, and samples have the fitted mean and covariance', () => {
    // Known Gaussian: mean (1, −2, 0.5), covariance A Aᵀ.
    const A = [
      [2, 0, 0],
      [0.8, 0.5, 0],
      [-0.3, 0.4, 0.2],
    ];
    const truth = { mean: [1, -2, 0.5], chol: A };
    const rng = mulberry32(11);
    const src = sampleGaussian(
      {
        dims: 3,
        mean: Float64Array.from(truth.mean),
        cholesky: Float64Array.from(truth.chol.flat()),
      },
      40000,
      rng,
    );
    const fit = fitGaussian(src, 40000, 3, 0);
    fit.mean.forEach((m, i) => expect(m).toBeCloseTo(truth.mean[i]!, 1));
    const cov = (M: number[][]) =>
      M.map((r) => M.map((q) => r.reduce((a, v, k) => a + v * q[k]!, 0)));
    const L = [0, 1, 2].map((i) => [0, 1, 2].map((j) => fit.cholesky[i * 3 + j]!));
    const fitted = cov(L);
    const expected = cov(A);
    fitted.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 1)));
    // Upper triangle of L is zero.
    expect([L[0]![1], L[0]![2], L[1]![2]]).toEqual([0, 0, 0]);
  });

  it('rejects a degenerate covariance without jitter', () => {
    const pts = Float64Array.from([1, 1, 2, 2, 3, 3]); // all on the line z1 = z2
    expect(() => fitGaussian(pts, 3, 2, 0)).toThrow(/not positive definite/);
    expect(() => fitGaussian(pts, 3, 2, 1e-6)).not.toThrow();
  });
});
