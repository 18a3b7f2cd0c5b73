/**
 * Plotly, loaded once and lazily (its partial bundle is the page's largest script), then warmed
 * up while the page is idle so that the first real chart draws as fast as later ones.
 */
import { PLOTLY_CONFIG } from './chart-layout';
import type { PlotlyApi } from './plotly-types';

let plotlyPromise: Promise<PlotlyApi> | null = null;
export function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import('./plotly-bundle').then((m) => {
    warmUp(m.default);
    return m.default;
  });
  return plotlyPromise;
}

/**
 * Runs Plotly's drawing code once, off screen, while the page is idle: a line, a dotted line
 * with markers, a log axis and a second y axis, like the loss charts. The browser compiles a
 * function the first time it runs, so without this the first draw of real curves (the moment
 * training starts) took twice as long as later ones, the longest main-thread task of training.
 */
function warmUp(plotly: PlotlyApi): void {
  const idle = (globalThis as { requestIdleCallback?: (f: () => void) => number })
    .requestIdleCallback;
  const run = () => {
    const div = document.createElement('div');
    div.setAttribute('aria-hidden', 'true');
    Object.assign(div.style, { position: 'fixed', left: '-10000px', top: '0', width: '600px' });
    document.body.appendChild(div);
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = [300, 200, 150, 120, 110, 105, 102, 101];
    const done = plotly.react(
      div,
      [
        { type: 'scatter', mode: 'lines', name: 'a', x, y, line: { width: 1 }, opacity: 0.5 },
        {
          type: 'scatter',
          mode: 'lines+markers',
          name: 'b',
          x,
          y: y.map((v) => v / 2),
          line: { dash: 'dot', shape: 'hv' },
          marker: { symbol: 'diamond', size: 6 },
        },
        { type: 'scatter', mode: 'lines', name: 'c', x, y: x, yaxis: 'y2' },
      ],
      {
        height: 200,
        showlegend: false,
        yaxis: { type: 'log', title: { text: 'y' }, ticklabeloverflow: 'allow' },
        yaxis2: { overlaying: 'y', side: 'right', showgrid: false },
        xaxis: { title: { text: 'x' }, rangemode: 'tozero', ticklabeloverflow: 'allow' },
      },
      PLOTLY_CONFIG,
    );
    const clear = () => {
      plotly.purge(div);
      div.remove();
    };
    done.then(clear, clear);
  };
  if (idle) idle(run);
  else setTimeout(run, 0);
}
