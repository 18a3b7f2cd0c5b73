/**
 * Markers of big scatter traces drawn on a canvas under a Plotly chart instead of as SVG. Plotly
 * draws each SVG marker as its own element with its own transform and opacity, so 2,000 of them
 * cost tens of milliseconds per redraw and make every later frame of the page slower to composite
 * (each is a paint chunk). Here the chart stamps the markers onto the canvas instead (one
 * pre-rendered sprite per colour, in trace order, clipped to the plot area like Plotly's), an
 * invisible extent trace keeps Plotly's autorange, and canvas-hover.ts does the hovering.
 */
import type { PlotData } from './plotly-types';

/** The parts of Plotly's full layout the canvas needs (not in the public typings). */
interface Axis {
  _offset: number;
  _length: number;
  l2p: (v: number) => number;
}
export interface MarkerLayout {
  width: number;
  height: number;
  xaxis: Axis;
  yaxis: Axis;
}

/**
 * A trace as Plotly gets it: kept in the chart's data (its points stay readable there) but not
 * drawn, hovered or fitted by Plotly. Its calc of thousands of points was half of each redraw of
 * the latent scatter; the canvas draws the markers and canvas-hover.ts finds the hovered point.
 */
export function asCanvasTrace(trace: PlotData): PlotData {
  return { ...trace, visible: false };
}

/**
 * An invisible two-point trace from the canvas traces' smallest to their largest x and y, so
 * that Plotly's autorange still fits their points; null when they have no finite point.
 */
export function extentTrace(traces: readonly PlotData[]): PlotData | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const t of traces) {
    if (t.visible === false || t.visible === 'legendonly') continue;
    const xs = t.x as ArrayLike<number | null> | undefined;
    const ys = t.y as ArrayLike<number | null> | undefined;
    if (!xs || !ys) continue;
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (typeof x !== 'number' || typeof y !== 'number' || !isFinite(x) || !isFinite(y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x0 > x1) return null;
  return {
    type: 'scatter',
    mode: 'none',
    name: 'extent',
    x: [x0, x1],
    y: [y0, y1],
    showlegend: false,
    hoverinfo: 'skip',
  };
}

const sprites = new Map<string, HTMLCanvasElement>();
/** A filled circle of `size` CSS px in `colour` at `opacity`, for `dpr` device px per CSS px. */
function sprite(colour: string, size: number, opacity: number, dpr: number): HTMLCanvasElement {
  const key = `${colour}|${size}|${opacity}|${dpr}`;
  let s = sprites.get(key);
  if (!s) {
    const px = Math.max(1, Math.ceil(size * dpr) + 2);
    s = document.createElement('canvas');
    s.width = px;
    s.height = px;
    const ctx = s.getContext('2d')!;
    ctx.globalAlpha = opacity;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(px / 2, px / 2, (size * dpr) / 2, 0, 2 * Math.PI);
    ctx.fill();
    if (sprites.size > 256) sprites.clear(); // colours come from small palettes; stay bounded
    sprites.set(key, s);
  }
  return s;
}

const num = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** Sizes `canvas` to the chart and draws the markers of `traces` where Plotly's axes put them. */
export function drawCanvasMarkers(
  canvas: HTMLCanvasElement,
  layout: MarkerLayout,
  traces: PlotData[],
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(layout.width);
  const h = Math.round(layout.height);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const { xaxis: xa, yaxis: ya } = layout;
  ctx.save();
  ctx.beginPath();
  ctx.rect(xa._offset * dpr, ya._offset * dpr, xa._length * dpr, ya._length * dpr);
  ctx.clip();
  for (const t of traces) {
    if (t.visible === false || t.visible === 'legendonly') continue;
    const xs = t.x as ArrayLike<number | null> | undefined;
    const ys = t.y as ArrayLike<number | null> | undefined;
    if (!xs || !ys) continue;
    const marker = (t.marker ?? {}) as { color?: unknown; size?: unknown; opacity?: unknown };
    const size = num(marker.size, 6);
    const opacity = num(marker.opacity, 1);
    const colours = Array.isArray(marker.color) ? (marker.color as string[]) : null;
    const single = typeof marker.color === 'string' ? marker.color : '#1f77b4';
    const n = Math.min(xs.length, ys.length);
    let last = '';
    let img = sprite(single, size, opacity, dpr);
    const half = img.width / 2;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (typeof x !== 'number' || typeof y !== 'number' || !isFinite(x) || !isFinite(y)) continue;
      const colour = colours ? (colours[i] ?? single) : single;
      if (colour !== last) {
        img = sprite(colour, size, opacity, dpr);
        last = colour;
      }
      const px = (xa._offset + xa.l2p(x)) * dpr;
      const py = (ya._offset + ya.l2p(y)) * dpr;
      ctx.drawImage(img, Math.round(px - half), Math.round(py - half));
    }
  }
  ctx.restore();
}
