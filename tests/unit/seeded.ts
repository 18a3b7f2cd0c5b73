// Seeded test inputs shared by the kernel tests: a small LCG, so every backend (and a reference
// loop) gets identical values without a dependency.

/** n deterministic values in [-1, 1) from `seed`. */
export function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
