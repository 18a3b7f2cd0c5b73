/**
 * The learned manifold (Kingma & Welling 2014, fig. 4): an n×n grid of decoded points of the
 * latent plane, spaced by the inverse Gaussian CDF so each cell holds equal prior mass. For a
 * latent of more than 2 dimensions the plane is the probe digits' first two principal
 * components, or two chosen dimensions (the others at 0). Continuous latents only.
 */
import { useRef, useState } from 'react';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { FigureDownloads } from './FigureDownloads';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import { coord, type LiveStep } from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';
import { sendSignal } from '../lessons/signals';

const SIZES = [8, 12, 16, 20] as const;
type Plane = 'pca' | 'dims';

export interface ManifoldPanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  latentDim: number;
}

export function ManifoldPanel({ heading, inspect, live, latentDim }: ManifoldPanelProps) {
  const [n, setN] = useState<number>(12);
  const [plane, setPlane] = useState<Plane>('pca');
  const [dimX, setDimX] = useState(0);
  const [dimY, setDimY] = useState(1);
  const figure = useRef<HTMLElement>(null);
  const many = latentDim > 2;
  // Keep chosen dimensions valid when the model (and its latent size) changes.
  const dx = Math.min(dimX, latentDim - 1);
  const dy = Math.min(dimY, latentDim - 1);
  const useDims = many && plane === 'dims' && dx !== dy;
  const dims: [number, number] | null = useDims ? [dx, dy] : null;

  const { answer, error, pending } = useInspection(
    inspect,
    'manifold',
    dims ? { kind: 'manifold', n, dims } : { kind: 'manifold', n },
    `${live.key}|${n}|${dims ? dims.join(',') : 'plane'}`,
  );

  const setX = (v: number) => {
    sendSignal('manifold-grid-changed');
    if (v === dy) setDimY(dx); // swap rather than pick the same dimension twice
    setDimX(v);
  };
  const setY = (v: number) => {
    sendSignal('manifold-grid-changed');
    if (v === dx) setDimX(dy);
    setDimY(v);
  };

  const an = answer?.n ?? 0;
  const label = answer
    ? `${an}×${an} grid of images decoded from points of the latent plane (axes ${answer.axes})` +
      ` at step ${live.step ?? 0}: columns from x = ${coord(answer.xs[0])} (left) to` +
      ` ${coord(answer.xs[an - 1])} (right), rows from y = ${coord(answer.ys[0])} (top) to` +
      ` ${coord(answer.ys[an - 1])} (bottom), spaced by the inverse Gaussian CDF.`
    : 'The manifold appears once the model answers.';
  // Fit the panel (about 540 px) without making small grids tiny.
  const gridPx = an * 30 - 2;
  const scale = gridPx > 0 ? Math.min(2, 540 / gridPx) : 1;

  const dimOptions = Array.from({ length: latentDim }, (_, d) => (
    <option key={d} value={d}>
      z{d + 1}
    </option>
  ));
  return (
    <Panel {...heading}>
      <div className="fields gen-fields">
        <label className="field">
          Grid
          <select
            value={n}
            onChange={(e) => {
              setN(Number(e.target.value));
              sendSignal('manifold-grid-changed');
            }}
          >
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s} × {s}
              </option>
            ))}
          </select>
        </label>
        {many ? (
          <>
            <label className="field">
              Plane
              <select
                value={plane}
                onChange={(e) => {
                  setPlane(e.target.value as Plane);
                  sendSignal('manifold-grid-changed');
                }}
              >
                <option value="pca">PCA plane (PC 1, PC 2)</option>
                <option value="dims">two latent dimensions</option>
              </select>
            </label>
            {plane === 'dims' ? (
              <>
                <label className="field">
                  x dimension
                  <select value={dx} onChange={(e) => setX(Number(e.target.value))}>
                    {dimOptions}
                  </select>
                </label>
                <label className="field">
                  y dimension
                  <select value={dy} onChange={(e) => setY(Number(e.target.value))}>
                    {dimOptions}
                  </select>
                </label>
              </>
            ) : null}
          </>
        ) : null}
        <FigureDownloads
          target={figure}
          what="the manifold"
          title={`Latent Lab: the learned manifold, ${an} × ${an}, step ${live.step ?? 0}`}
          fileBase={`manifold-step-${live.step ?? 0}`}
          disabled={!answer}
        />
      </div>
      <figure ref={figure} className="gen-figure gen-fit" aria-busy={pending}>
        <ImageGrid
          images={answer?.images ?? null}
          columns={Math.max(1, an)}
          label={label}
          testId="manifold"
          scale={scale}
        />
        <figcaption className="chart-summary">
          {label}
          {many && plane === 'dims' ? ' The other dimensions are held at 0 (the prior mean).' : ''}
        </figcaption>
      </figure>
      <GenerativeStatus error={error} pending={pending} hasAnswer={answer !== null} />
    </Panel>
  );
}
