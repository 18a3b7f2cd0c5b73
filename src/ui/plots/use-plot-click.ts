/**
 * A click anywhere in a chart's plot area, in data coordinates (from Plotly's axis ranges and
 * plot-area size); clicks on an axis, the legend or the margin are ignored.
 */
import { useEffect, type RefObject } from 'react';
import type { GraphDiv, PlotlyApi } from './plotly-types';

export function usePlotClick(
  el: RefObject<HTMLDivElement | null>,
  plotly: PlotlyApi | null,
  onPlotClick: ((x: number, y: number) => void) | undefined,
): void {
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
  }, [el, plotly, onPlotClick]);
}
