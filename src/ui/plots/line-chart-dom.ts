/**
 * The canvas charts' ties to the page (LineChart.tsx, BarChart.tsx): a draw slot kept told of its
 * canvas coming into or out of view, of its box's width, and of theme changes (dark mode, the
 * projector theme) that need a repaint; the canvas sized for the screen's pixel ratio; the redraw
 * counts and times on the canvas; and the HTML legend's entries for a line chart's traces
 * (ChartLegend.tsx).
 */
import type { LegendEntry } from './ChartLegend';
import { addSlot, removeSlot, requestDraw, setVisible, type DrawSlot } from './draw-queue';
import type { LineTrace } from './line-chart-scale';

/**
 * Observes `el` (visibility), `box` (width: `onWidth` gets it in whole CSS px) and the theme for
 * slot `s`. Returns the unobserving.
 */
export function observeChart(
  s: DrawSlot,
  el: Element,
  box: Element,
  onWidth: (width: number) => void,
): () => void {
  const io =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (es) => {
            const e = es[es.length - 1];
            if (e) setVisible(s, e.isIntersecting);
          },
          { rootMargin: '200px 0px' },
        );
  io?.observe(el);
  const ro =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((es) => onWidth(Math.round(es[es.length - 1]?.contentRect.width ?? 0)));
  ro?.observe(box);
  const redraw = () => requestDraw(s);
  const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  dark?.addEventListener('change', redraw);
  const mo = new MutationObserver(redraw);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-mode'] });
  return () => {
    io?.disconnect();
    ro?.disconnect();
    mo.disconnect();
    dark?.removeEventListener('change', redraw);
  };
}

/**
 * A draw slot for `draw` in the draw queue, kept told of `canvas`'s visibility, of `box`'s width
 * (kept in `width.current`: a change asks for a redraw) and of theme changes. Returns the slot
 * and its undoing.
 */
export function canvasSlot(
  draw: () => void,
  minIntervalMs: number,
  canvas: Element,
  box: Element,
  width: { current: number },
): { slot: DrawSlot; stop: () => void } {
  const slot: DrawSlot = {
    draw,
    minIntervalMs,
    visible: typeof IntersectionObserver === 'undefined',
    pending: true,
    lastDrawn: -Infinity,
  };
  addSlot(slot);
  const unobserve = observeChart(slot, canvas, box, (w) => {
    if (w === width.current) return;
    width.current = w;
    requestDraw(slot);
  });
  return {
    slot,
    stop: () => {
      unobserve();
      removeSlot(slot);
    },
  };
}

/** `canvas` sized for w × h CSS px at the screen's pixel ratio: its 2-D context and that ratio. */
export function sizeCanvas(canvas: HTMLCanvasElement, w: number, h: number) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.round(w * dpr);
  const H = Math.round(h * dpr);
  if (canvas.width !== W) canvas.width = W;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext('2d');
  return ctx ? { ctx, dpr } : null;
}

/** Debug values for tests and profiling: redraws so far, the last and the longest (ms). */
export function noteDraw(canvas: HTMLElement, t0: number): void {
  const ms = performance.now() - t0;
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  canvas.dataset.drawMs = ms.toFixed(1);
  canvas.dataset.drawMaxMs = Math.max(ms, Number(canvas.dataset.drawMaxMs ?? 0)).toFixed(1);
}

/** The legend entry of each trace; black follows the text colour, as on the canvas. */
export function lineLegendEntries(traces: readonly LineTrace[]): LegendEntry[] {
  return traces.map((t) => ({
    name: t.name,
    colour: /^#0{3}(0{3})?$/.test(t.colour.trim()) ? 'currentColor' : t.colour,
    dash: t.dash ?? 'solid',
    width: t.width,
    line: t.width > 0,
    marker: t.markers ?? null,
    opacity: t.opacity ?? 1,
  }));
}
