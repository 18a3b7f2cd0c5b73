/**
 * The sub-pixel phase plan of a strided transposed convolution along one spatial axis, shared by
 * our Conv2DBackpropInput kernels (./conv-wasm-backprop-input, ./conv-input-by-phases; the
 * formula is in the former's header). For kernel size K, stride s, forward top padding pt, input
 * size n and forward output size outN:
 *   taps[r]  M_r = ⌈(K − r)/s⌉ taps of phase r (0 when r ≥ K)
 *   rows     Q = q1 − q0 output rows of every phase conv, q0 = min(⌊pt/s⌋, min_r M_r − 1),
 *            q1 = max(⌈(pt + n)/s⌉, outN); phase r pads dY by M_r − 1 − q0 above, q1 − outN below
 *   offset   dX row i is interleaved row i + offset = q·s + r (phase r, conv row q)
 */
/** One spatial axis of the plan: taps per phase, rows of the phase convs, padding, crop. */
export interface AxisPlan {
  /** M_r = ⌈(K − r)/s⌉ taps of phase r (0 when r ≥ K). */
  taps: number[];
  /** First phase-conv output row q0; the convs give rows q0 … q1−1. */
  first: number;
  rows: number;
  padAfter: number;
  /** dX row i is interleaved row i + offset: phase (i + offset) mod s, conv row ⌊(i + offset)/s⌋. */
  offset: number;
}

export function planAxis(K: number, s: number, padTop: number, n: number, outN: number): AxisPlan {
  const taps = Array.from({ length: s }, (_, r) => Math.max(0, Math.ceil((K - r) / s)));
  // The last phase with taps has the fewest; its top padding M_r − 1 − q0 must be ≥ 0.
  const fewest = taps[Math.min(s, K) - 1]!;
  const q0 = Math.min(Math.floor(padTop / s), fewest - 1);
  const q1 = Math.max(Math.ceil((padTop + n) / s), outN);
  return { taps, first: q0, rows: q1 - q0, padAfter: q1 - outN, offset: padTop - q0 * s };
}

/**
 * Conv2D's attributes for phase (Mh, Mw taps) of the plan: stride 1 over dY [B, H', W', Co],
 * padded Mh − 1 − q0 above and q1 − outN below (likewise across), giving the phase's rows q0 … q1−1.
 */
export function phaseConvAttrs(rows: AxisPlan, cols: AxisPlan, Mh: number, Mw: number) {
  return {
    strides: [1, 1] as [number, number],
    pad: [
      [0, 0],
      [Mh - 1 - rows.first, rows.padAfter],
      [Mw - 1 - cols.first, cols.padAfter],
      [0, 0],
    ],
    dataFormat: 'NHWC' as const,
    dilations: [1, 1] as [number, number],
  };
}
