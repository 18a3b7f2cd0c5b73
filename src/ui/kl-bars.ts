/**
 * The bars of the KL-per-dimension chart (posterior collapse) and their text alternative.
 * A collapsed dimension d has q(z_d | x) ≈ N(0, 1) for every x, so KL_d ≈ 0 nats.
 */

export type KlOrder = 'index' | 'sorted';

/**
 * Active-unit threshold (Burda et al. 2015): d is active when Var_x(E_q[z_d | x]) > 0.01.
 * The same number marks a dimension's KL as "about zero" in the captions.
 */
export const ACTIVE_UNIT_THRESHOLD = 0.01;

export interface KlBars {
  /** Latent dimension (0-based) of each bar. */
  dims: number[];
  /** Bar labels "z1" … "zD" (1-based, as in the formulas). */
  labels: string[];
  /** KL of each bar, nats per image. */
  values: number[];
}

/** Bars by dimension index, or largest KL first (ties by index). */
export function klBars(kl: readonly number[], order: KlOrder): KlBars {
  const dims = kl.map((_, d) => d);
  if (order === 'sorted') dims.sort((a, b) => kl[b]! - kl[a]! || a - b);
  return {
    dims,
    labels: dims.map((d) => `z${d + 1}`),
    values: dims.map((d) => kl[d]!),
  };
}

/** Dimensions whose KL is below `threshold` nats: the ones that carry (almost) nothing. */
export function nearZeroKl(kl: readonly number[], threshold = ACTIVE_UNIT_THRESHOLD): number {
  return kl.filter((v) => v < threshold).length;
}

/** Text alternative: the total, the largest few and how many are about zero. */
export function klSummary(kl: readonly number[], top = 3): string {
  if (kl.length === 0) return 'No latent dimensions.';
  const total = kl.reduce((a, b) => a + b, 0);
  const largest = klBars(kl, 'sorted')
    .dims.slice(0, top)
    .map((d) => `z${d + 1} ${kl[d]!.toFixed(2)}`)
    .join(', ');
  const zero = nearZeroKl(kl);
  return (
    `KL per dimension, nats per image: total ${total.toFixed(1)} over ${kl.length} dimensions; ` +
    `largest ${largest}; ${zero} of ${kl.length} below ${ACTIVE_UNIT_THRESHOLD} nats.`
  );
}
