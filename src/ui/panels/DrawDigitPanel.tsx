/**
 * Draw your own digit: after each stroke the drawing is preprocessed like MNIST (ink box scaled
 * to 20 px, centre of mass at the centre of 28×28; src/core/mnist-centre.ts) and encoded. The
 * panel shows what the model sees, its reconstruction and the digit's point in the latent
 * plane, re-encoded at every evaluation so it follows training. The drawing is shared with the
 * other generative panels ("my drawing") and its point with the latent scatter.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { centreLikeMnist } from '../../core/mnist-centre';
import type { ImageBatch } from '../../contracts/inspect';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { DrawPad, PAD_PX, type DrawPadHandle } from './DrawPad';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import { coord, singleImage, type Drawing, type LiveStep } from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

/** Soft-brush fringes below this are paper when finding the ink's box. */
const INK_THRESHOLD = 0.05;

export interface DrawDigitPanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  probes: ImageBatch | null;
  labels: Uint8Array | null;
  drawing: Drawing | null;
  /** The preprocessed drawing (null when cleared). */
  onDrawing: (pixels: Float32Array | null) => void;
  /** The drawing's point in the latent plane (null when there is none). */
  onDrawnPoint?: (p: [number, number] | null) => void;
}

export function DrawDigitPanel(props: DrawDigitPanelProps) {
  const { heading, inspect, live, probes, labels, drawing, onDrawing, onDrawnPoint } = props;
  const pad = useRef<DrawPadHandle>(null);
  const [copied, setCopied] = useState('');

  const { answer, error, pending } = useInspection(
    inspect,
    'encode',
    drawing ? { kind: 'encode', digit: { pixels: drawing.pixels } } : null,
    `${live.key}|${drawing?.version ?? 0}`,
  );
  // A stale answer (the drawing was cleared) says nothing about the current drawing.
  const point = drawing && answer ? answer.point : null;

  // Tell the scatter, through a ref so a new callback identity does not re-send the point.
  const pointSink = useRef(onDrawnPoint);
  useEffect(() => {
    pointSink.current = onDrawnPoint;
  });
  useEffect(() => {
    pointSink.current?.(point);
  }, [point]);
  useEffect(() => () => pointSink.current?.(null), []);

  const onInk = (ink: Float32Array | null) => {
    const centred = ink
      ? centreLikeMnist(ink, PAD_PX, PAD_PX, { inkThreshold: INK_THRESHOLD })
      : null;
    onDrawing(centred && centred.some((v) => v > 0) ? centred : null);
  };

  const copy = (value: string) => {
    setCopied(value);
    if (value === '' || !probes) return;
    const i = Number(value);
    const p = probes.height * probes.width;
    pad.current?.load(probes.pixels.subarray(i * p, (i + 1) * p), probes.height, probes.width);
  };

  const input = useMemo(() => (drawing ? singleImage(drawing.pixels, 28, 28) : null), [drawing]);
  const where = point
    ? `Your digit is at (${coord(point[0])}, ${coord(point[1])}) in the latent plane at step ${live.step ?? 0}.`
    : drawing
      ? ''
      : 'Draw a digit to see where the model puts it.';

  return (
    <Panel {...heading}>
      <div className="gen-draw">
        <DrawPad handle={pad} onInk={onInk} describedBy="draw-help" />
        <div className="gen-draw-side">
          <div className="fields gen-fields">
            <button
              type="button"
              onClick={() => {
                setCopied('');
                pad.current?.clear();
              }}
            >
              Clear
            </button>
            <label className="field">
              Copy a test digit to draw on
              <select value={copied} onChange={(e) => copy(e.target.value)} disabled={!probes}>
                <option value="">(choose)</option>
                {Array.from({ length: probes?.count ?? 0 }, (_, i) => (
                  <option key={i} value={i}>
                    probe {i}: digit {labels?.[i] ?? '?'}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="gen-draw-pair">
            <figure className="gen-figure">
              <ImageGrid
                images={input}
                columns={1}
                scale={3}
                label={
                  input
                    ? 'Your digit as the model sees it: 28×28, ink box scaled to 20 px, centred by mass.'
                    : 'Nothing drawn yet.'
                }
              />
              <figcaption className="chart-summary">Model input</figcaption>
            </figure>
            <figure className="gen-figure" aria-busy={pending}>
              <ImageGrid
                images={drawing ? (answer?.reconstruction ?? null) : null}
                columns={1}
                scale={3}
                label={
                  drawing && answer
                    ? `The model's reconstruction of your digit at step ${live.step ?? 0}.`
                    : 'No reconstruction yet.'
                }
              />
              <figcaption className="chart-summary">Reconstruction</figcaption>
            </figure>
          </div>
          <p className="gen-point" data-testid="drawn-point">
            {where}
          </p>
          <GenerativeStatus
            error={drawing ? error : null}
            pending={pending}
            hasAnswer={answer !== null}
          />
        </div>
      </div>
      <p id="draw-help" className="chart-summary">
        Draw one digit large in the box, like a handwritten number. Each stroke is scaled and
        centred like MNIST (the box of the ink to 20 pixels, its centre of mass to the middle of
        28×28) before the model encodes it. Keyboard: focus the pad, move the pen with the arrow
        keys and press Space to put it down or lift it; or copy a test digit and change it.
      </p>
    </Panel>
  );
}
