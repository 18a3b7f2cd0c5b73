/**
 * Walks between codes: the decoded path from digit A to digit B, linear
 *   z(t) = (1 − t)·z_A + t·z_B
 * and spherical (slerp, White 2016, https://arxiv.org/abs/1609.04468)
 *   z(t) = sin((1 − t)Ω)/sin Ω · z_A + sin(tΩ)/sin Ω · z_B,   cos Ω = ẑ_A·ẑ_B,
 * a bilinear grid between four corner digits, and for VQ-VAE the path of z_e before
 * quantisation next to the same path snapped to the codebook. Continuous latents and VQ-VAE.
 */
import { useMemo, useRef, useState } from 'react';
import type { DigitRef, ImageBatch } from '../../contracts/inspect';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { DigitSelect } from './DigitSelect';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import { ProbePicker } from './ProbePicker';
import {
  choiceKey,
  choiceName,
  toDigitRef,
  type DigitChoice,
  type Drawing,
  type LiveStep,
} from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';
import { sendSignal } from '../lessons/signals';
import { openingDigits } from './opening-digits';

const STEPS = [5, 7, 9, 11, 13] as const;
const GRID_SIZES = [5, 7, 9] as const;
const CORNER_NAMES = ['top left', 'top right', 'bottom left', 'bottom right'] as const;

export interface InterpolationPanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  probes: ImageBatch | null;
  labels: Uint8Array | null;
  drawing: Drawing | null;
  /** VQ-VAE: the z_e path before quantisation can be shown. */
  preQuantised: boolean;
}

function PathFigure({
  title,
  images,
  detail,
}: {
  title: string;
  images: ImageBatch;
  /** "from digit 7 (probe 3) to digit 1 (probe 5) at step 1200" */
  detail: string;
}) {
  const label = `${title}: ${images.count} decoded images ${detail}.`;
  return (
    <figure className="gen-path">
      <figcaption className="gen-path-title">{title}</figcaption>
      <ImageGrid images={images} columns={Math.max(1, images.count)} label={label} scale={2} />
    </figure>
  );
}

