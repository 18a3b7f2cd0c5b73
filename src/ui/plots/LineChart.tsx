/**
 * A line chart drawn on a canvas, for curves that redraw while training (the loss terms, the
 * active units): a redraw of 6 traces × 600 points takes a few milliseconds, where Plotly's fixed
 * costs (defaults, axes, labels) took tens. Drawing: line-chart-draw.ts; ticks: nice-ticks.ts.
 *
 * Like PlotlyChart: redraws go through the draw queue (draw-queue.ts: paced, rare while scrolled
 * away); the legend is ChartLegend's toggle buttons; the text alternative is the canvas's
 * aria-label ("title. summary", naming hidden traces); colours come from the page theme. It follows
 * its container's width, is sharp on HiDPI screens, shows a read-out of every shown trace at the
 * step under the pointer (or moved with the arrow keys when focused), and saves its curves as
 * CSV. The redraw counts and times are on the canvas as data-draws / data-draw-ms /
 * data-draw-max-ms (read by the smooth-page test).
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { ChartLegend, type LegendEntry } from './ChartLegend';
import { themeColours } from './chart-layout';
import { requestDraw, type DrawSlot } from './draw-queue';
import { downloadBytes } from '../../state/run-file-io';
import { curvesCsv } from './line-chart-csv';
import { canvasSlot, lineLegendEntries, noteDraw, sizeCanvas } from './line-chart-dom';
import {
  DEFAULT_COLOURS,
  drawLineChart,
  layoutChart,
  type ChartSpec,
  type Geometry,
} from './line-chart-draw';
import { readoutRows, showReadout } from './line-chart-readout';
import {
  allSteps,
  fromPixel,
  nearestIndex,
  type AxisSpec,
  type LineTrace,
} from './line-chart-scale';

export type { AxisSpec, LineTrace } from './line-chart-scale';

export interface LineChartProps {
  testId: string;
  title: string;
  traces: LineTrace[];
  xTitle: string;
  yAxis: AxisSpec;
  /** A second axis on the right, from zero, for traces with axis 'y2'. */
  y2Axis?: AxisSpec;
  /** Text alternative: the chart's key numbers in words. */
  summary: string;
  height?: number;
  /** Least time between redraws on screen; updates in between are merged into the next one. */
  minIntervalMs?: number;
  /** 'toggle': an HTML legend whose entries hide and show their traces. */
  htmlLegend?: 'toggle';
  /** The CSV file's name, without ".csv". */
  fileBase: string;
}

/** What the canvas last showed: the spec, its geometry and the steps the read-out moves along. */
interface Shown {
  spec: ChartSpec;
  geo: Geometry;
  steps: number[];
  fg: string;
}

