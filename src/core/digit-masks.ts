/**
 * Which pixels of a digit stay visible when part of it is erased (restoration): a quadrant, a
 * horizontal band, random pixels, or pixels erased by hand. Plain numbers, so the page draws the
 * damaged digit with the same mask the worker fits to.
 *
 *   mask m ∈ {0, 1}^(H·W), row-major; m_p = 1: pixel p is visible, 0: erased.
 */
import { mulberry32 } from './rng';

export type MaskSpec =
  /** Every pixel visible: plain inference. */
  | { kind: 'none' }
  /** Erase one quadrant: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right. */
  | { kind: 'quadrant'; which: 0 | 1 | 2 | 3 }
  /** Erase rows [top, top + rows). */
  | { kind: 'band'; top: number; rows: number }
  /** Erase each pixel with probability `fraction` (a fixed seed: the same pixels every time). */
  | { kind: 'random'; fraction: number; seed: number }
  /** Erased by hand: 1 = visible, 0 = erased, H·W entries. */
  | { kind: 'pixels'; visible: Uint8Array };

export const QUADRANT_NAMES = ['top left', 'top right', 'bottom left', 'bottom right'] as const;

/** The visibility mask of `spec` for an H×W image (1 visible, 0 erased).   → [H·W] */
export function visibleMask(spec: MaskSpec, height: number, width: number): Float32Array {
  const P = height * width;
  const m = new Float32Array(P).fill(1);
  switch (spec.kind) {
    case 'none':
      return m;
    case 'quadrant': {
      const bottom = spec.which >= 2;
      const left = spec.which % 2 === 0;
      const h2 = Math.floor(height / 2);
      const w2 = Math.floor(width / 2);
      for (let r = 0; r < height; r++)
        for (let c = 0; c < width; c++)
          if (r >= h2 === bottom && c < w2 === left) m[r * width + c] = 0;
      return m;
    }
    case 'band': {
      const a = Math.max(0, Math.floor(spec.top));
      const b = Math.min(height, a + Math.max(0, Math.floor(spec.rows)));
      m.fill(0, a * width, b * width);
      return m;
    }
    case 'random': {
      const rng = mulberry32(spec.seed);
      for (let p = 0; p < P; p++) if (rng() < spec.fraction) m[p] = 0;
      return m;
    }
    case 'pixels': {
      if (spec.visible.length !== P)
        throw new Error(`a hand-drawn mask needs ${P} entries (got ${spec.visible.length})`);
      for (let p = 0; p < P; p++) m[p] = spec.visible[p] ? 1 : 0;
      return m;
    }
    default: {
      const unknown: never = spec;
      throw new Error(`unknown mask ${JSON.stringify(unknown)}`);
    }
  }
}

/** How many pixels a mask keeps visible. */
export function visibleCount(mask: ArrayLike<number>): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p]! > 0) n++;
  return n;
}
