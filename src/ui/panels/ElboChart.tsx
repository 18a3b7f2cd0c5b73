/** The running model's loss terms over training: per-step train values and per-evaluation test values. */
import { useMemo } from 'react';
import { downsampleMean } from '../../core/downsample';
import type { TermInfo } from '../../contracts/catalog';
import { termColour } from '../palette';
import { nats } from '../format';
import { lineMode } from '../plots/line-mode';
import { PlotlyChart } from '../plots/PlotlyChart';
import type { Series } from '../../state/training-store';

/** Points per train curve on screen; longer runs are shown as bucket means. */
const MAX_POINTS = 600;
/** Points per test curve (one per evaluation, each an SVG marker): bucket means beyond this. */
const MAX_TEST_POINTS = 200;

const last = (s: Series, k: string) => s.terms[k]?.[s.terms[k].length - 1];

export function ElboChart({
  train,
  test,
  terms,
  iterations = false,
  unit = 'nats per image',
}: {
  train: Series;
  test: Series;
  terms: TermInfo[];
  /** A model fitted without gradients: the x-axis counts iterations (one pass each). */
  iterations?: boolean;
  /** The terms' unit (the catalog's `unit`). */
  unit?: string;
}) {
  const data = useMemo(
    () => [
      ...terms.map((t, i) => ({
        // SVG lines over at most MAX_POINTS bucket means: cheap to redraw, no WebGL context.
        type: 'scatter',
        mode: 'lines',
        name: `train ${t.label}`,
        ...downsampleMean(train.steps, train.terms[t.key] ?? [], MAX_POINTS),
        line: { color: termColour(t.key, i), width: 1 },
        opacity: 0.55,
      })),
      ...terms.map((t, i) => {
        const points = downsampleMean(test.steps, test.terms[t.key] ?? [], MAX_TEST_POINTS);
        return {
          type: 'scatter',
          mode: lineMode(points.x.length),
          name: `test ${t.label}`,
          ...points,
          line: { color: termColour(t.key, i), width: 2, dash: 'dot' },
          marker: { color: termColour(t.key, i), size: 6, symbol: 'diamond' },
        };
      }),
    ],
    [train, test, terms],
  );
  // A bound reported as itself (the mixture's ELBO) is negative: no log scale for it.
  const signed = terms.some((t) => (last(train, t.key) ?? last(test, t.key) ?? 1) <= 0);
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: iterations ? 'iteration' : 'training step' }, rangemode: 'tozero' },
      yaxis: signed
        ? { title: { text: unit }, type: 'linear' }
        : { title: { text: `${unit} (log scale)` }, type: 'log' },
      uirevision: 'elbo',
    }),
    [iterations, unit, signed],
  );
  const describe = (s: Series) => terms.map((t) => `${t.label} ${nats(last(s, t.key))}`).join(', ');
  const summary =
    train.steps.length === 0 && test.steps.length === 0
      ? 'No values yet.'
      : `Latest train: ${describe(train)}. Latest test: ${describe(test)}. All in ${unit}.`;
  return (
    <PlotlyChart
      testId="elbo-chart"
      title="Loss terms during training"
      data={data}
      layout={layout}
      summary={summary}
      height={300}
      minIntervalMs={500}
      htmlLegend="toggle"
    />
  );
}
