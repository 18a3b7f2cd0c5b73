/**
 * The pointer over a chart's canvas-drawn traces (PlotlyChart's canvasTraces): finds the hovered
 * point (canvas-hover.ts), shows its label in the chart's tooltip element and reports it.
 */
import { hoverLabel, nearestMarker, type CanvasHit, type IndexedTrace } from './canvas-hover';
import type { MarkerLayout } from './canvas-markers';

/**
 * Hovering the canvas traces: the nearest point within Plotly's hover distance gets a label
 * (the trace's hovertemplate, in `tip`) and is reported to `report` (null when the pointer
 * leaves it). Returns the unbinding.
 */
export function bindCanvasHover(
  node: HTMLElement & { _fullLayout?: MarkerLayout },
  tip: HTMLDivElement | null,
  traces: () => readonly IndexedTrace[],
  report: (hit: { curveNumber: number; pointIndex: number } | null) => void,
): () => void {
  let last: CanvasHit | null = null;
  const show = (hit: CanvasHit | null) => {
    if (hit?.curveNumber === last?.curveNumber && hit?.pointIndex === last?.pointIndex) return;
    last = hit;
    if (tip) {
      const trace = hit && traces().find((t) => t.curveNumber === hit.curveNumber)?.trace;
      if (hit && trace) {
        const colour = (trace.marker as { color?: unknown } | undefined)?.color;
        const c = Array.isArray(colour) ? colour[hit.pointIndex] : colour;
        tip.textContent = hoverLabel(trace, hit.pointIndex);
        tip.style.left = `${Math.round(hit.px + 8)}px`;
        tip.style.top = `${Math.round(hit.py + 8)}px`;
        tip.style.borderColor = typeof c === 'string' ? c : '';
        tip.hidden = false;
      } else tip.hidden = true;
    }
    report(hit ? { curveNumber: hit.curveNumber, pointIndex: hit.pointIndex } : null);
  };
  const move = (ev: MouseEvent) => {
    const fl = node._fullLayout;
    if (!fl) return;
    const box = node.getBoundingClientRect();
    show(nearestMarker(fl, traces(), ev.clientX - box.left, ev.clientY - box.top));
  };
  const leave = () => show(null);
  node.addEventListener('mousemove', move);
  node.addEventListener('mouseleave', leave);
  return () => {
    node.removeEventListener('mousemove', move);
    node.removeEventListener('mouseleave', leave);
  };
}
