/** The Gumbel temperature τ and the KL weight over training, as the model reported them. */
import { useMemo } from 'react';
import { withoutFlatRuns } from '../../core/decimate';
import { scheduleValue } from '../diagnostic-format';
import { LineChart, type AxisSpec, type LineTrace } from '../plots/LineChart';
import type { Series } from '../../state/training-store';

const last = (v: number[] | undefined) => v?.[v.length - 1];

/** τ on a log axis (it anneals over decades), the weight on a linear one from zero. */
const TAU_AXIS: AxisSpec = { title: 'τ (log scale)', type: 'log' };

export function ScheduleChart({ history }: { history: Series }) {
  // The dVAE reports w(t) = β × warm-up ramp; the categorical VAE only β.
  const weightKey = history.terms.klWeight ? 'klWeight' : 'beta';
  const weightLabel = weightKey === 'klWeight' ? 'KL weight w(t)' : 'β (KL weight)';
  const traces = useMemo(
    (): LineTrace[] => [
      {
        name: 'τ',
        // A value per read-back, flat once annealed: only where it changes (the same line).
        ...withoutFlatRuns(history.steps, history.terms.tau ?? []),
        colour: '#0072B2',
        width: 2,
      },
      {
        name: weightLabel,
        ...withoutFlatRuns(history.steps, history.terms[weightKey] ?? []),
        axis: 'y2',
        colour: '#D55E00',
        width: 2,
        dash: 'dash',
      },
    ],
    [history, weightKey, weightLabel],
  );
  const y2Axis = useMemo((): AxisSpec => ({ title: weightLabel }), [weightLabel]);
  const tau = history.terms.tau ?? [];
  const summary =
    history.steps.length === 0
      ? 'No schedule values yet.'
      : `τ went from ${scheduleValue(tau[0])} to ${scheduleValue(last(tau))} by step ` +
        `${last(history.steps)!.toLocaleString('en')}; ${weightLabel} now ` +
        `${scheduleValue(last(history.terms[weightKey]))}.`;
  return (
    <LineChart
      testId="schedule-chart"
      title={`τ and ${weightLabel} over training`}
      traces={traces}
      xTitle="training step"
      yAxis={TAU_AXIS}
      y2Axis={y2Axis}
      summary={summary}
      height={240}
      minIntervalMs={1000}
      htmlLegend="toggle"
      fileBase="schedules"
    />
  );
}
