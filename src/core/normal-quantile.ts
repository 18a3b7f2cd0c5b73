/**
 * The inverse standard-normal CDF Φ⁻¹ (the probit, or normal quantile function), by Wichura's
 * algorithm AS 241 (PPND16): "The Percentage Points of the Normal Distribution", Applied
 * Statistics 37(3), 477–484, 1988. Rational approximations, relative error about 1e-16:
 *
 *   q = p − ½
 *   |q| ≤ 0.425:  r = 0.180625 − q²,         Φ⁻¹(p) = q · A(r) / B(r)
 *   otherwise:    r = √(−log min(p, 1 − p))
 *                 r ≤ 5:  Φ⁻¹ = ±C(r − 1.6) / D(r − 1.6)      (sign of q)
 *                 r > 5:  Φ⁻¹ = ±E(r − 5) / F(r − 5)
 * A…F are degree-7 polynomials, coefficients lowest order first (the paper's 20-digit constants,
 * written as the doubles they round to). Pure: no imports.
 */

const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
];
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

/** Σ_i c_i x^i by Horner's rule. */
function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i]!;
  return v;
}

/** Φ⁻¹(p) for p in (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value = r <= 5 ? poly(C, r - 1.6) / poly(D, r - 1.6) : poly(E, r - 5) / poly(F, r - 5);
  return q < 0 ? -value : value;
}

/**
 * The n coordinates of a latent-manifold axis (Kingma & Welling 2014, fig. 4: "linearly spaced
 * coordinates on the unit square were transformed through the inverse CDF of the Gaussian"):
 *
 *   g_i = Φ⁻¹((i + ½) / n),   i = 0 … n − 1
 *
 * the midpoints of n equal-probability bins of N(0, 1): symmetric about 0, each tile stands for
 * the same prior mass, and g = [0] when n = 1. (Keras's example uses linspace(0.05, 0.95, n)
 * instead; for n = 20 the midpoints reach ±1.96 rather than ±1.64.)
 */
export function gaussianGrid(n: number): number[] {
  return Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n));
}
