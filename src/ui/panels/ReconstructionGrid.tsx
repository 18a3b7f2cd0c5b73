/** 16 fixed test digits (top row) and their reconstructions (bottom row), drawn on a canvas. */
import { useEffect, useRef } from 'react';

export interface ReconstructionGridProps {
  /** n × H·W grey levels 0..255. */
  originals: Uint8Array | null;
  /** n × H·W probabilities in [0, 1]. */
  reconstructions: Float32Array | null;
  height: number;
  width: number;
  step: number | null;
}

function drawTile(
  ctx: CanvasRenderingContext2D,
  pixels: ArrayLike<number>,
  offset: number,
  scale: number,
  x0: number,
  y0: number,
  h: number,
  w: number,
): void {
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    // MNIST ink is bright on dark; show dark ink on white paper.
    const v = 255 - Math.round(Math.min(1, Math.max(0, pixels[offset + i]! * scale)) * 255);
    img.data[4 * i] = v;
    img.data[4 * i + 1] = v;
    img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, x0, y0);
}

export function ReconstructionGrid({
  originals,
  reconstructions,
  height,
  width,
  step,
}: ReconstructionGridProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const n = originals ? originals.length / (height * width) : 0;
  const gap = 2;

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !originals) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    const P = height * width;
    for (let i = 0; i < n; i++) {
      const x = i * (width + gap);
      drawTile(ctx, originals, i * P, 1 / 255, x, 0, height, width);
      if (reconstructions) drawTile(ctx, reconstructions, i * P, 1, x, height + gap, height, width);
    }
  }, [originals, reconstructions, n, height, width]);

  const label = reconstructions
    ? `Top row: ${n} fixed test digits. Bottom row: the model's reconstructions (the decoded code, or posterior mean) at step ${step ?? 0}.`
    : `${n} fixed test digits; reconstructions appear after the first evaluation.`;
  return (
    <figure className="recon">
      <canvas
        ref={canvas}
        data-testid="reconstructions"
        role="img"
        aria-label={label}
        width={Math.max(1, n * (width + gap) - gap)}
        height={2 * height + gap}
      />
      <figcaption className="chart-summary">{label}</figcaption>
    </figure>
  );
}
