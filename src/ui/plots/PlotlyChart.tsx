/**
 * One Plotly chart: loads the partial bundle lazily, updates with Plotly.react (no re-created
 * WebGL contexts), purges on unmount. A text alternative (`summary`) sits under the chart.
 *
 * Redraws never run inside React's commit: a new `data` or `layout` asks the draw queue
 * (draw-queue.ts) for a turn, which draws one chart per animation frame, merges updates that
 * come faster than `minIntervalMs`, and draws charts scrolled out of view only rarely. The same
 * layout object is passed while nothing in it changes, the config only on the first draw, and
 * tick labels are not re-measured for overflow (Plotly's default measures every label once per
 * label: the single largest cost of a redraw). A chart with canvas-drawn traces calls Plotly only
 * when something Plotly draws changed (with `steadyAxes`, its axes seldom do): otherwise a redraw
 * only repaints the canvas.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChartLegend, legendEntries, type LegendEntry, type LegendMode } from './ChartLegend';
import { asCanvasTrace, drawCanvasMarkers, extentTrace } from './canvas-markers';
import type { IndexedTrace } from './canvas-hover';
import {
  CANVAS_PLOTLY_CONFIG,
  chartLayout,
  PLOTLY_CONFIG,
  themeColours,
  themed,
} from './chart-layout';
import { addSlot, removeSlot, requestDraw, setVisible, type DrawSlot } from './draw-queue';
import { bindChartEvents, type HoverHit } from './plot-events';
import { loadPlotly } from './plotly-loader';
import type { GraphDiv, PlotData, PlotLayout, PlotlyApi } from './plotly-types';
import { steadyExtentTrace, type SteadyExtent } from './steady-range';
import { usePlotClick } from './use-plot-click';

/** Least time between two redraws of a chart on screen, unless the chart says otherwise. */
const DEFAULT_MIN_INTERVAL_MS = 400;

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
  onHoverPoint?: (hit: HoverHit) => void;
  /** A click anywhere in the plot area, in data coordinates. */
  onPlotClick?: (x: number, y: number) => void;
  /**
   * Traces (by index) whose markers are drawn on a canvas under the chart (canvas-markers.ts):
   * for scatters of thousands of points. Their hover, legend entry and autorange stay Plotly's.
   */
  canvasTraces?: readonly number[];
  /**
   * The legend as HTML under the chart (ChartLegend.tsx) instead of Plotly's, which is redrawn
   * and re-measured with every redraw: for charts that redraw while training. 'toggle': entries
   * hide and show their traces; 'key': a plain key. A trace with `legendOnly: true` is an entry
   * of the key only, never sent to Plotly.
   */
  htmlLegend?: LegendMode;
  /** The HTML legend's heading. */
  legendTitle?: string;
  /**
   * The canvas traces move often but little (the latent scatter, at every evaluation): the axes
   * fit a steady extent around them (steady-range.ts), so most redraws change nothing Plotly
   * draws and only repaint the canvas.
   */
  steadyAxes?: boolean;
}

