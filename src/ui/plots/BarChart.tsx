/**
 * A bar chart drawn on a canvas, for bars that redraw while training (the KL of each latent
 * dimension): a redraw of 64 bars takes a few milliseconds, where Plotly's took 30–140 ms on a
 * slow machine. Layout and drawing: bar-chart-draw.ts; ticks: nice-ticks.ts.
 *
 * Like LineChart: redraws go through the draw queue (draw-queue.ts: paced, rare while scrolled
 * away); the text alternative is the canvas's aria-label ("title. summary"); colours come from the
 * page theme; it follows its container's width and is sharp on HiDPI screens. Hovering a bar (or
 * moving along the bars with the arrow keys when focused) shows its value; "CSV" saves the bars.
 * The redraw counts and times are on the canvas as data-draws / data-draw-ms / data-draw-max-ms
 * (read by the smooth-page test).
 */
import {
  useCallback,
  useEffect,
  useRef,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { downloadBytes } from '../../state/run-file-io';
import {
  barAt,
  barBox,
  barReadout,
  barsCsv,
  drawBarChart,
  layoutBars,
  type BarGeometry,
} from './bar-chart-draw';
import { themeColours } from './chart-layout';
import { requestDraw, type DrawSlot } from './draw-queue';
import { DEFAULT_COLOURS } from './line-chart-draw';
import { canvasSlot, noteDraw, sizeCanvas } from './line-chart-dom';

export interface BarChartProps {
  testId: string;
  title: string;
  /** One label and one value per bar, left to right. */
  labels: readonly string[];
  values: readonly number[];
  /** The bars' CSS colour. */
  colour: string;
  xTitle: string;
  yTitle: string;
  /** The values' unit, after each value in the read-out ("nats"). */
  unit?: string;
  /** Text alternative: the chart's key numbers in words. */
  summary: string;
  height?: number;
  /** Least time between redraws on screen; updates in between are merged into the next one. */
  minIntervalMs?: number;
  /** The CSV file's name, without ".csv". */
  fileBase: string;
}

/** What the canvas last showed. */
interface Shown {
  geo: BarGeometry;
  labels: readonly string[];
  values: readonly number[];
  unit?: string;
}

export function BarChart({
  testId,
  title,
  labels,
  values,
  colour,
  xTitle,
  yTitle,
  unit,
  summary,
  height = 240,
  minIntervalMs = 400,
  fileBase,
}: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const mark = useRef<HTMLDivElement>(null);
  const live = useRef<HTMLParagraphElement>(null);
  /** What the next redraw shows (read when the queue gets to this chart). */
  const latest = useRef({ labels, values, colour, xTitle, yTitle, unit, height });
  /** What the canvas shows now: its geometry and bars. */
  const shown = useRef<Shown | null>(null);
  /** The bar the read-out shows (by label: it follows the bar when the order changes). */
  const readout = useRef<{ label: string; keys: boolean } | null>(null);
  const slot = useRef<DrawSlot | null>(null);
  const width = useRef(0);

  /** Shows the read-out where `readout` says, over what the canvas shows now (or hides it). */
  const render = useCallback(() => {
    const s = shown.current;
    const r = readout.current;
    const t = tip.current;
    const m = mark.current;
    if (!t || !m) return;
    const i = s && r ? s.labels.indexOf(r.label) : -1;
    const v = s?.values[i];
    if (!s || !r || v === undefined) {
      t.hidden = true;
      m.hidden = true;
      return;
    }
    const { geo } = s;
    const text = barReadout(r.label, v, s.unit);
    const b = barBox(geo, i, Math.min(geo.y.d1, Math.max(geo.y.d0, v)));
    const flip = b.left + b.width / 2 > (geo.area.left + geo.area.right) / 2;
    t.textContent = text;
    t.style.left = `${Math.round(flip ? b.left - 6 : b.left + b.width + 6)}px`;
    t.style.top = `${Math.round(Math.max(geo.area.top, b.top - 8))}px`;
    t.style.transform = flip ? 'translateX(-100%)' : '';
    t.hidden = false;
    m.style.left = `${Math.round(b.left - 2)}px`;
    m.style.width = `${Math.round(b.width + 4)}px`;
    m.style.top = `${geo.area.top}px`;
    m.style.height = `${geo.area.bottom - geo.area.top}px`;
    m.hidden = false;
    if (r.keys && live.current) live.current.textContent = text;
  }, []);

  // Joins the draw queue on mount, with observers for its width, visibility and the theme.
  useEffect(() => {
    const c = canvas.current;
    const b = box.current;
    if (!c || !b) return;
    let font = '';
    const draw = () => {
      const {
        labels: ls,
        values: vs,
        colour: col,
        xTitle: xt,
        yTitle: yt,
        unit: u,
        height: ht,
      } = latest.current;
      const w = width.current || b.clientWidth;
      if (w <= 0) return;
      const t0 = performance.now();
      const sized = sizeCanvas(c, w, ht);
      if (!sized) return;
      const { ctx, dpr } = sized;
      const theme = themeColours();
      font ||= getComputedStyle(c).fontFamily || 'sans-serif';
      const spec = {
        width: w,
        height: ht,
        labels: ls,
        values: vs,
        xTitle: xt,
        yTitle: yt,
        fontPx: theme?.size ?? 12,
      };
      const geo = layoutBars(spec);
      drawBarChart(ctx, spec, geo, dpr, theme ?? DEFAULT_COLOURS, col, font);
      shown.current = { geo, labels: ls, values: vs, unit: u };
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
    latest.current = { labels, values, colour, xTitle, yTitle, unit, height };
    if (slot.current) requestDraw(slot.current);
  }, [labels, values, colour, xTitle, yTitle, unit, height]);

  const hide = () => {
    readout.current = null;
    render();
  };
  const onPointerMove = (ev: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = shown.current;
    const c = canvas.current;
    if (!s || !c) return;
    const rect = c.getBoundingClientRect();
    const i = barAt(s.geo, s.labels.length, ev.clientX - rect.left, ev.clientY - rect.top);
    if (i < 0) return hide();
    readout.current = { label: s.labels[i]!, keys: false };
    render();
  };
  const onKeyDown = (ev: ReactKeyboardEvent<HTMLCanvasElement>) => {
    const ls = shown.current?.labels ?? [];
    if (ev.key === 'Escape') return hide();
    const moves: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      PageUp: -10,
      PageDown: 10,
    };
    const move = moves[ev.key];
    const end = ev.key === 'Home' ? 0 : ev.key === 'End' ? ls.length - 1 : null;
    if ((move === undefined && end === null) || ls.length === 0) return;
    ev.preventDefault();
    const at = readout.current ? ls.indexOf(readout.current.label) : -1;
    const k = end ?? (at < 0 ? 0 : Math.min(ls.length - 1, Math.max(0, at + move!)));
    readout.current = { label: ls[k]!, keys: true };
    render();
  };
  const saveCsv = () => {
    const { labels: ls, values: vs, xTitle: xt, yTitle: yt } = latest.current;
    downloadBytes(barsCsv(xt, yt, ls, vs), `${fileBase}.csv`, 'text/csv');
  };

  return (
    <figure className="chart line-chart" aria-label={title}>
      <div ref={box} className="line-chart-box" style={{ height }}>
        <canvas
          ref={canvas}
          data-testid={testId}
          role="img"
          aria-label={`${title}. ${summary}`}
          aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End Escape"
          tabIndex={0}
          style={{ height }}
          onPointerMove={onPointerMove}
          onPointerLeave={hide}
          onBlur={hide}
          onKeyDown={onKeyDown}
        />
        <div ref={mark} className="bar-chart-mark" aria-hidden="true" hidden />
        <div ref={tip} className="chart-tooltip" aria-hidden="true" hidden />
      </div>
      <div className="line-chart-foot">
        <button
          type="button"
          className="line-chart-csv"
          aria-label={`CSV: download the bars of ${title}`}
          onClick={saveCsv}
        >
          CSV
        </button>
      </div>
      <figcaption className="chart-summary">{summary}</figcaption>
      <p ref={live} className="line-chart-live" aria-live="polite" />
    </figure>
  );
}
