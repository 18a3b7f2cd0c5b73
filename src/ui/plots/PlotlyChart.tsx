/**
 * One Plotly chart: loads the partial bundle lazily, updates with Plotly.react (no re-created
 * WebGL contexts), purges on unmount. A text alternative (`summary`) sits under the chart.
 */
import { useEffect, useRef, useState } from 'react';
import type { PlotData, PlotLayout, PlotlyApi } from './plotly-types';

let plotlyPromise: Promise<PlotlyApi> | null = null;
function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import('./plotly-bundle').then((m) => m.default);
  return plotlyPromise;
}

const CONFIG = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d'],
};

export interface PlotlyChartProps {
  testId: string;
  title: string;
  data: PlotData[];
  layout: PlotLayout;
  /** Text alternative: the chart's key numbers in words. */
  summary: string;
  height?: number;
  /** Minimum time between redraws; updates in between are merged into the next one. */
  minIntervalMs?: number;
  /** Pointer over point `pointIndex` of trace `curveNumber` (null when it leaves). */
  onHoverPoint?: (hit: { curveNumber: number; pointIndex: number } | null) => void;
  /** A click anywhere in the plot area, in data coordinates. */
  onPlotClick?: (x: number, y: number) => void;
}

/** The parts of Plotly's graph div we read for events (not in the public typings). */
interface GraphDiv extends HTMLElement {
  on?: (
    event: string,
    handler: (e: { points?: { curveNumber: number; pointIndex: number }[] }) => void,
  ) => void;
  removeAllListeners?: (event: string) => void;
  _fullLayout?: {
    _size: { l: number; t: number; w: number; h: number };
    xaxis: { range: [number, number] };
    yaxis: { range: [number, number] };
  };
}

export function PlotlyChart({
  testId,
  title,
  data,
  layout,
  summary,
  height = 320,
  onHoverPoint,
  onPlotClick,
}: PlotlyChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The latest Plotly.react call (the graph div has its event methods once one has run). */
  const drawn = useRef<Promise<unknown> | null>(null);

  useEffect(() => {
    let alive = true;
    loadPlotly().then(
      (p) => alive && setPlotly(p),
      (err: unknown) => alive && setLoadError((err as Error).message),
    );
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    const node = el.current;
    if (!plotly || !node) return;
    drawn.current = plotly.react(
      node,
      data,
      { height, margin: { l: 60, r: 16, t: 8, b: 48 }, ...layout },
      CONFIG,
    );
  }, [plotly, data, layout, height]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (!plotly || !node) return;
      // Purging while a draw is still running (its auto-margin redraw) throws inside Plotly:
      // let the last draw finish, then free the WebGL context.
      const last = drawn.current ?? Promise.resolve();
      void last.then(
        () => plotly.purge(node),
        () => plotly.purge(node),
      );
    };
  }, [plotly]);

  // Hover and click handlers, re-bound when they change (Plotly keeps listeners across react()).
  useEffect(() => {
    const gd = el.current as GraphDiv | null;
    if (!plotly || !gd || !onHoverPoint) return;
    let bound = true;
    void (drawn.current ?? Promise.resolve()).then(() => {
      if (!bound || !gd.on) return;
      gd.on('plotly_hover', (e) => {
        const p = e.points?.[0];
        if (p) onHoverPoint({ curveNumber: p.curveNumber, pointIndex: p.pointIndex });
      });
      gd.on('plotly_unhover', () => onHoverPoint(null));
    });
    return () => {
      bound = false;
      gd.removeAllListeners?.('plotly_hover');
      gd.removeAllListeners?.('plotly_unhover');
    };
  }, [plotly, onHoverPoint]);

  useEffect(() => {
    const gd = el.current as GraphDiv | null;
    if (!plotly || !gd || !onPlotClick) return;
    const click = (ev: MouseEvent) => {
      const fl = gd._fullLayout;
      if (!fl) return;
      const box = gd.getBoundingClientRect();
      const { l, t, w, h } = fl._size;
      const fx = (ev.clientX - box.left - l) / w;
      const fy = (ev.clientY - box.top - t) / h;
      if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return; // on an axis, the legend or the margin
      const [x0, x1] = fl.xaxis.range;
      const [y0, y1] = fl.yaxis.range;
      onPlotClick(x0 + fx * (x1 - x0), y1 - fy * (y1 - y0));
    };
    gd.addEventListener('click', click);
    return () => gd.removeEventListener('click', click);
  }, [plotly, onPlotClick]);

  return (
    <figure className="chart" aria-label={title}>
      <div
        ref={el}
        data-testid={testId}
        role="img"
        aria-label={`${title}. ${summary}`}
        style={{ minHeight: height }}
      >
        {loadError ? <p role="alert">Could not load the chart library: {loadError}</p> : null}
      </div>
      <figcaption className="chart-summary">{summary}</figcaption>
    </figure>
  );
}
