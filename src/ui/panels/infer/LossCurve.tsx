/**
 * The inference loss per step as a small SVG line chart on a log scale, with the encoder's
 * one-shot loss as a dashed level, and a sentence that says the same in words.
 */
import { termColour } from '../../palette';

export interface LossCurveProps {
  losses: readonly number[];
  /** The encoder's loss on the same pixels, if the model has an encoder. */
  encoder: number | null;
  unit: string;
}

const W = 320;
const H = 160;
const PAD = { left: 44, right: 8, top: 8, bottom: 24 };

export function LossCurve({ losses, encoder, unit }: LossCurveProps) {
  const values = losses.filter((v) => Number.isFinite(v) && v > 0);
  const levels = encoder !== null && encoder > 0 ? [...values, encoder] : values;
  const lo = Math.log10(Math.min(...levels, 1e9));
  const hi = Math.log10(Math.max(...levels, 1e-9));
  const span = hi - lo > 1e-6 ? hi - lo : 1;
  const n = Math.max(2, losses.length);
  const x = (i: number) => PAD.left + (i / (n - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) =>
    PAD.top + (1 - (Math.log10(Math.max(v, 1e-9)) - lo) / span) * (H - PAD.top - PAD.bottom);
  const points = losses
    .map((v, i) => (Number.isFinite(v) && v > 0 ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null))
    .filter(Boolean)
    .join(' ');
  const last = losses[losses.length - 1];
  return (
    <figure className="infer-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`Loss per inference step on a log scale (${unit})`}
        data-testid="infer-loss-chart"
      >
        <line
          x1={PAD.left}
          y1={H - PAD.bottom}
          x2={W - PAD.right}
          y2={H - PAD.bottom}
          className="infer-axis"
        />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="infer-axis" />
        {values.length > 0 ? (
          <>
            <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" className="infer-tick">
              {(10 ** hi).toPrecision(3)}
            </text>
            <text x={PAD.left - 4} y={H - PAD.bottom} textAnchor="end" className="infer-tick">
              {(10 ** lo).toPrecision(3)}
            </text>
            <text x={W - PAD.right} y={H - 6} textAnchor="end" className="infer-tick">
              step {losses.length - 1}
            </text>
          </>
        ) : null}
        {encoder !== null && encoder > 0 && values.length > 0 ? (
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(encoder)}
            y2={y(encoder)}
            stroke={termColour('kl', 0)}
            strokeDasharray="5 4"
            strokeWidth={1.5}
          />
        ) : null}
        <polyline points={points} fill="none" stroke={termColour('recon', 0)} strokeWidth={2} />
      </svg>
      <figcaption className="chart-summary" data-testid="infer-loss-summary">
        {losses.length === 0
          ? 'The loss per step appears when inference runs.'
          : `Loss (${unit}): ${losses[0]!.toFixed(2)} at step 0, ${last!.toFixed(2)} at step ${losses.length - 1}` +
            (encoder !== null
              ? `; the encoder's code in one shot: ${encoder.toFixed(2)} (dashed).`
              : '.')}
      </figcaption>
    </figure>
  );
}
