/**
 * Seeded pseudo-random numbers (mulberry32) so that shuffles, probe sets and initialisations
 * are reproducible from one integer seed. Pure: no imports.
 */

export type Rng = () => number;

/** An Rng whose whole state is one 32-bit integer, so a saved run can continue its sequence. */
export interface ResumableRng extends Rng {
  /** The current state: mulberry32(rng.state()) continues exactly where `rng` is. */
  state(): number;
}

/** mulberry32: a 32-bit state generator, uniform in [0, 1). */
export function mulberry32(seed: number): ResumableRng {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as ResumableRng;
  next.state = () => a;
  return next;
}

/** In-place Fisher–Yates shuffle. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  array: T,
  rng: Rng,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** A random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rng);
}
