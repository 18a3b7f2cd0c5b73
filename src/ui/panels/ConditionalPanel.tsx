/**
 * The conditional VAE's own panel (lazy-loaded by the registry):
 *   "Sample a chosen class"       z ~ N(0, I) decoded given the class you pick, a grid;
 *   "Same style, every class"     one test digit's z, encoded with its own label, decoded with
 *                                 each of the K labels, a row: what z keeps is the style.
 * Class names come from the dataset where it has them (Fashion-MNIST), else the label numbers.
 */
import { useState } from 'react';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { sendSignal } from '../lessons/signals';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import type { LiveStep } from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

const SAMPLES = 16;
const COLUMNS = 8;

export interface ConditionalPanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  /** K label classes the model decodes given. */
  classes: number;
  /** The dataset's class names, when it has them. */
  classNames: readonly string[] | undefined;
  probeCount: number;
  labels: Uint8Array | null;
}

/** "3" for digits, "3 (Dress)" where the dataset names its classes. */
export function className(k: number, names: readonly string[] | undefined): string {
  const name = names?.[k];
  return name ? `${k} (${name})` : String(k);
}

export default function ConditionalPanel(p: ConditionalPanelProps) {
  const { heading, inspect, live, classes, classNames: names } = p;
  const [label, setLabel] = useState(0);
  const [seed, setSeed] = useState(1);
  const [probe, setProbe] = useState(0);
  const samples = useInspection(
    inspect,
    'conditionalSamples',
    { kind: 'conditionalSamples', label, count: SAMPLES, seed },
    `${live.key}|${label}|${seed}`,
  );
  const every = useInspection(
    inspect,
    'everyLabel',
    p.probeCount > 0 ? { kind: 'everyLabel', probe } : null,
    `${live.key}|${probe}`,
  );
  const step = live.step ?? 0;
  const samplesText = samples.answer
    ? `${SAMPLES} samples of class ${className(samples.answer.label, names)}: z drawn from N(0, I), decoded given the label, at step ${step} (seed ${seed}).`
    : 'Samples appear once the model answers.';
  const own = every.answer?.label;
  const everyText = every.answer
    ? `One test digit of class ${className(own!, names)} (left), its z decoded with each of the ${classes} labels, 0 to ${classes - 1} from left to right, at step ${step}.`
    : 'The row appears once the model answers.';
  return (
    <Panel {...heading}>
      <h3 className="gen-subhead">Sample a chosen class</h3>
      <div className="buttons gen-fields">
        <label className="field">
          Class
          <select
            data-testid="cond-class"
            value={label}
            onChange={(e) => {
              setLabel(Number(e.target.value));
              sendSignal('class-chosen');
            }}
          >
            {Array.from({ length: classes }, (_, k) => (
              <option key={k} value={k}>
                {className(k, names)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setSeed((s) => s + 1)}>
          New samples
        </button>
      </div>
      <figure className="gen-figure gen-fit" aria-busy={samples.pending}>
        <ImageGrid
          images={samples.answer?.images ?? null}
          columns={COLUMNS}
          label={samplesText}
          testId="cond-samples"
          scale={2}
        />
        <figcaption className="chart-summary">{samplesText}</figcaption>
      </figure>
      <GenerativeStatus
        error={samples.error}
        pending={samples.pending}
        hasAnswer={samples.answer !== null}
      />

      <h3 className="gen-subhead">Same style, every class</h3>
      <div className="buttons gen-fields">
        <label className="field">
          Test digit
          <select
            data-testid="cond-digit"
            value={probe}
            onChange={(e) => {
              setProbe(Number(e.target.value));
              sendSignal('style-digit-chosen');
            }}
          >
            {Array.from({ length: p.probeCount }, (_, i) => (
              <option key={i} value={i}>
                probe {i}: {className(p.labels?.[i] ?? 0, names)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <figure className="gen-figure gen-fit cond-row" aria-busy={every.pending}>
        <ImageGrid
          images={every.answer?.input ?? null}
          columns={1}
          label={`The test digit (class ${own === undefined ? '?' : className(own, names)}).`}
          testId="cond-input"
          scale={2}
        />
        <ImageGrid
          images={every.answer?.images ?? null}
          columns={classes}
          label={everyText}
          testId="cond-every"
          scale={2}
        />
        <figcaption className="chart-summary">{everyText}</figcaption>
      </figure>
      <GenerativeStatus
        error={every.error}
        pending={every.pending}
        hasAnswer={every.answer !== null}
      />
    </Panel>
  );
}
