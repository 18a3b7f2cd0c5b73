/**
 * Hover for the canvas-drawn traces (canvas-markers.ts): Plotly does not hold their points, so
 * the chart finds the point under the pointer itself and writes its label from the trace's own
 * `hovertemplate`. No DOM here: positions come in as chart pixels, the label goes out as text.
 */
import type { MarkerLayout } from './canvas-markers';
import type { PlotData } from './plotly-types';

/** A canvas trace and its index in the chart's data (Plotly's curveNumber). */
export interface IndexedTrace {
  curveNumber: number;
  trace: PlotData;
}

export interface CanvasHit {
  curveNumber: number;
  pointIndex: number;
  /** The point, in chart pixels (from the graph's top-left corner). */
  px: number;
  py: number;
}

/** Plotly's default `hoverdistance`: a point further than this from the pointer is not hovered. */
export const HOVER_DISTANCE_PX = 20;

const shown = (t: PlotData) => t.visible !== false && t.visible !== 'legendonly';

/**
 * The drawn point nearest to chart pixel (x, y) within `maxDistance` px, or null (also when the
 * pointer is outside the plot area). Later traces and later points win ties, as they are drawn
 * on top.   O(points)
 */
export function nearestMarker(
  layout: MarkerLayout,
  traces: readonly IndexedTrace[],
  x: number,
  y: number,
  maxDistance = HOVER_DISTANCE_PX,
): CanvasHit | null {
  const { xaxis: xa, yaxis: ya } = layout;
  if (x < xa._offset || x > xa._offset + xa._length) return null;
  if (y < ya._offset || y > ya._offset + ya._length) return null;
  let best: CanvasHit | null = null;
  let bestD2 = maxDistance * maxDistance;
  for (const { curveNumber, trace } of traces) {
    if (!shown(trace)) continue;
    const xs = trace.x as ArrayLike<number | null> | undefined;
    const ys = trace.y as ArrayLike<number | null> | undefined;
    if (!xs || !ys) continue;
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const u = xs[i];
      const v = ys[i];
      if (typeof u !== 'number' || typeof v !== 'number' || !isFinite(u) || !isFinite(v)) continue;
      const px = xa._offset + xa.l2p(u);
      const py = ya._offset + ya.l2p(v);
      const d2 = (px - x) ** 2 + (py - y) ** 2;
      if (d2 <= bestD2) {
        bestD2 = d2;
        best = { curveNumber, pointIndex: i, px, py };
      }
    }
  }
  return best;
}

const valueAt = (v: unknown, i: number): unknown =>
  Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<unknown>)[i] : v;

/**
 * Point i's label from the trace's `hovertemplate`, the part of Plotly's syntax our charts use:
 * `%{x}`, `%{y}`, `%{text}`, `%{customdata}`, a fixed-point format such as `%{x:.2f}`, `<br>` as
 * a line break, and `<extra>…</extra>` (Plotly's side box) dropped. Without a template: "(x, y)".
 */
export function hoverLabel(trace: PlotData, i: number): string {
  const template = typeof trace.hovertemplate === 'string' ? trace.hovertemplate : '(%{x}, %{y})';
  return template
    .replace(/<extra>[\s\S]*?<\/extra>/g, '')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/%\{(\w+)(?::\.(\d+)f)?\}/g, (_, name: string, digits: string | undefined) => {
      const v = valueAt(trace[name], i);
      if (typeof v === 'number' && digits !== undefined) return v.toFixed(Number(digits));
      return v === undefined || v === null ? '' : String(v);
    });
}