export function PlotlyChart({
  testId,
  title,
  data,
  layout,
  summary,
  height = 320,
  minIntervalMs = DEFAULT_MIN_INTERVAL_MS,
  onHoverPoint,
  onPlotClick,
  canvasTraces,
  htmlLegend,
  legendTitle,
  steadyAxes = false,
}: PlotlyChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const onCanvas = canvasTraces && canvasTraces.length ? canvasTraces.join(',') : null;
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The latest Plotly.react call (the graph div has its event methods once one has run). */
  const drawn = useRef<Promise<unknown> | null>(null);
  const full = useMemo(
    () => chartLayout(layout, height, onCanvas !== null, htmlLegend !== undefined),
    [layout, height, onCanvas, htmlLegend],
  );
  // The HTML legend: its entries change only when a trace's name or style does.
  const legendKey = htmlLegend !== undefined ? JSON.stringify(legendEntries(data)) : '[]';
  const entries = useMemo(() => JSON.parse(legendKey) as (LegendEntry | null)[], [legendKey]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const toggle = useCallback(
    (i: number) =>
      setHidden((h) => {
        const next = new Set(h);
        if (!next.delete(i)) next.add(i);
        return next;
      }),
    [],
  );
  /** The traces as drawn: hidden ones stay in the data as 'legendonly' (out of the autorange). */
  const shown = useMemo(
    () =>
      hidden.size === 0
        ? data
        : data.map((t, i) => (hidden.has(i) ? { ...t, visible: 'legendonly' } : t)),
    [data, hidden],
  );
  /** What the next redraw shows (read when the queue gets to this chart). */
  const latest = useRef({ data: shown, layout: full });
  const hover = useRef(onHoverPoint);
  const slot = useRef<DrawSlot | null>(null);

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
    hover.current = onHoverPoint;
  }, [onHoverPoint]);

  // Joins the draw queue once Plotly is loaded; leaves it (and frees the chart) on unmount.
  useEffect(() => {
    const node = el.current as GraphDiv | null;
    if (!plotly || !node) return;
    let first = true;
    const canvasSet = new Set(onCanvas === null ? [] : onCanvas.split(',').map(Number));
    /** The canvas traces as last given to Plotly (what its axes were fitted to). */
    let onCanvasNow: IndexedTrace[] = [];
    /** With steadyAxes: the canvas traces' kept extent, and the layout it was kept for. */
    let kept: SteadyExtent = { x: null, y: null };
    let keptFor: PlotLayout | null = null;
    /** What Plotly last drew, but the canvas traces' points (null: not to be compared). */
    let lastKey: string | null = null;
    // A theme change (dark mode, the projector theme) redraws in its colours.
    const themeChanged = () => {
      if (slot.current === s) requestDraw(s);
    };
    const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    dark?.addEventListener('change', themeChanged);
    const mo = new MutationObserver(themeChanged);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-mode'] });
    /** Copies the canvas traces' markers where Plotly's axes now put them. */
    const paint = () => {
      const c = canvas.current;
      const fl = node._fullLayout;
      if (c && fl && onCanvasNow.length)
        drawCanvasMarkers(
          c,
          fl,
          onCanvasNow.map((t) => t.trace),
        );
    };
    /**
     * After a redraw, the markers are painted in the next frame, a task of their own: a redraw
     * of the 2,000-point scatter and its paint in one task took over 50 ms. While the pointer
     * drags (zoom, pan) they follow at once.
     */
    let paintQueued = false;
    const paintSoon = () => {
      if (paintQueued) return;
      paintQueued = true;
      requestAnimationFrame(() => {
        paintQueued = false;
        if (slot.current === s) paint();
      });
    };
    const s: DrawSlot = {
      minIntervalMs,
      visible: typeof IntersectionObserver === 'undefined',
      pending: true,
      lastDrawn: -Infinity,
      draw: () => {
        const { data: d, layout: l } = latest.current;
        const t0 = performance.now();
        if (l !== keptFor) {
          // A new layout (another projection, say): the steady extent fits afresh.
          keptFor = l;
          kept = { x: null, y: null };
        }
        // Traces that only name a legend entry (`legendOnly`) are not Plotly's to draw.
        const sent: PlotData[] = [];
        /** Where the canvas traces are in `sent`. */
        const canvasAt = new Set<number>();
        d.forEach((t, i) => {
          if (t.legendOnly === true) return;
          if (canvasSet.has(i)) canvasAt.add(sent.length);
          sent.push(canvasSet.has(i) ? asCanvasTrace(t) : t);
        });
        if (canvasSet.size) {
          onCanvasNow = d.flatMap((trace, curveNumber) =>
            canvasSet.has(curveNumber) ? [{ curveNumber, trace }] : [],
          );
          const shownOnCanvas = onCanvasNow.map((t) => t.trace);
          const extent = steadyAxes
            ? steadyExtentTrace(kept, shownOnCanvas, l.shapes)
            : extentTrace(shownOnCanvas);
          if (extent) sent.push(extent); // last, so the other traces keep their curveNumber
        }
        // The theme's colours (light, dark or the projector's), kept by themeColours per theme.
        const laid = themed(l, themeColours());
        /**
         * Everything Plotly draws: the traces but the canvas ones' points (Plotly keeps them in
         * its data for readers, but neither draws nor fits them) and the themed layout.
         */
        const key = canvasAt.size
          ? JSON.stringify([sent.map((t, k) => (canvasAt.has(k) ? null : t)), laid])
          : null;
        const note = (viaPlotly: boolean) => {
          // Debug values for tests and profiling: redraws so far (and those by Plotly), the last
          // and the longest (ms), and the longest of those without Plotly.
          const ms = performance.now() - t0;
          node.dataset.draws = String(Number(node.dataset.draws ?? 0) + 1);
          if (viaPlotly)
            node.dataset.plotlyDraws = String(Number(node.dataset.plotlyDraws ?? 0) + 1);
          else
            node.dataset.repaintMaxMs = Math.max(
              ms,
              Number(node.dataset.repaintMaxMs ?? 0),
            ).toFixed(1);
          node.dataset.drawMs = ms.toFixed(1);
          node.dataset.drawMaxMs = Math.max(ms, Number(node.dataset.drawMaxMs ?? 0)).toFixed(1);
        };
        if (key !== null && key === lastKey && node.data?.length === sent.length) {
          // Only the canvas traces' points changed: Plotly's data gets them (nothing of Plotly's
          // depends on them) and the canvas is repainted, with no Plotly redraw (tens of ms).
          for (const k of canvasAt) node.data[k] = sent[k]!;
          paint();
          note(false);
          return;
        }
        lastKey = key;
        // The config only once: passing it again makes Plotly rebuild and compare it every time.
        const config = canvasSet.size ? CANVAS_PLOTLY_CONFIG : PLOTLY_CONFIG;
        const done = plotly.react(node, sent, laid, first ? config : undefined);
        drawn.current = done;
        note(true);
        if (!first) return;
        first = false;
        // Hover events, bound once the graph div has its event methods (after the first draw).
        void done.then(() => {
          if (slot.current !== s) return;
          const markers = canvasSet.size
            ? { paint, paintSoon, tip: tip.current, traces: () => onCanvasNow }
            : null;
          unbindEvents = bindChartEvents(node, (hit) => hover.current?.(hit), markers);
        });
      },
    };
    let unbindEvents = () => {};
    slot.current = s;
    addSlot(s);
    const io =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver(
            (entries) => {
              const e = entries[entries.length - 1];
              if (e) setVisible(s, e.isIntersecting);
            },
            { rootMargin: '200px 0px' },
          );
    io?.observe(node);
    return () => {
      io?.disconnect();
      mo.disconnect();
      dark?.removeEventListener('change', themeChanged);
      unbindEvents();
      removeSlot(s);
      slot.current = null;
      // Purging while a draw is still running (its auto-margin redraw) throws inside Plotly:
      // let the last draw finish, then free the WebGL context.
      const last = drawn.current ?? Promise.resolve();
      void last.then(
        () => plotly.purge(node),
        () => plotly.purge(node),
      );
    };
    // minIntervalMs is read when the slot is made; later changes apply below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plotly, onCanvas, steadyAxes]);

  useEffect(() => {
    if (slot.current) slot.current.minIntervalMs = minIntervalMs;
  }, [minIntervalMs]);

  // New data or layout: keep it for the next redraw and ask for one.
  useEffect(() => {
    latest.current = { data: shown, layout: full };
    if (slot.current) requestDraw(slot.current);
  }, [shown, full, plotly]);

  usePlotClick(el, plotly, onPlotClick);

  const graph = (
    <div
      ref={el}
      data-testid={testId}
      // A group, not an image: Plotly puts its own buttons and drag layers inside (an image
      // may hold nothing interactive), and the label still reads as the chart's summary.
      role="group"
      aria-roledescription="chart"
      aria-label={`${title}. ${summary}`}
      style={
        // Its own layout and paint: Plotly reads sizes in the middle of a redraw, and without
        // containment each read laid out whatever else on the page had changed.
        onCanvas === null
          ? { height, contain: 'strict' }
          : { height, contain: 'strict', position: 'relative' }
      }
    >
      {loadError ? <p role="alert">Could not load the chart library: {loadError}</p> : null}
    </div>
  );
  return (
    <figure className="chart" aria-label={title}>
      {onCanvas === null ? (
        graph
      ) : (
        // The markers' canvas sits under the (see-through) chart, which keeps the pointer.
        <div className="chart-stack" style={{ position: 'relative' }}>
          <canvas
            ref={canvas}
            aria-hidden="true"
            style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }}
          />
          {graph}
          <div ref={tip} className="chart-tooltip" role="tooltip" hidden />
        </div>
      )}
      {htmlLegend !== undefined ? (
        <ChartLegend
          title={title}
          heading={legendTitle}
          mode={htmlLegend}
          entries={entries}
          hidden={hidden}
          onToggle={toggle}
        />
      ) : null}
      <figcaption className="chart-summary">{summary}</figcaption>
    </figure>
  );
}
