/**
 * Plain-number statistics of a VQ-VAE codebook's use, computed from the code indices the
 * quantiser picked (one index per latent position). Pure: no imports.
 * K = codebook size.
 */

/**
 * How many positions chose each code: counts[k] = #{ i : indices[i] = k }.          [K]
 * Throws on an index outside 0..K-1 (a sign of mixing up codebooks).
 */
export function codeUsage(indices: ArrayLike<number>, K: number): Int32Array {
  const counts = new Int32Array(K);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= K) {
      throw new RangeError(`code index ${k} at position ${i} is outside 0..${K - 1}`);
    }
    counts[k]!++;
  }
  return counts;
}

/**
 * Codebook perplexity  exp(H(p)),  H(p) = −Σ_k p_k ln p_k  (natural log, 0·ln 0 = 0),
 * with p_k = counts[k] / Σ counts the mean one-hot assignment over positions.
 * It reads as "the number of codes in effective use": K for uniform use, 1 when a single
 * code takes every position. No assignments at all (Σ counts = 0) gives 0.
 */
export function perplexity(counts: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;
  if (total <= 0) return 0;
  let entropy = 0;
  for (let k = 0; k < counts.length; k++) {
    const p = counts[k]! / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** Indices k of the codes used fewer than `threshold` times (counts[k] < threshold), ascending. */
export function deadCodes(counts: ArrayLike<number>, threshold: number): number[] {
  const dead: number[] = [];
  for (let k = 0; k < counts.length; k++) {
    if (counts[k]! < threshold) dead.push(k);
  }
  return dead;
}
