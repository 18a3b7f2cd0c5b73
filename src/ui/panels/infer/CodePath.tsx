/**
 * The path of the code across the latent plane during inference (2-D latents: the latent itself;
 * larger ones: the latent scatter's first two principal components), with where it started, where
 * it is now, and where the encoder puts the image in one shot.
 */
import { DIGIT_COLOURS, termColour } from '../../palette';

export interface CodePathProps {
  /** 2 numbers a step. */
  path: readonly number[];
  encoder: [number, number] | null;
  axes: string;
}

const S = 200;
const PAD = 12;

export function CodePath({ path, encoder, axes }: CodePathProps) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < path.length; i += 2) {
    xs.push(path[i]!);
    ys.push(path[i + 1]!);
  }
  if (encoder) {
    xs.push(encoder[0]);
    ys.push(encoder[1]);
  }
  const lo = Math.min(...xs, ...ys, -1);
  const hi = Math.max(...xs, ...ys, 1);
  const px = (v: number) => PAD + ((v - lo) / (hi - lo)) * (S - 2 * PAD);
  const py = (v: number) => S - PAD - ((v - lo) / (hi - lo)) * (S - 2 * PAD);
  const steps = Math.floor(path.length / 2);
  const pts = Array.from(
    { length: steps },
    (_, i) => `${px(path[2 * i]!).toFixed(1)},${py(path[2 * i + 1]!).toFixed(1)}`,
  ).join(' ');
  const fmt = (v: number) => v.toFixed(2).replace('-', '−');
  const now = steps > 0 ? [path[2 * steps - 2]!, path[2 * steps - 1]!] : null;
  return (
    <figure className="infer-chart">
      <svg
        viewBox={`0 0 ${S} ${S}`}
        width={S}
        height={S}
        role="img"
        aria-label={`Path of the code in the plane (${axes})`}
        data-testid="infer-path"
      >
        <rect x={0.5} y={0.5} width={S - 1} height={S - 1} className="infer-frame" />
        <line x1={px(0)} x2={px(0)} y1={PAD} y2={S - PAD} className="infer-axis" />
        <line y1={py(0)} y2={py(0)} x1={PAD} x2={S - PAD} className="infer-axis" />
        <polyline points={pts} fill="none" stroke={termColour('recon', 0)} strokeWidth={1.5} />
        {steps > 0 ? (
          <circle
            cx={px(path[0]!)}
            cy={py(path[1]!)}
            r={4}
            fill="none"
            stroke={DIGIT_COLOURS[9]}
            strokeWidth={1.5}
          />
        ) : null}
        {now ? (
          <circle cx={px(now[0]!)} cy={py(now[1]!)} r={4} fill={termColour('recon', 0)} />
        ) : null}
        {encoder ? (
          <rect
            x={px(encoder[0]) - 4}
            y={py(encoder[1]) - 4}
            width={8}
            height={8}
            fill={termColour('kl', 0)}
          />
        ) : null}
      </svg>
      <figcaption className="chart-summary">
        Axes {axes}. Open circle: the start; filled circle: the code now
        {now ? ` (${fmt(now[0]!)}, ${fmt(now[1]!)})` : ''}
        {encoder
          ? `; square: the encoder's code in one shot (${fmt(encoder[0])}, ${fmt(encoder[1])})`
          : ''}
        .
      </figcaption>
    </figure>
  );
}
