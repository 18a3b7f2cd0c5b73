/**
 * Draws the canvas line chart (LineChart.tsx) on a 2-D context: background, gridlines, axis
 * lines, nice ticks and their labels (nice-ticks.ts), axis titles, then the shown traces (solid,
 * dotted or dashed lines, step lines, diamond or circle markers), clipped to the plot area.
 * `layoutChart` (pure) fits the axes; `drawLineChart` paints with them. One redraw of 6 traces ×
 * 600 points is a few milliseconds.
 */
import { fixedTicks, linearTicks, logTicks, tickLabels } from './nice-ticks';
import {
  autoRange,
  extent,
  isShown,
  plotArea,
  toPixel,
  type AxisSpec,
  type LineTrace,
  type PlotArea,
  type Scale,
} from './line-chart-scale';

export interface DrawColours {
  fg: string;
  grid: string;
  line: string;
  bg: string;
}

/** Plotly's own colours, for a page without the theme variables. */
export const DEFAULT_COLOURS: DrawColours = {
  fg: '#444',
  grid: '#eee',
  line: '#444',
  bg: '#fff',
};

export interface ChartSpec {
  /** CSS px. */
  width: number;
  height: number;
  traces: readonly LineTrace[];
  hidden: ReadonlySet<number>;
  xAxis: AxisSpec;
  yAxis: AxisSpec;
  /** The right-hand axis (linear, from zero). */
  y2Axis?: AxisSpec;
  fontPx: number;
}

export interface Geometry {
  area: PlotArea;
  x: Scale;
  y: Scale;
  y2: Scale | null;
  xTicks: number[];
  yTicks: number[];
  y2Ticks: number[];
}

function ticksFor(s: Scale, axis: AxisSpec, maxCount: number): number[] {
  const lo = Math.min(s.d0, s.d1);
  const hi = Math.max(s.d0, s.d1);
  if (s.type === 'log') return logTicks(lo, hi, maxCount);
  if (axis.dtick) return fixedTicks(lo, hi, axis.dtick);
  return linearTicks(lo, hi, maxCount);
}

/** The plot area, the axes' scales and their ticks for `spec`. */
export function layoutChart(spec: ChartSpec): Geometry {
  const { traces, hidden, xAxis, yAxis, y2Axis } = spec;
  const area = plotArea(spec.width, spec.height, spec.fontPx, y2Axis !== undefined);
  const yType = yAxis.type ?? 'linear';
  const xr = xAxis.range ?? autoRange(extent(traces, hidden, 'x'), 'linear', true, 0);
  const yr = yAxis.range ?? autoRange(extent(traces, hidden, 'y', yType === 'log'), yType, false);
  const x: Scale = { type: 'linear', d0: xr[0], d1: xr[1], p0: area.left, p1: area.right };
  const y: Scale = { type: yType, d0: yr[0], d1: yr[1], p0: area.bottom, p1: area.top };
  let y2: Scale | null = null;
  if (y2Axis) {
    const r = y2Axis.range ?? autoRange(extent(traces, hidden, 'y2'), 'linear', true);
    y2 = { type: 'linear', d0: r[0], d1: r[1], p0: area.bottom, p1: area.top };
  }
  const h = area.bottom - area.top;
  // Log: every 1-2-5 value while 2 and 5 sit at least 1.8 lines from their neighbours (0.3 of
  // a decade apart), else a label every 2 lines at most. Linear: one every 3.2 lines at most.
  const decadePx = h / Math.abs(Math.log10(y.d1 / y.d0));
  const yCount =
    yType === 'log'
      ? decadePx * Math.log10(2) >= 1.8 * spec.fontPx
        ? 100
        : Math.max(2, Math.floor(h / 2 / spec.fontPx))
      : Math.max(2, Math.floor(h / 3.2 / spec.fontPx));
  return {
    area,
    x,
    y,
    y2,
    xTicks: ticksFor(x, xAxis, Math.max(2, Math.floor((area.right - area.left) / 80))),
    yTicks: ticksFor(y, yAxis, yCount),
    y2Ticks:
      y2 && y2Axis ? ticksFor(y2, y2Axis, Math.max(2, Math.floor(h / 3.2 / spec.fontPx))) : [],
  };
}

/** A line of width 1 CSS px, on whole device pixels: where to put its centre. */
const crisp = (p: number, dpr: number) => {
  const w = Math.max(1, Math.round(dpr));
  return (Math.round(p * dpr - w / 2) + w / 2) / dpr;
};

/** Plotly's dash patterns (in CSS px, from the line width, at least 3). */
function dashOf(t: LineTrace): number[] {
  const d = Math.max(t.width, 3);
  return t.dash === 'dot' ? [d, d] : t.dash === 'dash' ? [3 * d, 3 * d] : [];
}

/** Black traces take the theme's text colour, so they stay visible on a dark background. */
export const inkOf = (colour: string, fg: string) =>
  /^#0{3}(0{3})?$/.test(colour.trim()) ? fg : colour;