export function InterpolationPanel(props: InterpolationPanelProps) {
  const { heading, inspect, live, probes, labels, drawing, preQuantised } = props;
  const probeCount = probes?.count ?? 0;
  // The opening digits follow the probes once they arrive; a digit the user picked stays.
  const opening = useMemo(() => openingDigits(labels, probeCount), [labels, probeCount]);
  const [pickedA, setA] = useState<DigitChoice | null>(null);
  const [pickedB, setB] = useState<DigitChoice | null>(null);
  const [steps, setSteps] = useState<number>(9);
  const [gridN, setGridN] = useState<number>(7);
  const [pickedCorners, setCorners] = useState<(DigitChoice | null)[]>([null, null, null, null]);
  const a = pickedA ?? opening.path[0];
  const b = pickedB ?? opening.path[1];
  const corners = pickedCorners.map((c, i) => c ?? opening.corners[i]!);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportRoot = useRef<HTMLDivElement>(null);

  const refA = toDigitRef(a, drawing);
  const refB = toDigitRef(b, drawing);
  const path = useInspection(
    inspect,
    'interpolate',
    refA && refB ? { kind: 'interpolate', a: refA, b: refB, steps } : null,
    `${live.key}|${choiceKey(a, drawing)}|${choiceKey(b, drawing)}|${steps}`,
  );
  const cornerRefs = corners.map((c) => toDigitRef(c, drawing));
  const allCorners = cornerRefs.every((r): r is DigitRef => r !== null);
  const grid = useInspection(
    inspect,
    'bilinear',
    allCorners
      ? {
          kind: 'bilinear',
          corners: cornerRefs as [DigitRef, DigitRef, DigitRef, DigitRef],
          n: gridN,
        }
      : null,
    `${live.key}|${corners.map((c) => choiceKey(c, drawing)).join(',')}|${gridN}`,
  );

  const nameA = choiceName(a, labels);
  const nameB = choiceName(b, labels);
  const ans = path.answer;
  const stepText = `step ${live.step ?? 0}`;
  const detail = `from ${nameA} to ${nameB} at ${stepText}`;
  const setCorner = (i: number, c: DigitChoice) =>
    setCorners((cs) => cs.map((old, k) => (k === i ? c : old)));

  const onExport = () => {
    if (!exportRoot.current) return;
    setExportError(null);
    const root = exportRoot.current;
    import('./figure-export')
      .then((m) =>
        m.downloadFigure(
          root,
          `Latent Lab: interpolation from ${nameA} to ${nameB}, ${stepText}`,
          `interpolation-step-${live.step ?? 0}.png`,
          'png',
        ),
      )
      .catch((err: unknown) => setExportError(`Export failed: ${(err as Error).message}`));
  };

  return (
    <Panel {...heading}>
      {probes ? (
        <div className="gen-pickers">
          <ProbePicker
            slot="A"
            probes={probes}
            labels={labels}
            value={a}
            onChange={(c) => {
              setA(c);
              sendSignal('interp-endpoints-changed');
            }}
            hasDrawing={drawing !== null}
          />
          <ProbePicker
            slot="B"
            probes={probes}
            labels={labels}
            value={b}
            onChange={(c) => {
              setB(c);
              sendSignal('interp-endpoints-changed');
            }}
            hasDrawing={drawing !== null}
          />
        </div>
      ) : (
        <p className="chart-summary">Waiting for the test digits…</p>
      )}
      <div className="fields gen-fields">
        <label className="field">
          Steps
          <select value={steps} onChange={(e) => setSteps(Number(e.target.value))}>
            {STEPS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="gen-export" onClick={onExport} disabled={!ans}>
          Export PNG
        </button>
      </div>
      <div ref={exportRoot}>
        <div data-testid="interpolation" className="gen-fit" aria-busy={path.pending}>
          {ans ? (
            <>
              <p className="chart-summary">
                From {nameA} (left) to {nameB} (right) in {ans.linear.count} steps, decoded at{' '}
                {stepText}. In many dimensions a straight line between two codes passes nearer the
                origin than typical codes do (most of a Gaussian’s mass lies in a thin shell); slerp
                stays on that shell.
                {preQuantised
                  ? ' For VQ-VAE the last two rows compare interpolating z_e before quantisation with the same path snapped to the codebook.'
                  : ''}
              </p>
              <PathFigure title="Linear (lerp)" images={ans.linear} detail={detail} />
              <PathFigure title="Spherical (slerp)" images={ans.slerp} detail={detail} />
              {ans.preQuantised ? (
                <PathFigure
                  title="z_e before quantisation (decoded unquantised)"
                  images={ans.preQuantised}
                  detail={detail}
                />
              ) : null}
              {ans.quantised ? (
                <PathFigure
                  title="The same path quantised to the codebook"
                  images={ans.quantised}
                  detail={detail}
                />
              ) : null}
            </>
          ) : null}
        </div>
        <GenerativeStatus
          error={path.error}
          pending={path.pending}
          hasAnswer={ans !== null}
          waiting={refA && refB ? null : 'Draw a digit in "Draw your own digit" to use it here.'}
        />
        <h3 className="gen-subhead">Bilinear grid between four digits</h3>
        <div className="fields gen-fields">
          {CORNER_NAMES.map((name, i) => (
            <DigitSelect
              key={name}
              label={`Corner: ${name}`}
              value={corners[i]!}
              onChange={(c) => setCorner(i, c)}
              probeCount={probeCount}
              labels={labels}
              hasDrawing={drawing !== null}
            />
          ))}
          <label className="field">
            Grid
            <select value={gridN} onChange={(e) => setGridN(Number(e.target.value))}>
              {GRID_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s} × {s}
                </option>
              ))}
            </select>
          </label>
        </div>
        <figure className="gen-figure gen-fit" aria-busy={grid.pending}>
          <ImageGrid
            images={grid.answer?.images ?? null}
            columns={grid.answer?.n ?? gridN}
            label={
              grid.answer
                ? `${grid.answer.n}×${grid.answer.n} bilinear grid decoded at ${stepText}: corners ` +
                  corners.map((c, i) => `${CORNER_NAMES[i]} ${choiceName(c, labels)}`).join(', ')
                : 'The bilinear grid appears once the model answers.'
            }
            testId="bilinear"
            scale={2}
          />
          <figcaption className="chart-summary">
            {grid.answer
              ? `Codes mixed bilinearly between the four corners (${corners
                  .map((c, i) => `${CORNER_NAMES[i]}: ${choiceName(c, labels)}`)
                  .join('; ')}), ${stepText}.`
              : ''}
          </figcaption>
        </figure>
        <GenerativeStatus
          error={grid.error}
          pending={grid.pending}
          hasAnswer={grid.answer !== null}
          waiting={allCorners ? null : 'Draw a digit first to use it as a corner.'}
        />
      </div>
      <p role="status" className="gen-status gen-error">
        {exportError ?? ''}
      </p>
    </Panel>
  );
}
