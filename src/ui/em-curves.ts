/**
 * The lecture's EM picture from a mixture's reported terms. Iteration t is an M-step then an
 * E-step; the model θ_t exists from its M-step on. Drawn on a half-step axis:
 *   bound     … (t−1, elboE_{t−1}) → (t−½, elbo_t) → (t, elboE_t) …   the M-step raises it, the E-step lifts it
 *   log p(x)  a step from t−½ on: −nll_t                              (θ_t's exact log-likelihood)
 * where, per image: nll_t = −log p(x; θ_t), elbo_t = ELBO(q_{t−1}, θ_t), elboE_t = ELBO(q_t, θ_t).
 */
import type { Series } from '../state/training-store';

export interface EmCurves {
  /** The bound's path: x in half iterations.   */
  bound: { x: number[]; y: number[] };
  /** log p(x): its value from each M-step on (draw with shape 'hv'). */
  logLikelihood: { x: number[]; y: number[] };
  /** The latest iteration's gaps log p − ELBO after the M-step and after the E-step, or null. */
  latest: { iteration: number; logP: number; afterM: number; afterE: number } | null;
}

export function emCurves(s: Series): EmCurves {
  const nll = s.terms.nll ?? [];
  const elbo = s.terms.elbo ?? [];
  const elboE = s.terms.elboE ?? [];
  const bound = { x: [] as number[], y: [] as number[] };
  const logLikelihood = { x: [] as number[], y: [] as number[] };
  s.steps.forEach((t, i) => {
    if (t > 1) {
      bound.x.push(t - 0.5);
      bound.y.push(elbo[i]!);
    }
    bound.x.push(t);
    bound.y.push(elboE[i]!);
    logLikelihood.x.push(t === 1 ? t : t - 0.5);
    logLikelihood.y.push(-nll[i]!);
  });
  const n = s.steps.length;
  const latest =
    n === 0
      ? null
      : {
          iteration: s.steps[n - 1]!,
          logP: -nll[n - 1]!,
          afterM: -nll[n - 1]! - elbo[n - 1]!,
          afterE: -nll[n - 1]! - elboE[n - 1]!,
        };
  return { bound, logLikelihood, latest };
}
