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
}: {
  train: Series;
  test: Series;
  terms: TermInfo[];
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
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'training step' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'nats per image (log scale)' }, type: 'log' },
      uirevision: 'elbo',
    }),
    [],
  );
  const describe = (s: Series) => terms.map((t) => `${t.label} ${nats(last(s, t.key))}`).join(', ');
  const summary =
    train.steps.length === 0 && test.steps.length === 0
      ? 'No values yet.'
      : `Latest train: ${describe(train)}. Latest test: ${describe(test)}. All in nats per image.`;
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
