/**
 * PCA beside the linear autoencoder (lazy-loaded). For the linear AE, at each evaluation the
 * worker answers `subspaces`: PCA of the training images with the same d, both squared errors
 * per test digit, and the principal angles between the AE decoder's span and PCA's. The panel
 * keeps those answers as curves over training: the AE's error falling onto PCA's floor (a
 * horizontal line) and the angles falling to 0°, then both bases as images. For PCA itself:
 * its eigen-digits and the variance each explains.
 */
import { useMemo, useState } from 'react';
import type { InspectAnswer } from '../../contracts/inspect';
import { PlotlyChart } from '../plots/PlotlyChart';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { GenerativeStatus } from './GenerativeStatus';
import type { LiveStep } from './generative-digits';
import { ImageGrid } from './ImageGrid';

type Answer = Extract<InspectAnswer, { kind: 'subspaces' }>;
interface Point {
  step: number;
  ae: number;
  pca: number;
  angles: number[];
}

const AE_COLOUR = '#0072B2';
const PCA_COLOUR = '#000000';
const ANGLE_COLOURS = ['#D55E00', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#0072B2'];
const fmt = (v: number, digits = 2) => v.toFixed(digits);

/**
 * The answers' history for one run (a new run starts a new one). Updated while rendering when a
 * new answer arrives (React's "adjust state on a prop change"), so no effect sets state.
 */
function useHistory(answer: Answer | null, runKey: string): Point[] {
  const [history, setHistory] = useState<{ run: string; seen: Answer | null; points: Point[] }>({
    run: runKey,
    seen: null,
    points: [],
  });
  if (answer !== history.seen || runKey !== history.run) {
    let points = history.run === runKey ? history.points : [];
    if (answer?.model) {
      const { step, model, pca } = answer;
      const point = {
        step,
        ae: model.squaredError,
        pca: pca.squaredError,
        angles: model.anglesDeg,
      };
      // A restored or reset run goes back in steps: drop what lies ahead of it.
      points = [...points.filter((p) => p.step < step), point];
    }
    setHistory({ run: runKey, seen: answer, points });
  }
  return history.run === runKey ? history.points : [];
}

export default function PcaComparePanel({ inspect, live }: { inspect: Inspect; live: LiveStep }) {
  const { answer, error, pending } = useInspection(
    inspect,
    'subspaces',
    { kind: 'subspaces' },
    live.key,
  );
  const runKey = live.key.split(':')[0] ?? '';
  const points = useHistory(answer, runKey);
  return (
    <div className="pca-compare">
      {answer?.model ? <Curves points={points} answer={answer} /> : null}
      {answer ? <Bases answer={answer} /> : null}
      <GenerativeStatus error={error} pending={pending} hasAnswer={answer !== null} />
    </div>
  );
}

function Curves({ points, answer }: { points: Point[]; answer: Answer }) {
  const steps = points.map((p) => p.step);
  const d = answer.latentDim;
  const shown = Math.min(d, ANGLE_COLOURS.length);
  const errorData = useMemo(
    () => [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'linear AE',
        x: steps,
        y: points.map((p) => p.ae),
        line: { color: AE_COLOUR, width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'PCA (floor)',
        x: steps.length ? [steps[0]!, steps[steps.length - 1]!] : [],
        y: points.length ? [points[0]!.pca, points[0]!.pca] : [],
        line: { color: PCA_COLOUR, width: 2, dash: 'dash' },
      },
    ],
    [points, steps],
  );
  const angleData = useMemo(
    () =>
      Array.from({ length: shown }, (_, i) => ({
        type: 'scatter',
        mode: 'lines+markers',
        // The largest angle first: it is the last to fall.
        name: `θ${d - i}`,
        x: steps,
        y: points.map((p) => p.angles[d - 1 - i] ?? 0),
        line: { color: ANGLE_COLOURS[i]!, width: 2 },
      })),
    [points, steps, d, shown],
  );
  const layout = (y: string) => ({
    xaxis: { title: { text: 'training step' } },
    yaxis: { title: { text: y }, rangemode: 'tozero' },
    margin: { l: 60, r: 16, t: 8, b: 48 },
    uirevision: y,
  });
  const errorLayout = useMemo(() => layout('squared error per test digit'), []);
  const angleLayout = useMemo(() => layout('principal angle (degrees)'), []);
  const m = answer.model!;
  const largest = m.anglesDeg[m.anglesDeg.length - 1] ?? 0;
  return (
    <div className="pca-curves">
      <PlotlyChart
        testId="pca-compare-error"
        title="Reconstruction error: linear AE and PCA"
        data={errorData}
        layout={errorLayout}
        summary={`At step ${answer.step} the linear AE's squared error is ${fmt(m.squaredError)} per test digit; PCA with ${d} components reaches ${fmt(answer.pca.squaredError)} (the floor for any ${d}-dimensional linear code).`}
        height={220}
        htmlLegend="key"
        minIntervalMs={1000}
      />
      <PlotlyChart
        testId="pca-compare-angles"
        title="Principal angles between the AE's and PCA's subspaces"
        data={angleData}
        layout={angleLayout}
        summary={`Principal angles at step ${answer.step}: ${m.anglesDeg.map((a) => fmt(a, 1)).join(', ')} degrees (largest ${fmt(largest, 1)}°; 0 = the same subspace).`}
        height={220}
        htmlLegend="key"
        minIntervalMs={1000}
      />
    </div>
  );
}

function Bases({ answer }: { answer: Answer }) {
  const { pca, latentDim: d } = answer;
  const explained = pca.variances.reduce((a, v) => a + v, 0) / (pca.totalVariance || 1);
  const columns = Math.min(d, 8);
  const pcaLabel =
    `PCA's ${d} eigen-digits (orthonormal, largest variance first; grey = 0, dark = positive), ` +
    `fitted on ${pca.images.toLocaleString('en')} training images. Variance along each: ` +
    `${pca.variances.map((v) => fmt(v)).join(', ')} of ${fmt(pca.totalVariance)} per image ` +
    `(${fmt(100 * explained, 1)} % explained).`;
  return (
    <div className="pca-bases">
      <figure>
        <ImageGrid images={pca.basis} columns={columns} label={pcaLabel} testId="pca-basis" />
        <figcaption className="chart-summary">{pcaLabel}</figcaption>
      </figure>
      {answer.model ? (
        <figure>
          <ImageGrid
            images={answer.model.columns}
            columns={columns}
            label={`The linear AE's ${d} decoder directions at step ${answer.step}: they span (nearly) the same subspace as PCA's but need not be orthogonal or ordered.`}
            testId="ae-basis"
          />
          <figcaption className="chart-summary">
            The linear AE&apos;s {d} decoder directions at step {answer.step} (rows of W in x̂ = b +
            z W): the same subspace once the angles reach 0°, but not orthogonal or ordered.
          </figcaption>
        </figure>
      ) : null}
    </div>
  );
}
