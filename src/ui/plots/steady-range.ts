/**
 * Axis extents that stay put while a scatter's points move a little, so that a chart whose
 * points move with every evaluation (the latent scatter) seldom needs Plotly to lay out its
 * axes again: the invisible extent trace that sets Plotly's autorange (canvas-markers.ts) spans
 * the kept extent instead of the points' exact one, and changes only when the rule below says.
 *
 * Rule, per axis, for the points' extent [lo, hi] and the extent r = [r0, r1] kept so far:
 *   fit(lo, hi) = [lo − m·s, hi + m·s],  s = max(hi − lo, ε)          (m = STEADY_MARGIN)
 *   keep r while r0 ≤ lo and hi ≤ r1 (no point left it)
 *            and span(fit) ≥ REFIT_BELOW · span(r) (the points still fill a good part of it);
 *   otherwise r := fit(lo, hi).
 * After a refit the points fill 1/(1 + 2m) of the extent, so they must leave it or shrink to
 * about half of it before the next refit: a cloud that keeps spreading refits once per
 * ~20% of growth, not once per evaluation.
 */
import { extentTrace } from './canvas-markers';
import type { PlotData } from './plotly-types';

/** Room left on each side of the points at a refit, as a fraction of their span. */
export const STEADY_MARGIN = 0.1;
/** A refit when the points' fitted span falls below this fraction of the kept one. */
export const REFIT_BELOW = 0.5;

export type Span = readonly [number, number];

/** The kept extent of one axis for points spanning [lo, hi] (`kept` itself while it holds). */
export function steadySpan(kept: Span | null, lo: number, hi: number): Span {
  const s = Math.max(hi - lo, 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi)));
  const fit: Span = [lo - STEADY_MARGIN * s, hi + STEADY_MARGIN * s];
  if (!kept) return fit;
  const [r0, r1] = kept;
  const inside = r0 <= lo && hi <= r1;
  const filled = fit[1] - fit[0] >= REFIT_BELOW * (r1 - r0);
  return inside && filled ? kept : fit;
}

/** Both axes' kept extents (null before any point). */
export interface SteadyExtent {
  x: Span | null;
  y: Span | null;
}

/** The [x0, x1, y0, y1] of the layout's shapes placed in data coordinates (null: none). */
function shapesBox(shapes: unknown): [number, number, number, number] | null {
  if (!Array.isArray(shapes)) return null;
  let box: [number, number, number, number] | null = null;
  for (const sh of shapes as Record<string, unknown>[]) {
    const { xref, yref, x0, x1, y0, y1 } = sh ?? {};
    if (xref !== 'x' || yref !== 'y') continue;
    const v = [x0, x1, y0, y1];
    if (!v.every((n) => typeof n === 'number' && Number.isFinite(n))) continue;
    const [a, b, c, d] = v as number[];
    box = box
      ? [
          Math.min(box[0], a!, b!),
          Math.max(box[1], a!, b!),
          Math.min(box[2], c!, d!),
          Math.max(box[3], c!, d!),
        ]
      : [Math.min(a!, b!), Math.max(a!, b!), Math.min(c!, d!), Math.max(c!, d!)];
  }
  return box;
}

/**
 * The extent trace for `traces` (as extentTrace's, but spanning the kept extents, updated in
 * `kept` by the rule above); null when they have no finite point (`kept` is then left as is).
 * The layout's `shapes` in data coordinates (the prior's circles) count as points: Plotly's
 * autorange fits them anyway, so points moving inside them need no refit.
 */
export function steadyExtentTrace(
  kept: SteadyExtent,
  traces: readonly PlotData[],
  shapes?: unknown,
): PlotData | null {
  const exact = extentTrace(traces);
  if (!exact) return null;
  let [x0, x1] = exact.x as [number, number];
  let [y0, y1] = exact.y as [number, number];
  const box = shapesBox(shapes);
  if (box) {
    x0 = Math.min(x0, box[0]);
    x1 = Math.max(x1, box[1]);
    y0 = Math.min(y0, box[2]);
    y1 = Math.max(y1, box[3]);
  }
  kept.x = steadySpan(kept.x, x0, x1);
  kept.y = steadySpan(kept.y, y0, y1);
  return { ...exact, x: [...kept.x], y: [...kept.y] };
}
