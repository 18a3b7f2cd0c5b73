/**
 * A grid of decoded images on one canvas (dark ink on white, like a printed figure), with a
 * text alternative. Used by every panel that shows decoded digits (manifold, interpolation,
 * traversal, samples, codebook atlas). Tiles are drawn at `scale` CSS pixels per image pixel.
 */
import { useEffect, useRef } from 'react';
import type { ImageBatch } from '../../contracts/inspect';

export interface ImageGridProps {
  images: ImageBatch | null;
  columns: number;
  /** Accessible description of what the grid shows (its key facts). */
  label: string;
  testId?: string;
  /** Gap between tiles in image pixels. */
  gap?: number;
  /** CSS pixels per image pixel. */
  scale?: number;
}

/** Draws tile `i` of a batch at (x0, y0); intensities in [0, 1] become dark ink on white. */
export function drawImage(
  ctx: CanvasRenderingContext2D,
  batch: ImageBatch,
  i: number,
  x0: number,
  y0: number,
): void {
  const { height: h, width: w, pixels } = batch;
  const img = ctx.createImageData(w, h);
  const offset = i * h * w;
  for (let p = 0; p < h * w; p++) {
    const v = 255 - Math.round(Math.min(1, Math.max(0, pixels[offset + p]!)) * 255);
    img.data[4 * p] = v;
    img.data[4 * p + 1] = v;
    img.data[4 * p + 2] = v;
    img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, x0, y0);
}

export function ImageGrid({ images, columns, label, testId, gap = 2, scale = 2 }: ImageGridProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const h = images?.height ?? 28;
  const w = images?.width ?? 28;
  const count = images?.count ?? 0;
  const rows = Math.max(1, Math.ceil(count / Math.max(1, columns)));
  const cw = Math.max(1, columns * (w + gap) - gap);
  const ch = Math.max(1, rows * (h + gap) - gap);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    if (!images) return;
    for (let i = 0; i < images.count; i++) {
      const r = Math.floor(i / columns);
      const c = i % columns;
      drawImage(ctx, images, i, c * (w + gap), r * (h + gap));
    }
  }, [images, columns, gap, h, w]);

  return (
    <canvas
      ref={canvas}
      className="image-grid"
      data-testid={testId}
      data-count={count}
      role="img"
      aria-label={label}
      width={cw}
      height={ch}
      style={{ width: cw * scale, height: ch * scale, imageRendering: 'pixelated' }}
    />
  );
}
