/**
 * Principal components of a small point cloud (N points × D dims, D up to a few hundred),
 * by power iteration with deflation on the D×D covariance. Used to draw latents of size > 2
 * in a 2-D scatter. Pure: no imports.
 *
 *   C = (X − x̄)ᵀ(X − x̄) / N                     [D, D]
 *   v_k = argmax_{|v|=1, v ⟂ v_<k} vᵀ C v        (power iteration on the deflated C)
 */

export interface Pca {
  mean: Float64Array; // [D]
  components: Float64Array[]; // k × [D], unit length, decreasing variance
  variances: number[]; // k eigenvalues of C
}

/** `points` is row-major N×D. */
export function fitPca(
  points: ArrayLike<number>,
  n: number,
  d: number,
  k = 2,
  iterations = 200,
): Pca {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += points[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = points[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]! / n;
      for (let b = a; b < d; b++) cov[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;

  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < Math.min(k, d); c++) {
    // Deterministic start that is unlikely to be orthogonal to the top eigenvector.
    let v = new Float64Array(d).map((_, j) => 1 + j / d + (j % 2 === 0 ? 0.5 : -0.25));
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b]! * v[b]!;
        w[a] = s;
      }
      for (const u of components) {
        const dot = w.reduce((acc, x, j) => acc + x * u[j]!, 0);
        for (let j = 0; j < d; j++) w[j]! -= dot * u[j]!;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    components.push(v);
    variances.push(lambda);
  }
  return { mean, components, variances };
}

/** Projects N×D points onto the fitted components: returns N×k row-major. */
export function projectPca(
  pca: Pca,
  points: ArrayLike<number>,
  n: number,
  d: number,
): Float32Array {
  const k = pca.components.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const u = pca.components[c]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += (points[i * d + j]! - pca.mean[j]!) * u[j]!;
      out[i * k + c] = s;
    }
  }
  return out;
}
