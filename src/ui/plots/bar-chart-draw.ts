/**
 * The canvas bar chart (BarChart.tsx): one bar per category, from zero. `layoutBars` (pure) fits
 * the plot area, the value axis and its ticks, and which category labels fit; `barBox` and
 * `barAt` map a bar to its pixels and a pixel to its bar; `barsCsv` and `barReadout` write the
 * bars as CSV and one bar in words;
 * `drawBarChart` paints it all. Margins, ticks, colours and fonts are the line chart's
 * (line-chart-scale.ts, nice-ticks.ts, line-chart-draw.ts). A redraw of 64 bars is a few ms.
 *
 * Category axis: n slots of width s = (right − left) / n; bar i fills the middle (1 − gap) of
 * slot i, centred at left + (i + ½) s (Plotly's `bargap`, default here 0.15).
 * Value axis: linear, the values' range with 0 in it and 5 % headroom (Plotly's 'tozero').
 */
import { csvField } from './line-chart-csv';
import type { DrawColours } from './line-chart-draw';
import { autoRange, plotArea, toPixel, type PlotArea, type Scale } from './line-chart-scale';
import { formatTick, linearTicks, tickLabels } from './nice-ticks';

export interface BarSpec {
  /** CSS px. */
  width: number;
  height: number;
  /** One label and one value per bar, left to right. */
  labels: readonly string[];
  values: readonly number[];
  xTitle: string;
  yTitle: string;
  fontPx: number;
  /** Share of each slot left empty between bars (0 … 1). */
  gap?: number;
}

export interface BarGeometry {
  area: PlotArea;
  /** The value axis (bottom → top). */
  y: Scale;
  yTicks: number[];
  /** Width of one category's slot, CSS px. */
  slot: number;
  barWidth: number;
  /** Every labelEvery-th category is labelled (from the first), so that labels do not overlap. */
  labelEvery: number;
}

/** A label's width estimate in CSS px: 0.65 em a character (sans-serif digits are ~0.64 em). */
const labelWidth = (text: string, fontPx: number) => 0.65 * fontPx * text.length;

/** The plot area, the value axis and its ticks, and the bars' slots for `spec`. */
export function layoutBars(spec: BarSpec): BarGeometry {
  const { labels, values, fontPx } = spec;
  const area = plotArea(spec.width, spec.height, fontPx, false);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values)
    if (isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const [d0, d1] = autoRange(lo <= hi ? [lo, hi] : null, 'linear', true);
  const y: Scale = { type: 'linear', d0, d1, p0: area.bottom, p1: area.top };
  const h = area.bottom - area.top;
  const n = Math.max(1, labels.length);
  const slot = (area.right - area.left) / n;
  const widest = labels.reduce((w, l) => Math.max(w, labelWidth(l, fontPx)), 0);
  // A label needs its own width and a quarter em either side.
  const labelEvery = Math.max(1, Math.ceil((widest + fontPx / 2) / slot));
  return {
    area,
    y,
    yTicks: linearTicks(d0, d1, Math.max(2, Math.floor(h / 3.2 / fontPx))),
    slot,
    barWidth: slot * (1 - Math.min(1, Math.max(0, spec.gap ?? 0.15))),
    labelEvery,
  };
}

/** Centre of bar i's slot, CSS px. */
export const barCentre = (geo: BarGeometry, i: number) => geo.area.left + (i + 0.5) * geo.slot;

/** Bar i with value v as a rectangle in CSS px (height ≥ 0; a negative v hangs below zero). */
export function barBox(geo: BarGeometry, i: number, v: number) {
  const zero = toPixel(geo.y, 0);
  const top = toPixel(geo.y, v);
  return {
    left: barCentre(geo, i) - geo.barWidth / 2,
    top: Math.min(zero, top),
    width: geo.barWidth,
    height: Math.abs(zero - top),
  };
}

/**
 * The bar whose slot holds pixel (px, py) — the gaps between bars belong to the nearest bar —
 * or −1 outside the plot area or when there are no bars.
 */
export function barAt(geo: BarGeometry, n: number, px: number, py: number): number {
  const { area } = geo;
  if (n <= 0 || px < area.left || px > area.right || py < area.top || py > area.bottom) return -1;
  return Math.min(n - 1, Math.max(0, Math.floor((px - area.left) / geo.slot)));
}

/** The bars as CSV: a header (the axes' titles), then "label,value" per bar in full precision. */
export function barsCsv(
  xTitle: string,
  yTitle: string,
  labels: readonly string[],
  values: readonly number[],
): string {
  const rows = labels.map((l, i) => `${csvField(l)},${String(values[i] ?? '')}`);
  return [`${csvField(xTitle)},${csvField(yTitle)}`, ...rows].join('\n') + '\n';
}

/** A bar's read-out: "z3: 0.1234 nats" (4 significant digits, as the line chart's). */
export const barReadout = (label: string, v: number, unit?: string) =>
  `${label}: ${formatTick(v)}${unit ? ` ${unit}` : ''}`;

/** A line of width 1 CSS px, on whole device pixels: where to put its centre. */
const crisp = (p: number, dpr: number) => {
  const w = Math.max(1, Math.round(dpr));
  return (Math.round(p * dpr - w / 2) + w / 2) / dpr;
};

/**
 * Paints the chart on `ctx` (a canvas of width × dpr by height × dpr device pixels): background,
 * value gridlines, the bars in `colour`, the axis lines, tick and category labels, axis titles.
 */
export function drawBarChart(
  ctx: CanvasRenderingContext2D,
  spec: BarSpec,
  geo: BarGeometry,
  dpr: number,
  colours: DrawColours,
  colour: string,
  fontFamily: string,
): void {
  const { width, height, fontPx, labels, values } = spec;
  const { area, y } = geo;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = colours.bg;
  ctx.fillRect(0, 0, width, height);

  ctx.lineWidth = 1;
  ctx.strokeStyle = colours.grid;
  ctx.beginPath();
  for (const v of geo.yTicks) {
    const p = crisp(toPixel(y, v), dpr);
    ctx.moveTo(area.left, p);
    ctx.lineTo(area.right, p);
  }
  ctx.stroke();

  ctx.fillStyle = colour;
  labels.forEach((_, i) => {
    const v = values[i];
    if (v === undefined || !isFinite(v)) return;
    const b = barBox(geo, i, Math.min(y.d1, Math.max(y.d0, v)));
    ctx.fillRect(b.left, b.top, b.width, b.height);
  });

  // Axis lines: left, and the zero line along the bottom of the bars.
  ctx.strokeStyle = colours.line;
  ctx.beginPath();
  const l = crisp(area.left, dpr);
  const z = crisp(toPixel(y, 0), dpr);
  ctx.moveTo(l, area.top);
  ctx.lineTo(l, area.bottom);
  ctx.moveTo(l, z);
  ctx.lineTo(area.right, z);
  ctx.stroke();

  ctx.fillStyle = colours.fg;
  ctx.font = `${fontPx}px ${fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i < labels.length; i += geo.labelEvery)
    ctx.fillText(labels[i]!, barCentre(geo, i), area.bottom + 5);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  const texts = tickLabels(geo.yTicks);
  geo.yTicks.forEach((v, i) => ctx.fillText(texts[i]!, area.left - 5, toPixel(y, v)));

  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(spec.xTitle, (area.left + area.right) / 2, height - 4);
  ctx.save();
  ctx.translate(Math.round(fontPx * 0.9), (area.top + area.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(spec.yTitle, 0, 0);
  ctx.restore();
}
