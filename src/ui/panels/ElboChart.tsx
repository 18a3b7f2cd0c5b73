/** The running model's loss terms over training: per-step train values and per-evaluation test values. */
import { useMemo } from 'react';
import { downsampleMean } from '../../core/downsample';
import type { TermInfo } from '../../contracts/catalog';
import { termColour } from '../palette';
import { nats } from '../format';
import { lineMode } from '../plots/line-mode';
import { LineChart, type AxisSpec, type LineTrace } from '../plots/LineChart';
import type { Series } from '../../state/training-store';

/** Points per train curve on screen (canvas, LineChart); longer runs are shown as bucket means. */
const MAX_POINTS = 600;
/** Points per test curve (one per evaluation): bucket means beyond this. */
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
  const traces = useMemo(
    (): LineTrace[] => [
      ...terms.map((t, i) => ({
        name: `train ${t.label}`,
        ...downsampleMean(train.steps, train.terms[t.key] ?? [], MAX_POINTS),
        colour: termColour(t.key, i),
        width: 1,
        opacity: 0.55,
      })),
      ...terms.map((t, i): LineTrace => {
        const points = downsampleMean(test.steps, test.terms[t.key] ?? [], MAX_TEST_POINTS);
        return {
          name: `test ${t.label}`,
          ...points,
          colour: termColour(t.key, i),
          width: 2,
          dash: 'dot',
          // A diamond per evaluation while they are few enough to tell apart.
          markers: lineMode(points.x.length) === 'lines' ? undefined : 'diamond',
        };
      }),
    ],
    [train, test, terms],
  );
  // A bound reported as itself (the mixture's ELBO) is negative: no log scale for it.
  const signed = terms.some((t) => (last(train, t.key) ?? last(test, t.key) ?? 1) <= 0);
  const yAxis = useMemo(
    (): AxisSpec =>
      signed ? { title: unit, type: 'linear' } : { title: `${unit} (log scale)`, type: 'log' },
    [unit, signed],
  );
  const describe = (s: Series) => terms.map((t) => `${t.label} ${nats(last(s, t.key))}`).join(', ');
  const summary =
    train.steps.length === 0 && test.steps.length === 0
      ? 'No values yet.'
      : `Latest train: ${describe(train)}. Latest test: ${describe(test)}. All in ${unit}.`;
  return (
    <LineChart
      testId="elbo-chart"
      title="Loss terms during training"
      traces={traces}
      xTitle={iterations ? 'iteration' : 'training step'}
      yAxis={yAxis}
      summary={summary}
      height={300}
      minIntervalMs={500}
      htmlLegend="toggle"
      fileBase="loss-terms"
    />
  );
}
