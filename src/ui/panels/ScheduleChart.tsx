/** The Gumbel temperature τ and the KL weight over training, as the model reported them. */
import { useMemo } from 'react';
import { withoutFlatRuns } from '../../core/decimate';
import { scheduleValue } from '../diagnostic-format';
import { PlotlyChart } from '../plots/PlotlyChart';
import type { Series } from '../../state/training-store';

const last = (v: number[] | undefined) => v?.[v.length - 1];

export function ScheduleChart({ history }: { history: Series }) {
  // The dVAE reports w(t) = β × warm-up ramp; the categorical VAE only β.
  const weightKey = history.terms.klWeight ? 'klWeight' : 'beta';
  const weightLabel = weightKey === 'klWeight' ? 'KL weight w(t)' : 'β (KL weight)';
  const data = useMemo(
    () => [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'τ',
        // A value per read-back, flat once annealed: only where it changes (the same line).
        ...withoutFlatRuns(history.steps, history.terms.tau ?? []),
        line: { color: '#0072B2', width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: weightLabel,
        ...withoutFlatRuns(history.steps, history.terms[weightKey] ?? []),
        yaxis: 'y2',
        line: { color: '#D55E00', width: 2, dash: 'dash' },
      },
    ],
    [history, weightKey, weightLabel],
  );
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'training step' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'τ (log scale)' }, type: 'log' },
      yaxis2: {
        title: { text: weightLabel },
        overlaying: 'y',
        side: 'right',
        rangemode: 'tozero',
        showgrid: false,
      },
      margin: { l: 60, r: 60, t: 8, b: 48 },
      legend: { orientation: 'h', y: -0.3 },
      uirevision: 'schedules',
    }),
    [weightLabel],
  );
  const tau = history.terms.tau ?? [];
  const summary =
    history.steps.length === 0
      ? 'No schedule values yet.'
      : `τ went from ${scheduleValue(tau[0])} to ${scheduleValue(last(tau))} by step ` +
        `${last(history.steps)!.toLocaleString('en')}; ${weightLabel} now ` +
        `${scheduleValue(last(history.terms[weightKey]))}.`;
  return (
    <PlotlyChart
      testId="schedule-chart"
      title={`τ and ${weightLabel} over training`}
      data={data}
      layout={layout}
      summary={summary}
      height={240}
      minIntervalMs={1000}
    />
  );
}
