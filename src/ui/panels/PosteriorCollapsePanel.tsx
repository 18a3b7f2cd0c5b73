/**
 * Posterior collapse (VAE): the KL of each latent dimension on the test digits, the number of
 * active units now and over training (with the KL weight beside it), and the reparameterisation
 * trick that makes the KL trainable.
 */
import { useId, useMemo, useState } from 'react';
import { withoutFlatRuns } from '../../core/decimate';
import { scheduleValue } from '../diagnostic-format';
import { ACTIVE_UNIT_THRESHOLD, klBars, klSummary, type KlOrder } from '../kl-bars';
import { reparameterisationTex } from '../tex/mechanism-tex';
import { BarChart } from '../plots/BarChart';
import { lineMode } from '../plots/line-mode';
import { LineChart, type AxisSpec, type LineTrace } from '../plots/LineChart';
import type { Series, TrainingState } from '../../state/training-store';
import { TexBlock } from '../tex/TexBlock';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

const last = (v: number[] | undefined) => v?.[v.length - 1];
/** No bars yet (the same arrays every time, so nothing redraws for them). */
const NONE: string[] = [];
const NONE_VALUES: number[] = [];

function KlPerDimensionChart({ kl, order }: { kl: number[] | null; order: KlOrder }) {
  const bars = useMemo(() => (kl ? klBars(kl, order) : null), [kl, order]);
  return (
    <BarChart
      testId="kl-per-dim"
      title="KL divergence of each latent dimension"
      labels={bars?.labels ?? NONE}
      values={bars?.values ?? NONE_VALUES}
      colour="#0072B2"
      xTitle={order === 'sorted' ? 'latent dimension (largest KL first)' : 'latent dimension'}
      yTitle="KL (nats per image)"
      unit="nats"
      summary={kl ? klSummary(kl) : 'Waiting for the first evaluation.'}
      height={240}
      fileBase="kl-per-dimension"
    />
  );
}

function ActiveUnitsChart({
  history,
  schedule,
  latentDim,
}: {
  history: Series;
  schedule: Series;
  latentDim: number;
}) {
  // The KL weight w(t) = β × warm-up ramp when the model reports it, else β itself.
  const weightKey = schedule.terms.klWeight ? 'klWeight' : 'beta';
  const weightLabel = weightKey === 'klWeight' ? 'KL weight w(t)' : 'β';
  const traces = useMemo(
    (): LineTrace[] => [
      {
        name: 'active units',
        x: history.steps,
        y: history.terms.activeUnits ?? [],
        colour: '#0072B2',
        width: 2,
        shape: 'hv',
        markers: lineMode(history.steps.length) === 'lines' ? undefined : 'circle',
      },
      {
        name: weightLabel,
        // A value per read-back, mostly flat: only where it changes (the same line).
        ...withoutFlatRuns(schedule.steps, schedule.terms[weightKey] ?? []),
        axis: 'y2',
        colour: '#D55E00',
        width: 1.5,
        dash: 'dash',
      },
    ],
    [history, schedule, weightKey, weightLabel],
  );
  const yAxis = useMemo(
    (): AxisSpec => ({
      title: 'active units',
      range: [0, latentDim + 0.5],
      dtick: latentDim > 16 ? 4 : 1,
    }),
    [latentDim],
  );
  const y2Axis = useMemo((): AxisSpec => ({ title: weightLabel }), [weightLabel]);
  const now = last(history.terms.activeUnits);
  const summary =
    history.steps.length === 0
      ? 'No evaluations yet.'
      : `Active units over ${history.steps.length} evaluations: now ${now ?? '–'} of ${latentDim}` +
        `, at most ${Math.max(...(history.terms.activeUnits ?? [0]))}; ${weightLabel} now ` +
        `${scheduleValue(last(schedule.terms[weightKey]))}.`;
  return (
    <LineChart
      testId="active-units-history"
      title={`Active units and ${weightLabel} over training`}
      traces={traces}
      xTitle="training step"
      yAxis={yAxis}
      y2Axis={y2Axis}
      summary={summary}
      height={200}
      minIntervalMs={1000}
      htmlLegend="toggle"
      fileBase="active-units"
    />
  );
}

export function PosteriorCollapsePanel({
  heading,
  state,
  latentDim,
}: {
  heading: PanelHeading;
  state: TrainingState;
  latentDim: number;
}) {
  const id = useId();
  const [order, setOrder] = useState<KlOrder>('index');
  const diagnostics = state.latestEval?.diagnostics;
  const kl = diagnostics?.klPerDimension ?? null;
  const D = kl?.length ?? latentDim;
  const active = diagnostics?.activeUnits;
  const math = reparameterisationTex({
    latentDim: D,
    kl: state.latestEval?.test.kl,
    activeUnits: active,
  });
  return (
    <Panel {...heading}>
      <div className="diag-bar">
        <p className="diag-readout">
          <strong data-testid="active-units" className="diag-value">
            {active ?? '–'}
          </strong>{' '}
          <span>active units (of {D})</span>
        </p>
        <label className="diag-check" htmlFor={`${id}-sort`}>
          <input
            id={`${id}-sort`}
            type="checkbox"
            checked={order === 'sorted'}
            onChange={(e) => setOrder(e.target.checked ? 'sorted' : 'index')}
          />
          Sort dimensions by KL
        </label>
      </div>
      <div className="diag-cols">
        <div>
          <KlPerDimensionChart kl={kl} order={order} />
          <p className="diag-caption">
            {'A dimension is '}
            <em>active</em>
            {' when its posterior mean moves with the input: '}
            <span className="diag-formula">
              Var<sub>x</sub>(E<sub>q</sub>[z<sub>d</sub> | x]) &gt; {ACTIVE_UNIT_THRESHOLD}
            </span>
            {' (Burda et al. 2015). A collapsed dimension has '}
            <span className="diag-formula">
              q(z<sub>d</sub> | x) ≈ N(0, 1)
            </span>
            {' for every digit, so its KL bar sits at about 0 nats and the decoder ignores it.'}
          </p>
        </div>
        <div>
          <ActiveUnitsChart
            history={state.diagnosticsHistory}
            schedule={state.scheduleHistory}
            latentDim={D}
          />
          <p className="diag-caption">
            Raise β (the KL weight) while training: the KL bars shrink, and dimensions fall to 0
            nats one by one. That is posterior collapse, and the active-unit count drops with it.
          </p>
        </div>
      </div>
      <TexBlock tex={math.tex} text={math.text} testId="reparam-math" />
    </Panel>
  );
}
