/**
 * Editing by a latent direction (lazy-loaded): two groups of probe digits (two labels, the halves
 * below and above the median of slant, stroke width or ink mass, or picked by hand), the mean
 * difference of their codes d, and one digit's code moved along it: decode(z + t·d), a row for
 * t from −2 to 2 and a slider for any t.
 */
import { useState } from 'react';
import { MEASURE_NAMES, type DigitMeasure } from '../../../core/digit-measures';
import type { DirectionGroups, ImageBatch } from '../../../contracts/inspect';
import { sendSignal } from '../../lessons/signals';
import { useInspection, type Inspect } from '../../use-inspection';
import { DigitSelect } from '../DigitSelect';
import { GenerativeStatus } from '../GenerativeStatus';
import { ImageGrid } from '../ImageGrid';
import {
  choiceKey,
  choiceName,
  coord,
  sliceBatch,
  toDigitRef,
  type DigitChoice,
  type Drawing,
  type LiveStep,
} from '../generative-digits';
import './infer.css';

export interface EditPanelProps {
  inspect: Inspect;
  live: LiveStep;
  probes: ImageBatch | null;
  labels: Uint8Array | null;
  drawing: Drawing | null;
  /** Classes of the dataset's labels (10 for MNIST). */
  classes: number;
}

const ROW = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];

type By = DirectionGroups['by'];

export default function EditPanel({
  inspect,
  live,
  probes,
  labels,
  drawing,
  classes,
}: EditPanelProps) {
  const [by, setBy] = useState<By>('label');
  const [labelA, setLabelA] = useState(1);
  const [labelB, setLabelB] = useState(7);
  const [measure, setMeasure] = useState<DigitMeasure>('slant');
  const [handA, setHandA] = useState<number[]>([0, 1]);
  const [handB, setHandB] = useState<number[]>([2, 3]);
  const [digit, setDigit] = useState<DigitChoice>(0);
  const [t, setT] = useState(1);
  const probeCount = probes?.count ?? 0;

  const groups: DirectionGroups =
    by === 'label'
      ? { by, a: labelA, b: labelB }
      : by === 'measure'
        ? { by, measure }
        : { by, a: handA, b: handB };
  const ref = toDigitRef(digit, drawing);
  const { answer, error, pending } = useInspection(
    inspect,
    'direction',
    ref ? { kind: 'direction', groups, digit: ref, values: [...ROW, t] } : null,
    `${live.key}|${JSON.stringify(groups)}|${choiceKey(digit, drawing)}|${t}`,
  );
  const changed = () => sendSignal('edit-groups-changed');
  const toggle = (list: number[], set: (l: number[]) => void, i: number, on: boolean) => {
    set(on ? [...new Set([...list, i])].sort((p, q) => p - q) : list.filter((x) => x !== i));
    changed();
  };
  const labelOptions = Array.from({ length: classes }, (_, i) => (
    <option key={i} value={i}>
      {i}
    </option>
  ));
  const name = choiceName(digit, labels);
  const row = answer ? sliceBatch(answer.images, 0, ROW.length) : null;
  const single = answer ? sliceBatch(answer.images, ROW.length, 1) : null;

  return (
    <div className="infer-panel" data-testid="edit-panel">
      <div className="fields gen-fields">
        <label className="field">
          Groups by
          <select
            value={by}
            onChange={(e) => {
              setBy(e.target.value as By);
              changed();
            }}
            data-testid="edit-by"
          >
            <option value="label">label</option>
            <option value="measure">a measure of the pixels (median split)</option>
            <option value="hand">picked by hand</option>
          </select>
        </label>
        {by === 'label' ? (
          <>
            <label className="field">
              From digits (A)
              <select
                value={labelA}
                onChange={(e) => {
                  setLabelA(Number(e.target.value));
                  changed();
                }}
              >
                {labelOptions}
              </select>
            </label>
            <label className="field">
              To digits (B)
              <select
                value={labelB}
                onChange={(e) => {
                  setLabelB(Number(e.target.value));
                  changed();
                }}
              >
                {labelOptions}
              </select>
            </label>
          </>
        ) : null}
        {by === 'measure' ? (
          <label className="field">
            Measure (B above the median, A below)
            <select
              value={measure}
              onChange={(e) => {
                setMeasure(e.target.value as DigitMeasure);
                changed();
              }}
            >
              {(Object.keys(MEASURE_NAMES) as DigitMeasure[]).map((m) => (
                <option key={m} value={m}>
                  {MEASURE_NAMES[m]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <DigitSelect
          label="Digit to edit"
          value={digit}
          onChange={setDigit}
          probeCount={probeCount}
          labels={labels}
          hasDrawing={drawing !== null}
        />
      </div>
      {by === 'hand' ? (
        <div className="fields">
          {(
            [
              ['A', handA, setHandA],
              ['B', handB, setHandB],
            ] as const
          ).map(([g, list, set]) => (
            <fieldset key={g} className="edit-pick">
              <legend>Group {g}</legend>
              {Array.from({ length: probeCount }, (_, i) => (
                <label key={i}>
                  <input
                    type="checkbox"
                    checked={list.includes(i)}
                    onChange={(e) => toggle(list, set, i, e.target.checked)}
                  />
                  {i}: {labels?.[i] ?? '?'}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      ) : null}
      <div className="gen-row gen-fit" data-testid="edit-row" aria-busy={pending}>
        <span className="gen-row-label">t</span>
        <ImageGrid
          images={row}
          columns={ROW.length}
          scale={2}
          label={`${name} moved along the direction, t from ${coord(ROW[0])} to ${coord(ROW[ROW.length - 1])}`}
        />
      </div>
      <div className="fields gen-fields edit-slider">
        <label className="field">
          t = {coord(t)}
          <input
            type="range"
            min={-3}
            max={3}
            step={0.25}
            value={t}
            onChange={(e) => {
              setT(Number(e.target.value));
              sendSignal('edit-slider-moved');
            }}
            data-testid="edit-slider"
          />
        </label>
        <ImageGrid
          images={single}
          columns={1}
          scale={4}
          label={`${name} at t = ${coord(t)}`}
          testId="edit-single"
        />
      </div>
      <p className="chart-summary" data-testid="edit-summary">
        {answer
          ? `d = mean code of ${answer.groups[1]} (${answer.sizes[1]} digits) − mean code of ${answer.groups[0]} (${answer.sizes[0]}); ‖d‖ = ${answer.norm.toFixed(2)}; codes ${answer.source === 'encoder' ? 'from the encoder' : 'found by inference (no encoder)'}. Each image decodes z + t·d for ${name}; step ${live.step ?? 0}.`
          : 'The edited digits appear once the model answers.'}
      </p>
      <GenerativeStatus
        error={error}
        pending={pending}
        hasAnswer={answer !== null}
        waiting={ref ? null : 'Draw a digit first to edit it.'}
      />
    </div>
  );
}
