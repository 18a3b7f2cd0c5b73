/**
 * The codebook atlas: each code decoded alone (every position set to code k), in order of code
 * index or most used first. Pointing at a tile names its code and how often it is used.
 */
import { useId, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ImageBatch } from '../../contracts/inspect';
import { usageByCount } from '../code-usage';
import { FigureDownloads } from './FigureDownloads';
import { ImageGrid } from './ImageGrid';

type AtlasOrder = 'index' | 'usage';

const GAP = 2;

/** The batch's tiles in the order of `codes`. */
function reorder(images: ImageBatch, codes: number[]): ImageBatch {
  const P = images.height * images.width;
  const pixels = new Float32Array(codes.length * P);
  codes.forEach((k, i) => pixels.set(images.pixels.subarray(k * P, (k + 1) * P), i * P));
  return { ...images, count: codes.length, pixels };
}

export function CodebookAtlas({
  images,
  usage,
}: {
  images: ImageBatch | null;
  /** Positions per code on the test digits (for the "most used first" order). */
  usage: number[] | null;
}) {
  const id = useId();
  const [order, setOrder] = useState<AtlasOrder>('index');
  const [hover, setHover] = useState<number | null>(null);
  const figure = useRef<HTMLDivElement>(null);
  const K = images?.count ?? 0;
  const codes = useMemo(() => {
    const byIndex = Array.from({ length: K }, (_, k) => k);
    return order === 'usage' && usage && usage.length === K
      ? usageByCount(usage).map((c) => c.code)
      : byIndex;
  }, [K, order, usage]);
  const shown = useMemo(
    () => (images && order === 'usage' ? reorder(images, codes) : images),
    [images, order, codes],
  );
  const columns = K <= 16 ? Math.max(1, K) : K <= 64 ? 16 : 32;
  const scale = K <= 64 ? 2 : 1;
  const h = images?.height ?? 28;
  const w = images?.width ?? 28;

  const onMove = (e: MouseEvent<HTMLDivElement>) => {
    const canvas = e.currentTarget.querySelector('canvas');
    if (!canvas) return;
    const box = canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - box.left) / ((w + GAP) * scale));
    const row = Math.floor((e.clientY - box.top) / ((h + GAP) * scale));
    const i = row * columns + col;
    setHover(col >= 0 && col < columns && row >= 0 && i < K ? codes[i]! : null);
  };
  const first = codes.slice(0, 3).map((k) => `code ${k}`);
  const label =
    K === 0
      ? 'Codebook atlas: waiting for the decoded codes.'
      : `Codebook atlas: all ${K} codes decoded alone (every position set to code k), ${columns} per row, ` +
        `${order === 'usage' ? 'most used first' : 'by code index'}: ${first.join(', ')}, … code ${codes[K - 1]}.`;
  return (
    <div className="diag-atlas">
      <div className="diag-bar">
        <label className="field" htmlFor={`${id}-order`}>
          Order the tiles
          <select
            id={`${id}-order`}
            value={order}
            onChange={(e) => setOrder(e.target.value as AtlasOrder)}
          >
            <option value="index">by code index</option>
            <option value="usage">most used first</option>
          </select>
        </label>
        <FigureDownloads
          target={figure}
          what="the codebook atlas"
          title={`Latent Lab: codebook atlas, ${K} codes`}
          fileBase="codebook-atlas"
          disabled={K === 0}
        />
        <p className="diag-note" aria-live="off">
          {hover === null
            ? 'Point at a tile to see its code.'
            : `code ${hover}${usage?.[hover] !== undefined ? ` · ${usage[hover]!.toLocaleString('en')} positions on the test digits` : ''}`}
        </p>
      </div>
      <div
        ref={figure}
        className="diag-atlas-canvas"
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      >
        <ImageGrid
          images={shown}
          columns={columns}
          gap={GAP}
          scale={scale}
          label={label}
          testId="codebook-atlas"
        />
      </div>
    </div>
  );
}
