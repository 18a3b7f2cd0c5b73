/**
 * Spherical linear interpolation between two latent vectors (Shoemake 1985; for generative
 * models, White 2016, "Sampling Generative Networks"). Linear paths between two typical
 * draws of N(0, I) in many dimensions pass near the origin, where the prior has little
 * mass; slerp keeps to the shell the endpoints lie on. Pure: no imports.
 *
 * Directions and lengths are interpolated separately, so the angle moves in equal steps
 * whatever the two lengths are:
 *   â = a/|a|,  b̂ = b/|b|,  θ = arccos(â·b̂)
 *   û(t) = sin((1 − t)θ)/sin θ · â + sin(tθ)/sin θ · b̂          (unit length, angle tθ from â)
 *   slerp(a, b, t) = ((1 − t)|a| + t|b|) · û(t)
 * When |a| = |b| this is White's slerp exactly. When sin θ is tiny (nearly parallel or
 * antiparallel directions, where û is ill-defined) or either vector is 0, it falls back to
 * lerp(a, b, t) = (1 − t)a + t b.
 */

/** sin θ below this: the directions are treated as parallel (or antiparallel). */
const PARALLEL_SIN = 1e-6;

/** (1 − t)·a + t·b */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
  return out;
}

/** slerp(a, b, t) as above; a and b of the same length, t in [0, 1]. */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  if (a.length !== b.length) throw new Error(`slerp: lengths ${a.length} and ${b.length} differ`);
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < a.length; i++) {
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
    ab += a[i]! * b[i]!;
  }
  const na = Math.sqrt(aa);
  const nb = Math.sqrt(bb);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const cos = Math.min(1, Math.max(-1, ab / (na * nb)));
  const theta = Math.acos(cos);
  const sin = Math.sin(theta);
  if (sin < PARALLEL_SIN) return lerp(a, b, t);
  const length = (1 - t) * na + t * nb;
  const wa = (Math.sin((1 - t) * theta) / sin / na) * length;
  const wb = (Math.sin(t * theta) / sin / nb) * length;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]! + wb * b[i]!;
  return out;
}

/** `steps` points from a (t = 0) to b (t = 1), t_s = s/(steps − 1); row-major steps × L. */
export function interpolationPath(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  steps: number,
  kind: 'linear' | 'slerp',
): Float64Array {
  const L = a.length;
  const out = new Float64Array(steps * L);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    out.set(kind === 'linear' ? lerp(a, b, t) : slerp(a, b, t), s * L);
  }
  return out;
}
