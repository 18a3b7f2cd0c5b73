/**
 * A chart's pointer and redraw events, bound once Plotly has drawn it (the graph div has its
 * event methods from then on): Plotly's hover, and for canvas-drawn traces the repaint of their
 * markers after each redraw, zoom and pan, and their own hover (bind-canvas-hover.ts).
 */
import { bindCanvasHover } from './bind-canvas-hover';
import type { IndexedTrace } from './canvas-hover';
import type { GraphDiv } from './plotly-types';

export type HoverHit = { curveNumber: number; pointIndex: number } | null;

/** The canvas-drawn traces of a chart and how to repaint their markers. */
export interface CanvasMarkers {
  /** Repaints now: after the first draw and while the pointer drags (zoom, pan). */
  paint: () => void;
  /** Repaints in the next frame: after a redraw or a finished zoom. */
  paintSoon: () => void;
  /** The tooltip element for a hovered canvas point. */
  tip: HTMLDivElement | null;
  /** The canvas traces as last given to Plotly. */
  traces: () => readonly IndexedTrace[];
}

/** Every Plotly event a chart listens to, all removed when it goes. */
const EVENTS = [
  'plotly_hover',
  'plotly_unhover',
  'plotly_afterplot',
  'plotly_relayouting',
  'plotly_relayout',
];

/** Binds the events (call after the first draw); returns the unbinding. */
export function bindChartEvents(
  node: GraphDiv,
  hover: (hit: HoverHit) => void,
  markers: CanvasMarkers | null,
): () => void {
  let unbindCanvasHover = () => {};
  if (node.on) {
    if (markers) {
      markers.paint(); // later draws, zooms, pans and resizes repaint from Plotly's own events
      node.on('plotly_relayouting', markers.paint);
      for (const event of ['plotly_afterplot', 'plotly_relayout'])
        node.on(event, markers.paintSoon);
      unbindCanvasHover = bindCanvasHover(node, markers.tip, markers.traces, hover);
    }
    node.on('plotly_hover', (e) => {
      const p = e.points?.[0];
      if (p) hover({ curveNumber: p.curveNumber, pointIndex: p.pointIndex });
    });
    node.on('plotly_unhover', () => hover(null));
  }
  return () => {
    unbindCanvasHover();
    for (const event of EVENTS) node.removeAllListeners?.(event);
  };
}
