/** The ELBO terms over training: per-step train values and per-evaluation test values. */
import { useMemo } from 'react';
import { downsampleMean } from '../../core/downsample';
import { TERM_COLOURS } from '../palette';
import { nats } from '../format';
import { PlotlyChart } from '../plots/PlotlyChart';
import type { Series } from '../training-store';

const TERMS = [
  { key: 'negElbo', name: '−ELBO' },
  { key: 'recon', name: 'reconstruction' },
  { key: 'kl', name: 'KL' },
] as const;

/** Points per train curve on screen; longer runs are shown as bucket means. */
const MAX_POINTS = 600;

export function ElboChart({ train, test }: { train: Series; test: Series }) {
  const data = useMemo(
    () => [
      ...TERMS.map((t) => ({
        // SVG lines over at most MAX_POINTS bucket means: cheap to redraw at 10 Hz, no WebGL context.
        type: 'scatter',
        mode: 'lines',
        name: `train ${t.name}`,
        ...downsampleMean(train.steps, train[t.key], MAX_POINTS),
        line: { color: TERM_COLOURS[t.key], width: 1 },
        opacity: 0.55,
      })),
      ...TERMS.map((t) => ({
        type: 'scatter',
        mode: 'lines+markers',
        name: `test ${t.name}`,
        x: test.steps,
        y: test[t.key],
        line: { color: TERM_COLOURS[t.key], width: 2, dash: 'dot' },
        marker: { color: TERM_COLOURS[t.key], size: 6, symbol: 'diamond' },
      })),
    ],
    [train, test],
  );
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'training step' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'nats per image (log scale)' }, type: 'log' },
      legend: { orientation: 'h', y: -0.25 },
      uirevision: 'elbo',
    }),
    [],
  );
  const last = (s: Series, k: 'negElbo' | 'recon' | 'kl') => s[k][s[k].length - 1];
  const summary =
    train.steps.length === 0 && test.steps.length === 0
      ? 'No values yet.'
      : `Latest train: −ELBO ${nats(last(train, 'negElbo'))} = reconstruction ${nats(last(train, 'recon'))} + KL ${nats(last(train, 'kl'))} nats per image. ` +
        `Latest test: −ELBO ${nats(last(test, 'negElbo'))} = ${nats(last(test, 'recon'))} + ${nats(last(test, 'kl'))} nats per image.`;
  return (
    <PlotlyChart
      testId="elbo-chart"
      title="ELBO terms during training"
      data={data}
      layout={layout}
      summary={summary}
      height={340}
      minIntervalMs={250}
    />
  );
}
