import { describe, expect, it } from 'vitest';
import { orthonormalize, symmetricEigen, topEigen, transposeMatMul } from '../../src/core/eigen';
import { principalAngles } from '../../src/core/principal-angles';
import { mulberry32 } from '../../src/core/rng';

/** A random n×m matrix with orthonormal columns (Gram–Schmidt of Gaussian-ish entries). */
function randomOrthonormal(n: number, m: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  return orthonormalize(
    Float64Array.from({ length: n * m }, () => rng() - 0.5),
    n,
    m,
  );
}

/** A = Q diag(λ) Qᵀ for Q [n, n] orthogonal. */
function compose(q: Float64Array, lambda: number[], n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
      a[i * n + j] = s;
    }
  return a;
}

/** |cos| between column j of x [n, mx] and column k of y [n, my]. */
function absCos(
  x: Float64Array,
  mx: number,
  j: number,
  y: Float64Array,
  my: number,
  k: number,
  n: number,
) {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < n; i++) {
    dot += x[i * mx + j]! * y[i * my + k]!;
    nx += x[i * mx + j]! ** 2;
    ny += y[i * my + k]! ** 2;
  }
  return Math.abs(dot) / Math.sqrt(nx * ny);
}

describe('orthonormalize', () => {
  it('gives orthonormal columns spanning the same space', () => {
    const rng = mulberry32(3);
    const n = 30;
    const m = 6;
    const v = Float64Array.from({ length: n * m }, () => rng() - 0.5);
    const q = orthonormalize(v, n, m);
    const g = transposeMatMul(q, q, n, m, m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) expect(g[i * m + j]!).toBeCloseTo(i === j ? 1 : 0, 12);
    // Each original column is reproduced by its projection onto span(q).
    const c = transposeMatMul(q, v, n, m, m);
    for (let j = 0; j < m; j++)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += q[i * m + k]! * c[k * m + j]!;
        expect(s).toBeCloseTo(v[i * m + j]!, 12);
      }
  });
});

describe('symmetricEigen (Jacobi)', () => {
  it('recovers Λ and Q of A = QΛQᵀ built from a random orthogonal Q', () => {
    const n = 12;
    const q = randomOrthonormal(n, n, 7);
    const lambda = [9, 7.5, 6, 4, 3.2, 2, 1.5, 1, 0.5, 0.1, -0.3, -2];
    const { values, vectors } = symmetricEigen(compose(q, lambda, n), n);
    lambda.forEach((l, j) => expect(values[j]!).toBeCloseTo(l, 10));
    for (let j = 0; j < n; j++) expect(absCos(vectors, n, j, q, n, j, n)).toBeCloseTo(1, 9);
  });
});

describe('topEigen (subspace iteration + Rayleigh–Ritz)', () => {
  it('finds the top k eigenpairs of a 120×120 A = QΛQᵀ with a slowly decaying spectrum', () => {
    const n = 120;
    const k = 10;
    const q = randomOrthonormal(n, n, 11);
    const lambda = Array.from({ length: n }, (_, i) => 5 / (1 + 0.3 * i)); // like pixel spectra
    const a = compose(q, lambda, n);
    const { values, vectors, iterations } = topEigen(a, n, k, { seed: 2 });
    expect(iterations).toBeGreaterThan(1);
    for (let j = 0; j < k; j++) {
      expect(values[j]!).toBeCloseTo(lambda[j]!, 8);
      expect(absCos(vectors, k, j, q, n, j, n)).toBeCloseTo(1, 6);
    }
  });
});

describe('principalAngles', () => {
  it('recovers angles built into two subspaces', () => {
    // Orthonormal e₀…e₇ of ℝ⁴⁰; A = span(e₀, e₁, e₂), B = span(cos θᵢ eᵢ + sin θᵢ e₃₊ᵢ),
    // then both mixed by non-orthogonal coefficients (a basis need not be orthonormal).
    const n = 40;
    const e = randomOrthonormal(n, 8, 21);
    const theta = [0, 0.3, 1.2];
    const a = new Float64Array(n * 3);
    const b = new Float64Array(n * 3);
    const mix = [
      [1, 0.5, -2],
      [0, 2, 0.7],
      [0.3, 0, 1.5],
    ];
    for (let r = 0; r < n; r++)
      for (let j = 0; j < 3; j++)
        for (let i = 0; i < 3; i++) {
          a[r * 3 + j]! += mix[i]![j]! * e[r * 8 + i]!;
          const bi = Math.cos(theta[i]!) * e[r * 8 + i]! + Math.sin(theta[i]!) * e[r * 8 + 3 + i]!;
          b[r * 3 + j]! += mix[j]![i]! * bi;
        }
    const angles = principalAngles(a, b, n, 3, 3);
    theta.forEach((t, i) => expect(angles[i]!).toBeCloseTo(t, 7));
  });

  it('is 90° for orthogonal subspaces and handles different sizes', () => {
    const n = 10;
    const e = randomOrthonormal(n, 5, 4);
    const a = new Float64Array(n * 2);
    const b = new Float64Array(n * 3);
    for (let r = 0; r < n; r++) {
      a[r * 2] = e[r * 5]!;
      a[r * 2 + 1] = e[r * 5 + 1]!;
      b[r * 3] = e[r * 5 + 1]! + e[r * 5 + 2]!;
      b[r * 3 + 1] = e[r * 5 + 3]!;
      b[r * 3 + 2] = e[r * 5 + 4]!;
    }
    // span(b) holds e₁ + e₂ only near span(a): angle π/4 between e₁ and e₁+e₂, then π/2.
    const angles = principalAngles(a, b, n, 2, 3);
    expect(angles).toHaveLength(2);
    expect(angles[0]!).toBeCloseTo(Math.PI / 4, 8);
    expect(angles[1]!).toBeCloseTo(Math.PI / 2, 7);
  });
});