export function LineChart({
  testId,
  title,
  traces,
  xTitle,
  yAxis,
  y2Axis,
  summary,
  height = 320,
  minIntervalMs = 400,
  htmlLegend,
  fileBase,
}: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const cursor = useRef<HTMLDivElement>(null);
  const live = useRef<HTMLParagraphElement>(null);
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
  // The legend changes only when a trace's name or style does.
  const legendKey = JSON.stringify(lineLegendEntries(traces));
  const entries = useMemo(() => JSON.parse(legendKey) as LegendEntry[], [legendKey]);

  /** What the next redraw shows (read when the queue gets to this chart). */
  const latest = useRef({ traces, hidden, xTitle, yAxis, y2Axis, height });
  const shown = useRef<Shown | null>(null);
  /** The step the read-out shows, or null when hidden; whether the keys moved it there. */
  const readout = useRef<{ step: number; keys: boolean; y?: number } | null>(null);
  const slot = useRef<DrawSlot | null>(null);
  const width = useRef(0);

  /** Shows the read-out where `readout` says, over what the canvas shows now (or hides it). */
  const render = useCallback(() => {
    const s = shown.current;
    const r = readout.current;
    if (!tip.current || !cursor.current) return;
    const at = { tip: tip.current, cursor: cursor.current, live: r?.keys ? live.current : null };
    if (!s || !r || s.steps.length === 0) return showReadout(at, null, null, null, '');
    const step = s.steps[nearestIndex(s.steps, r.step)]!;
    readout.current = { ...r, step };
    const rows = readoutRows(s.spec.xAxis.title, s.spec.traces, s.spec.hidden, step);
    showReadout(at, s.geo, rows, step, s.fg, r.y ?? null);
  }, []);

  // Joins the draw queue on mount, with observers for its width, visibility and the theme.
  useEffect(() => {
    const c = canvas.current;
    const b = box.current;
    if (!c || !b) return;
    let font = '';
    const draw = () => {
      const {
        traces: ts,
        hidden: h,
        xTitle: xt,
        yAxis: ya,
        y2Axis: y2a,
        height: ht,
      } = latest.current;
      const w = width.current || b.clientWidth;
      if (w <= 0) return;
      const t0 = performance.now();
      const sized = sizeCanvas(c, w, ht);
      if (!sized) return;
      const { ctx, dpr } = sized;
      const theme = themeColours();
      const colours = theme ?? DEFAULT_COLOURS;
      font ||= getComputedStyle(c).fontFamily || 'sans-serif';
      const spec: ChartSpec = {
        width: w,
        height: ht,
        traces: ts,
        hidden: h,
        xAxis: { title: xt },
        yAxis: ya,
        y2Axis: y2a,
        fontPx: theme?.size ?? 12,
      };
      const geo = layoutChart(spec);
      drawLineChart(ctx, spec, geo, dpr, colours, font);
      shown.current = { spec, geo, steps: allSteps(ts, h), fg: colours.fg };
      if (readout.current) render();
      noteDraw(c, t0);
    };
    const { slot: s, stop } = canvasSlot(draw, minIntervalMs, c, b, width);
    slot.current = s;
    return () => {
      stop();
      slot.current = null;
    };
    // minIntervalMs is read when the slot is made; later changes apply below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [render]);

  useEffect(() => {
    if (slot.current) slot.current.minIntervalMs = minIntervalMs;
  }, [minIntervalMs]);

  // New data: keep it for the next redraw and ask for one.
  useEffect(() => {
    latest.current = { traces, hidden, xTitle, yAxis, y2Axis, height };
    if (slot.current) requestDraw(slot.current);
  }, [traces, hidden, xTitle, yAxis, y2Axis, height]);

  const hide = () => {
    readout.current = null;
    render();
  };
  const onPointerMove = (ev: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = shown.current;
    const c = canvas.current;
    if (!s || !c || s.steps.length === 0) return;
    const rect = c.getBoundingClientRect();
    const px = ev.clientX - rect.left;
    const py = ev.clientY - rect.top;
    const { area } = s.geo;
    if (px < area.left || px > area.right || py < area.top || py > area.bottom) return hide();
    readout.current = { step: fromPixel(s.geo.x, px), keys: false, y: py };
    render();
  };
  const onKeyDown = (ev: ReactKeyboardEvent<HTMLCanvasElement>) => {
    const steps = shown.current?.steps ?? [];
    if (ev.key === 'Escape') return hide();
    const moves: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      PageUp: -10,
      PageDown: 10,
    };
    const move = moves[ev.key];
    const end = ev.key === 'Home' ? 0 : ev.key === 'End' ? steps.length - 1 : null;
    if ((move === undefined && end === null) || steps.length === 0) return;
    ev.preventDefault();
    const r = readout.current;
    const at = r ? nearestIndex(steps, r.step) : steps.length - 1;
    const k = end ?? (r ? Math.min(steps.length - 1, Math.max(0, at + move!)) : at);
    readout.current = { step: steps[k]!, keys: true };
    render();
  };
  const saveCsv = () => {
    const { traces: ts, hidden: h, xTitle: xt } = latest.current;
    downloadBytes(curvesCsv(xt, ts, h), `${fileBase}.csv`, 'text/csv');
  };

  const hiddenNames = traces.filter((t, i) => hidden.has(i) && !t.legendOnly).map((t) => t.name);
  const fullSummary = hiddenNames.length
    ? `${summary} Hidden: ${hiddenNames.join(', ')}.`
    : summary;
  return (
    <figure className="chart line-chart" aria-label={title}>
      <div ref={box} className="line-chart-box" style={{ height }}>
        <canvas
          ref={canvas}
          data-testid={testId}
          role="img"
          aria-label={`${title}. ${fullSummary}`}
          aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End Escape"
          tabIndex={0}
          style={{ height }}
          onPointerMove={onPointerMove}
          onPointerLeave={hide}
          onBlur={hide}
          onKeyDown={onKeyDown}
        />
        <div ref={cursor} className="line-chart-cursor" aria-hidden="true" hidden />
        <div ref={tip} className="chart-tooltip" aria-hidden="true" hidden />
      </div>
      <div className="line-chart-foot">
        {htmlLegend ? (
          <ChartLegend
            title={title}
            mode={htmlLegend}
            entries={entries}
            hidden={hidden}
            onToggle={toggle}
          />
        ) : null}
        <button
          type="button"
          className="line-chart-csv"
          aria-label={`CSV: download the shown curves of ${title}`}
          onClick={saveCsv}
        >
          CSV
        </button>
      </div>
      <figcaption className="chart-summary">{fullSummary}</figcaption>
      <p ref={live} className="line-chart-live" aria-live="polite" />
    </figure>
  );
}
