/**
 * One Plotly chart: loads the partial bundle lazily, updates with Plotly.react (no re-created
 * WebGL contexts), purges on unmount. A text alternative (`summary`) sits under the chart.
 */
import { useEffect, useRef, useState } from 'react';
import type { PlotData, PlotLayout, PlotlyApi } from './plotly-types';

let plotlyPromise: Promise<PlotlyApi> | null = null;
function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import('./plotly-bundle').then((m) => m.default);
  return plotlyPromise;
}

const CONFIG = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d'],
};

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
}

export function PlotlyChart({
  testId,
  title,
  data,
  layout,
  summary,
  height = 320,
}: PlotlyChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

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
    const node = el.current;
    if (!plotly || !node) return;
    void plotly.react(
      node,
      data,
      { height, margin: { l: 60, r: 16, t: 8, b: 48 }, ...layout },
      CONFIG,
    );
  }, [plotly, data, layout, height]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (plotly && node) plotly.purge(node);
    };
  }, [plotly]);

  return (
    <figure className="chart" aria-label={title}>
      <div
        ref={el}
        data-testid={testId}
        role="img"
        aria-label={`${title}. ${summary}`}
        style={{ minHeight: height }}
      >
        {loadError ? <p role="alert">Could not load the chart library: {loadError}</p> : null}
      </div>
      <figcaption className="chart-summary">{summary}</figcaption>
    </figure>
  );
}
