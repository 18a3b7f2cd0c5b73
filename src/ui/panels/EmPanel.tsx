/**
 * EM on the mixture of Bernoullis, live: the bound and the exact log-likelihood per iteration
 * (the M-step raises the bound, the E-step closes the gap), the responsibilities p(k | x) of a
 * chosen digit, and the components μ_k as images. Loaded lazily (registry.tsx).
 */
import { useMemo, useState } from 'react';
import type { TrainingState } from '../../state/training-store';
import { emCurves } from '../em-curves';
import { signedNats } from '../format';
import { sendSignal } from '../lessons/signals';
import { PlotlyChart } from '../plots/PlotlyChart';
import { useInspection, type Inspect } from '../use-inspection';
import { DigitSelect } from './DigitSelect';
import {
  choiceKey,
  choiceName,
  toDigitRef,
  type DigitChoice,
  type Drawing,
} from './generative-digits';
import { ImageGrid } from './ImageGrid';
import { InspectionNote } from './InspectionNote';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

/** Components shown in the responsibilities chart: the most responsible ones. */
const TOP = 12;
/** Probe digits to choose from. */
const PROBES = 16;
const BOUND = '#0072B2';
const LOG_P = '#D55E00';

export default function EmPanel({
  heading,
  state,
  inspect,
  drawing,
  components,
}: {
  heading: PanelHeading;
  state: TrainingState;
  inspect: Inspect;
  drawing: Drawing | null;
  components: number;
}) {
  const [choice, setChoice] = useState<DigitChoice>(0);
  const train = useMemo(() => emCurves(state.train), [state.train]);
  const test = useMemo(() => emCurves(state.test), [state.test]);
  const data = useMemo(
    () =>
      [
        { name: 'train ELBO', ...train.bound, line: { color: BOUND, width: 2 } },
        {
          name: 'train log p(x)',
          ...train.logLikelihood,
          line: { color: LOG_P, width: 2, shape: 'hv' },
        },
        { name: 'test ELBO', ...test.bound, line: { color: BOUND, width: 2, dash: 'dot' } },
        {
          name: 'test log p(x)',
          ...test.logLikelihood,
          line: { color: LOG_P, width: 2, dash: 'dot', shape: 'hv' },
        },
      ].map((t) => ({ type: 'scatter', mode: 'lines+markers', marker: { size: 5 }, ...t })),
    [train, test],
  );
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'EM iteration (M-step at t − ½, E-step at t)' }, dtick: 1 },
      yaxis: { title: { text: 'nats per image' } },
      uirevision: 'em',
    }),
    [],
  );
  const gaps = (c: typeof train, name: string) =>
    c.latest
      ? `${name} at iteration ${c.latest.iteration}: log p(x) ${signedNats(c.latest.logP)}; gap after the M-step ${signedNats(c.latest.afterM)}, after the E-step ${signedNats(c.latest.afterE)}`
      : `${name}: no iteration yet`;
  const summary = `${gaps(train, 'Train')}. ${gaps(test, 'Test')}. In nats per image.`;

  const key = `${state.runId}:${state.latestEval?.step ?? 'none'}`;
  const ref = toDigitRef(choice, drawing);
  const resp = useInspection(
    inspect,
    'responsibilities',
    ref ? { kind: 'responsibilities', digit: ref } : null,
    `${key}:${choiceKey(choice, drawing)}`,
  );
  const atlas = useInspection(inspect, 'codebookAtlas', { kind: 'codebookAtlas' }, key);
  const top = useMemo(() => {
    const p = resp.answer?.probs;
    if (!p) return [];
    return Array.from(p, (v, k) => ({ k, v }))
      .sort((a, b) => b.v - a.v)
      .slice(0, TOP);
  }, [resp.answer]);
  const bars = useMemo(
    () => [
      {
        type: 'bar',
        x: top.map((r) => `component ${r.k}`),
        y: top.map((r) => r.v),
        marker: { color: BOUND },
        hovertemplate: '%{x}: %{y:.3f}<extra></extra>',
      },
    ],
    [top],
  );
  const barLayout = useMemo(
    () => ({
      xaxis: { type: 'category', automargin: true },
      yaxis: { title: { text: 'p(k | x)' }, range: [0, 1.05] },
      uirevision: 'resp',
    }),
    [],
  );
  const digit = choiceName(choice, state.probeLabels);
  const barSummary = top.length
    ? `Responsibilities of ${digit}: ` +
      top
        .slice(0, 3)
        .map((r) => `component ${r.k} ${r.v.toFixed(3)}`)
        .join(', ') +
      `; the other ${components - Math.min(3, top.length)} share ${(1 - top.slice(0, 3).reduce((a, r) => a + r.v, 0)).toFixed(3)}.`
    : 'Waiting for the responsibilities.';
  const columns = components <= 20 ? components : components <= 100 ? 20 : 32;

  return (
    <Panel {...heading}>
      <PlotlyChart
        testId="em-chart"
        title="The bound and the log-likelihood over EM iterations"
        data={data}
        layout={layout}
        summary={summary}
        height={300}
        htmlLegend="toggle"
      />
      <p className="diag-caption">
        Each M-step moves θ to the best parameters for the current responsibilities: the bound
        (blue) rises, and log p(x) (orange) rises with it. Each E-step then sets the
        responsibilities to the exact posterior p(k | x): the bound jumps up to touch log p(x) and
        the gap, a KL divergence, is zero.
      </p>
      <div className="diag-controls">
        <DigitSelect
          label="Digit"
          value={choice}
          onChange={(c) => {
            setChoice(c);
            sendSignal('em-digit-picked');
          }}
          probeCount={Math.min(PROBES, state.probeLabels?.length ?? PROBES)}
          labels={state.probeLabels}
          hasDrawing={drawing !== null}
        />
      </div>
      <PlotlyChart
        testId="em-responsibilities"
        title={`Responsibilities p(k | x) of ${digit}, the ${Math.min(TOP, components)} largest`}
        data={bars}
        layout={barLayout}
        summary={barSummary}
        height={220}
      />
      <InspectionNote
        what="the responsibilities"
        error={resp.error}
        pending={resp.pending}
        answered={resp.answer !== null}
      />
      <h3 className="diag-h3">The {components} components μ_k as images</h3>
      <ImageGrid
        images={atlas.answer?.images ?? null}
        columns={columns}
        label={`The means of the ${components} Bernoulli components, component 0 first`}
        testId="em-components"
        scale={components <= 100 ? 2 : 1}
      />
      <InspectionNote
        what="the components"
        error={atlas.error}
        pending={atlas.pending}
        answered={atlas.answer !== null}
      />
    </Panel>
  );
}
