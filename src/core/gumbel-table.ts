/**
 * One categorical variable's Gumbel-softmax draw, in plain numbers for the page's table (Jang,
 * Gu & Poole 2016; Maddison, Mnih & Teh 2016). Float64 throughout. Pure: no imports.
 *
 *   log π = ℓ − logsumexp(ℓ)              q(c | x) from logits ℓ (any additive constant cancels)
 *   soft  = softmax((log π + g) / τ)      the relaxed (Concrete) sample at temperature τ
 *   hard  = argmax_k (log π_k + g_k)      the Gumbel-max trick: an exact draw from π
 * g_k = −log(−log u_k), u_k ~ U(0, 1). As τ → 0, soft → one_hot(hard); as τ → ∞, uniform.
 */

export interface GumbelTable {
  /** π = softmax(ℓ).   [K] */
  probs: Float64Array;
  /** log π.   [K] */
  logProbs: Float64Array;
  /** softmax((log π + g)/τ).   [K] */
  soft: Float64Array;
  /** argmax_k (log π_k + g_k). */
  hard: number;
}

/** softmax(v) = exp(v − max v) / Σ exp(v − max v) (the shift keeps exp from overflowing). */
export function softmax(v: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]!);
  const out = new Float64Array(v.length);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += out[i] = Math.exp(v[i]! - max);
  for (let i = 0; i < v.length; i++) out[i]! /= sum;
  return out;
}

/** g = −log(−log u) for u in (0, 1). */
export function gumbelFromUniform(u: number): number {
  return -Math.log(-Math.log(u));
}

/** The table above for logits ℓ [K], Gumbel noise g [K] and temperature τ > 0. */
export function gumbelSoftmaxTable(
  logits: ArrayLike<number>,
  gumbel: ArrayLike<number>,
  tau: number,
): GumbelTable {
  const K = logits.length;
  if (gumbel.length !== K) throw new Error(`gumbelSoftmaxTable: ${gumbel.length} noises, K = ${K}`);
  if (!(tau > 0)) throw new Error(`gumbelSoftmaxTable: τ must be > 0 (got ${tau})`);
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, logits[k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(logits[k]! - max);
  const logSumExp = max + Math.log(sum);
  const logProbs = Float64Array.from({ length: K }, (_, k) => logits[k]! - logSumExp);
  const perturbed = logProbs.map((lp, k) => lp + gumbel[k]!);
  let hard = 0;
  for (let k = 1; k < K; k++) if (perturbed[k]! > perturbed[hard]!) hard = k;
  return {
    probs: logProbs.map(Math.exp),
    logProbs,
    soft: softmax(perturbed.map((v) => v / tau)),
    hard,
  };
}