function drawTrace(ctx: CanvasRenderingContext2D, t: LineTrace, xs: Scale, ys: Scale, fg: string) {
  const n = Math.min(t.x.length, t.y.length);
  const colour = inkOf(t.colour, fg);
  ctx.globalAlpha = t.opacity ?? 1;
  if (t.width > 0) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = t.width;
    ctx.setLineDash(dashOf(t));
    ctx.beginPath();
    let pen = false;
    let lastY = 0;
    for (let i = 0; i < n; i++) {
      const px = toPixel(xs, t.x[i]!);
      const py = toPixel(ys, t.y[i]!);
      if (!isFinite(px) || !isFinite(py)) {
        pen = false; // a gap, as Plotly's connectgaps: false
        continue;
      }
      if (!pen) ctx.moveTo(px, py);
      else {
        if (t.shape === 'hv') ctx.lineTo(px, lastY);
        ctx.lineTo(px, py);
      }
      pen = true;
      lastY = py;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (t.markers) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const px = toPixel(xs, t.x[i]!);
      const py = toPixel(ys, t.y[i]!);
      if (!isFinite(px) || !isFinite(py)) continue;
      if (t.markers === 'diamond') {
        const r = 3.9; // Plotly's diamond of size 6
        ctx.moveTo(px, py - r);
        ctx.lineTo(px + r, py);
        ctx.lineTo(px, py + r);
        ctx.lineTo(px - r, py);
        ctx.closePath();
      } else {
        ctx.moveTo(px + 2.5, py);
        ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
      }
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

/**
 * Paints the chart on `ctx` (whose canvas is width × dpr by height × dpr device pixels) with the
 * geometry from layoutChart.
 */
export function drawLineChart(
  ctx: CanvasRenderingContext2D,
  spec: ChartSpec,
  geo: Geometry,
  dpr: number,
  colours: DrawColours,
  fontFamily: string,
): void {
  const { width, height, fontPx } = spec;
  const { area, x, y, y2 } = geo;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = colours.bg;
  ctx.fillRect(0, 0, width, height);

  // Gridlines.
  ctx.lineWidth = 1;
  ctx.strokeStyle = colours.grid;
  ctx.beginPath();
  for (const v of geo.xTicks) {
    const p = crisp(toPixel(x, v), dpr);
    ctx.moveTo(p, area.top);
    ctx.lineTo(p, area.bottom);
  }
  for (const v of geo.yTicks) {
    const p = crisp(toPixel(y, v), dpr);
    ctx.moveTo(area.left, p);
    ctx.lineTo(area.right, p);
  }
  ctx.stroke();

  // Axis lines: bottom, left, and right when there is a second axis.
  ctx.strokeStyle = colours.line;
  ctx.beginPath();
  const b = crisp(area.bottom, dpr);
  const l = crisp(area.left, dpr);
  const r = crisp(area.right, dpr);
  ctx.moveTo(l, area.top);
  ctx.lineTo(l, b);
  ctx.lineTo(area.right, b);
  if (y2) {
    ctx.moveTo(r, area.top);
    ctx.lineTo(r, b);
  }
  ctx.stroke();

  // Tick labels.
  ctx.fillStyle = colours.fg;
  ctx.font = `${fontPx}px ${fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const label = (ticks: number[], at: (v: number, text: string) => void) => {
    const texts = tickLabels(ticks);
    ticks.forEach((v, i) => at(v, texts[i]!));
  };
  label(geo.xTicks, (v, t) => ctx.fillText(t, toPixel(x, v), area.bottom + 5));
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  label(geo.yTicks, (v, t) => ctx.fillText(t, area.left - 5, toPixel(y, v)));
  if (y2) {
    ctx.textAlign = 'left';
    label(geo.y2Ticks, (v, t) => ctx.fillText(t, area.right + 5, toPixel(y2, v)));
  }

  // Axis titles.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(spec.xAxis.title, (area.left + area.right) / 2, height - 4);
  const mid = (area.top + area.bottom) / 2;
  const side = Math.round(fontPx * 0.9);
  /** A title along a vertical axis, turned a quarter left (right: a quarter right). */
  const upright = (text: string, at: number, turn: number) => {
    ctx.save();
    ctx.translate(at, mid);
    ctx.rotate(turn * (Math.PI / 2));
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 0, 0);
    ctx.restore();
  };
  upright(spec.yAxis.title, side, -1);
  if (y2 && spec.y2Axis) upright(spec.y2Axis.title, width - side, 1);

  // Traces, clipped to the plot area (a marker's width spare at the sides).
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left - 5, area.top, area.right - area.left + 10, area.bottom - area.top);
  ctx.clip();
  spec.traces.forEach((t, i) => {
    if (isShown(t, i, spec.hidden))
      drawTrace(ctx, t, x, t.axis === 'y2' && y2 ? y2 : y, colours.fg);
  });
  ctx.restore();
}
