/**
 * The Gumbel-softmax at work (dVAE, categorical VAE): pick a test digit and a latent position,
 * see q(c | x), one Gumbel draw and the soft and hard samples it gives at a τ of your choice
 * (for this table only; training keeps its own schedule), with the training τ and KL weight
 * over time and the relaxation's formula.
 */
import { useId, useMemo, useState } from 'react';
import type { Settings } from '../../state/settings';
import type { InspectCapabilities } from '../../contracts/inspect';
import { scheduleValue } from '../diagnostic-format';
import { gumbelTable } from '../gumbel-rows';
import { logPosition, logValue, type LogScale } from '../log-scale';
import { gumbelSoftmaxTex } from '../tex/mechanism-tex';
import type { TrainingState } from '../../state/training-store';
import { useInspection, type Inspect } from '../use-inspection';
import { GumbelTable, SoftHardChart } from './GumbelTable';
import { InspectionNote } from './InspectionNote';
import { ScheduleChart } from './ScheduleChart';
import { TexBlock } from '../tex/TexBlock';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';
import { sendSignal } from '../lessons/signals';

/** τ slider for the table: 0.05 to 5, log scale. */
export const TABLE_TAU: LogScale = { min: 0.05, max: 5, steps: 200 };
/** Codes shown in the table (the most probable ones). */
const TOP = 8;
/** Probe digits to choose from: the 16 shown with reconstructions. */
const PROBES = 16;

export function GumbelPanel({
  heading,
  state,
  settings,
  inspect,
  codes,
}: {
  heading: PanelHeading;
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  codes: NonNullable<InspectCapabilities['codes']>;
}) {
  const id = useId();
  const [probe, setProbe] = useState(0);
  const [position, setPosition] = useState(0);
  const [seed, setSeed] = useState(1);
  /** null: follow the training τ; else the slider position the user chose. */
  const [tauPosition, setTauPosition] = useState<number | null>(null);

  const trainingTau = state.schedule.tau;
  const sliderPosition = tauPosition ?? logPosition(trainingTau ?? 1, TABLE_TAU);
  const tau = Number(logValue(sliderPosition, TABLE_TAU).toPrecision(3));
  const pos = Math.min(position, codes.positions - 1);
  const probeCount = Math.min(PROBES, state.probeLabels?.length ?? PROBES);

  const key = `${state.runId}:${state.latestEval?.step ?? 'none'}:${probe}:${pos}:${tau}:${seed}`;
  const g = useInspection(
    inspect,
    'gumbel',
    { kind: 'gumbel', probe, position: pos, tau, seed, top: TOP },
    key,
  );
  const table = useMemo(() => (g.answer ? gumbelTable(g.answer) : null), [g.answer]);
  const shownTau = scheduleValue(g.answer?.tau ?? tau);

  const digit = (i: number) => state.probeLabels?.[i];
  const where = (p: number) =>
    `row ${Math.floor(p / codes.gridWidth) + 1}, column ${(p % codes.gridWidth) + 1}`;
  const caption = g.answer
    ? `q(c | x) at position ${pos} (${where(pos)}) of probe ${probe}` +
      `${digit(probe) === undefined ? '' : ` (a ${digit(probe)})`}: the ${g.answer.rows.length} ` +
      `most probable of ${g.answer.codebookSize} codes, Gumbel draw ${seed}, relaxed at τ = ${shownTau}.`
    : '';
  const math = gumbelSoftmaxTex({
    tau: trainingTau,
    categories: codes.size,
    positions: codes.positions,
    hard: settings.hard,
  });

  return (
    <Panel {...heading}>
      <div className="diag-controls">
        <label className="field" htmlFor={`${id}-probe`}>
          Probe digit
          <select
            id={`${id}-probe`}
            value={probe}
            onChange={(e) => setProbe(Number(e.target.value))}
          >
            {Array.from({ length: probeCount }, (_, i) => (
              <option key={i} value={i}>
                {i}
                {digit(i) === undefined ? '' : ` (a ${digit(i)})`}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={`${id}-position`}>
          Position
          <select
            id={`${id}-position`}
            value={pos}
            onChange={(e) => setPosition(Number(e.target.value))}
          >
            {Array.from({ length: codes.positions }, (_, p) => (
              <option key={p} value={p}>
                {p} ({where(p)})
              </option>
            ))}
          </select>
        </label>
        <div className="field diag-tau">
          <label htmlFor={`${id}-tau`}>τ for this table</label>
          <span className="diag-tau-row">
            <input
              id={`${id}-tau`}
              type="range"
              min={0}
              max={TABLE_TAU.steps}
              step={1}
              value={sliderPosition}
              aria-valuetext={`τ = ${tau}`}
              aria-describedby={`${id}-tau-hint`}
              onChange={(e) => {
                setTauPosition(Number(e.target.value));
                sendSignal('tau-slider-moved');
              }}
            />
            <output htmlFor={`${id}-tau`} className="diag-value">
              {tau}
            </output>
          </span>
          <span id={`${id}-tau-hint`} className="diag-hint">
            log scale, {TABLE_TAU.min} to {TABLE_TAU.max};{' '}
            {tauPosition === null ? 'follows the training τ' : 'training is not affected'}
          </span>
        </div>
        <button type="button" disabled={tauPosition === null} onClick={() => setTauPosition(null)}>
          Follow training τ
        </button>
        <button type="button" onClick={() => setSeed((s) => s + 1)}>
          New Gumbel draw
        </button>
      </div>
      <p className="diag-readout">
        <span>training τ now:</span>{' '}
        <strong data-testid="tau" className="diag-value">
          {scheduleValue(trainingTau)}
        </strong>
        <span className="diag-sep"> · </span>
        <span>
          {settings.hard
            ? 'hard (straight-through) samples in training'
            : 'soft samples in training'}
        </span>
      </p>
      <InspectionNote
        what="the Gumbel draw"
        error={g.error}
        pending={g.pending}
        answered={g.answer !== null}
      />
      <div className="diag-cols">
        <div className="diag-table-wrap">
          {table ? <GumbelTable table={table} tau={shownTau} caption={caption} /> : null}
        </div>
        <SoftHardChart table={table} tau={shownTau} />
      </div>
      <p className="diag-caption">
        Lower τ and the soft sample y sharpens towards the hard one-hot; raise it and y spreads
        towards uniform. The hard sample, argmax(log π + g) over all codes, is an exact draw from π.
        A new draw changes g and so, sometimes, the winner.
      </p>
      <div className="diag-cols">
        <ScheduleChart history={state.scheduleHistory} />
        <TexBlock tex={math.tex} text={math.text} testId="gumbel-math" />
      </div>
    </Panel>
  );
}
