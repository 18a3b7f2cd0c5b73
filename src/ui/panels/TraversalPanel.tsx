/**
 * Latent traversals (Higgins et al. 2017, β-VAE, fig. 1): start from one digit's code and vary
 * one dimension at a time from −3 to +3, the others fixed; one row per dimension. By default
 * the dimensions with the largest KL (those the model uses) or, before any KL is known, the
 * first eight. Continuous latents only.
 */
import { useMemo, useState } from 'react';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { DigitSelect } from './DigitSelect';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import {
  choiceKey,
  choiceName,
  coord,
  sliceBatch,
  toDigitRef,
  type DigitChoice,
  type Drawing,
  type LiveStep,
} from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';
import { sendSignal } from '../lessons/signals';

const RANGE = 3;
const STEPS = 9;
const DEFAULT_DIMS = 8;
const MAX_DIMS = 16;

/** The dims to show by default: the largest KL first, else the first ones. */
export function defaultTraversalDims(latentDim: number, kl: number[] | undefined): number[] {
  const k = Math.min(latentDim, DEFAULT_DIMS);
  if (!kl || kl.length !== latentDim) return Array.from({ length: k }, (_, d) => d);
  return Array.from({ length: latentDim }, (_, d) => d)
    .sort((p, q) => kl[q]! - kl[p]! || p - q)
    .slice(0, k);
}

export interface TraversalPanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  latentDim: number;
  /** Batch-mean KL per dimension at the latest evaluation (VAE), nats. */
  klPerDimension: number[] | undefined;
  probeCount: number;
  labels: Uint8Array | null;
  drawing: Drawing | null;
}

export function TraversalPanel(props: TraversalPanelProps) {
  const {
    heading,
    inspect,
    live,
    latentDim,
    klPerDimension: kl,
    probeCount,
    labels,
    drawing,
  } = props;
  const [digit, setDigit] = useState<DigitChoice>(0);
  /** null: follow the default (largest KL); else the user's choice, in index order. */
  const [chosen, setChosen] = useState<number[] | null>(null);
  const auto = defaultTraversalDims(latentDim, kl);
  const custom = chosen?.filter((d) => d < latentDim) ?? [];
  const dims = custom.length > 0 ? custom : auto;
  const ref = toDigitRef(digit, drawing);

  const { answer, error, pending } = useInspection(
    inspect,
    'traversal',
    ref ? { kind: 'traversal', digit: ref, dims, steps: STEPS, range: RANGE } : null,
    `${live.key}|${choiceKey(digit, drawing)}|${dims.join(',')}`,
  );

  const toggle = (d: number, on: boolean) => {
    sendSignal('traversal-dim-changed');
    const base = custom.length > 0 ? custom : auto;
    const next = on ? [...base, d] : base.filter((x) => x !== d);
    setChosen(next.length > 0 ? [...new Set(next)].sort((p, q) => p - q) : null);
  };

  // One batch per row, made once per answer (ImageGrid redraws when its batch changes).
  const rows = useMemo(
    () =>
      answer
        ? answer.dims.map((d, r) => ({
            dim: d,
            images: sliceBatch(answer.images, r * answer.values.length, answer.values.length),
          }))
        : [],
    [answer],
  );
  const name = choiceName(digit, labels);
  const values = answer?.values ?? [];
  const valuesText = values.map(coord).join(', ');
  const why =
    custom.length > 0
      ? 'the dimensions you chose'
      : kl && kl.length === latentDim
        ? `the ${auto.length} dimensions with the largest KL, largest first`
        : `the first ${auto.length} dimensions`;
  const summary = answer
    ? `Each row varies one latent dimension from ${coord(values[0])} to ` +
      `${coord(values[values.length - 1])} (${values.length} steps), the others held at the code of ` +
      `${name}; rows are ${why}; step ${live.step ?? 0}.`
    : 'The traversal appears once the model answers.';

  return (
    <Panel {...heading}>
      <div className="fields gen-fields">
        <DigitSelect
          label="Start from"
          value={digit}
          onChange={(d) => {
            setDigit(d);
            sendSignal('traversal-dim-changed');
          }}
          probeCount={probeCount}
          labels={labels}
          hasDrawing={drawing !== null}
        />
        <details className="gen-dims">
          <summary>
            Dimensions ({dims.length} shown{custom.length > 0 ? ', chosen' : ', automatic'})
          </summary>
          <fieldset>
            <legend>Dimensions to traverse (at most {MAX_DIMS})</legend>
            {Array.from({ length: latentDim }, (_, d) => {
              const on = dims.includes(d);
              return (
                <label key={d} className="gen-dim">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && dims.length >= MAX_DIMS}
                    onChange={(e) => toggle(d, e.target.checked)}
                  />
                  z{d + 1}
                  {kl?.[d] !== undefined ? ` (KL ${kl[d]!.toFixed(2)})` : ''}
                </label>
              );
            })}
            <button
              type="button"
              onClick={() => {
                setChosen(null);
                sendSignal('traversal-dim-changed');
              }}
              disabled={custom.length === 0}
            >
              Back to automatic
            </button>
          </fieldset>
        </details>
      </div>
      <div data-testid="traversal" className="gen-traversal gen-fit" aria-busy={pending}>
        {rows.map(({ dim, images }) => (
          <div key={dim} className="gen-row">
            <span className="gen-row-label">z{dim + 1}</span>
            <ImageGrid
              images={images}
              columns={values.length}
              label={`Dimension z${dim + 1} from ${coord(values[0])} to ${coord(values[values.length - 1])}`}
              scale={2}
            />
          </div>
        ))}
      </div>
      <p className="chart-summary">
        {summary}
        {answer ? ` Values: ${valuesText}.` : ''}
      </p>
      <GenerativeStatus
        error={error}
        pending={pending}
        hasAnswer={answer !== null}
        waiting={ref ? null : 'Draw a digit first to start from it.'}
      />
    </Panel>
  );
}
