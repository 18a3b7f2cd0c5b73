/**
 * Active units (Burda, Grosse & Salakhutdinov 2015, "Importance Weighted Autoencoders", §5.2):
 * latent dimension d is active when A_d = Cov_x( E_{q(z|x)}[z_d] ) > threshold (0.01), i.e. the
 * posterior mean of d varies across inputs. Pure: no imports.
 */

/** Per-dimension variance of the posterior means; `means` is row-major N×D. */
export function posteriorMeanVariance(
  means: ArrayLike<number>,
  n: number,
  d: number,
): Float64Array {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = means[i * d + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  }
  return mean.map((m, j) => sq[j]! / n - (m / n) ** 2);
}

export function activeUnits(
  means: ArrayLike<number>,
  n: number,
  d: number,
  threshold = 0.01,
): number {
  return posteriorMeanVariance(means, n, d).filter((v) => v > threshold).length;
}
