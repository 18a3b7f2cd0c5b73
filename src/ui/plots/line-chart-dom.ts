/**
 * The canvas line chart's ties to the page (LineChart.tsx): a draw slot kept told of its canvas
 * coming into or out of view, of its box's width, and of theme changes (dark mode, the projector
 * theme) that need a repaint; and the HTML legend's entries for its traces (ChartLegend.tsx).
 */
import type { LegendEntry } from './ChartLegend';
import { requestDraw, setVisible, type DrawSlot } from './draw-queue';
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
