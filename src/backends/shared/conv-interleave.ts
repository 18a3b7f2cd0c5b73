/**
 * The interleave step of Conv2DBackpropInput by sub-pixel phases (./conv-input-by-phases), as a
 * hook a backend may fill with one program of its own (webgl: ./webgl-interleave-phases):
 *   dX[b, i, j, c] = Y_(rh,rw)[b, q, p, c]   with i + offH = q·sh + rh,  j + offW = p·sw + rw
 * Y_(rh,rw) [B, Qh, Qw, Ci] (null: a phase without taps, zeros), dX [B, H, W, Ci].
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export interface InterleavePlan {
  /** Phase outputs in order rh·sw + rw, each [B, Qh, Qw, Ci]; null for a phase without taps. */
  phases: (TensorInfo | null)[];
  strides: [number, number];
  /** (offH, offW): dX row i is interleaved row i + offH (./conv-phases' offset). */
  offsets: [number, number];
  /** dX shape [B, H, W, Ci]. */
  outShape: number[];
}

/** Interleaves the phases into a new dX; the caller still frees the phases. */
export type Interleave = (backend: KernelBackend, plan: InterleavePlan) => TensorInfo;
