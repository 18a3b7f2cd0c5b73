/**
 * New images from the model's generative side: prior samples for a VAE, a Gaussian fitted to
 * the codes for an AE, random codes for the discrete models (the answer names its source).
 * The seed is fixed until "New samples", so the grid changes because the model learns.
 */
import { useRef, useState } from 'react';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { FigureDownloads } from './FigureDownloads';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import type { LiveStep } from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';
import { sendSignal } from '../lessons/signals';

const COUNT = 32;
const COLUMNS = 8;

export function SamplesPanel({
  heading,
  inspect,
  live,
}: {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
}) {
  const [seed, setSeed] = useState(1);
  const figure = useRef<HTMLElement>(null);
  const { answer, error, pending } = useInspection(
    inspect,
    'samples',
    { kind: 'samples', count: COUNT, seed },
    `${live.key}|${seed}`,
  );
  const label = answer
    ? `${answer.images.count} samples from ${answer.source} at step ${live.step ?? 0} (seed ${seed}).`
    : 'Samples appear once the model answers.';
  return (
    <Panel {...heading}>
      <div className="buttons gen-fields">
        <button
          type="button"
          onClick={() => {
            setSeed((s) => s + 1);
            sendSignal('samples-refreshed');
          }}
        >
          New samples
        </button>
        <FigureDownloads
          target={figure}
          what="the samples"
          title={`Latent Lab: samples, step ${live.step ?? 0}`}
          fileBase={`samples-step-${live.step ?? 0}`}
          disabled={!answer}
        />
      </div>
      <figure ref={figure} className="gen-figure gen-fit" aria-busy={pending}>
        <ImageGrid
          images={answer?.images ?? null}
          columns={COLUMNS}
          label={label}
          testId="samples"
          scale={2}
        />
        <figcaption className="chart-summary">{label}</figcaption>
      </figure>
      <GenerativeStatus error={error} pending={pending} hasAnswer={answer !== null} />
    </Panel>
  );
}
