/**
 * The code map: for each probe digit, the code index chosen at every latent position, drawn as
 * a gridHeight × gridWidth grid of coloured cells with the index written in each (the same code
 * has the same colour everywhere), beside the digit itself. Each grid's accessible name lists
 * its indices row by row.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ImageBatch, InspectAnswer } from '../../contracts/inspect';
import { codeColour, inkOn } from '../code-palette';
import { codeRowsText } from '../code-usage';
import { ImageGrid } from './ImageGrid';

type CodeMapAnswer = Extract<InspectAnswer, { kind: 'codeMap' }>;

/** CSS pixels per cell: room for the longest index. */
function cellSize(K: number): number {
  const digits = String(Math.max(0, K - 1)).length;
  return Math.max(18, 7 * digits + 6);
}

function CodeGrid({
  indices,
  gridHeight: gh,
  gridWidth: gw,
  K,
  label,
}: {
  indices: Int32Array;
  gridHeight: number;
  gridWidth: number;
  K: number;
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const cell = cellSize(K);
  const cssW = gw * cell;
  const cssH = gh * cell;
  const dpr = typeof window === 'undefined' ? 1 : Math.min(3, window.devicePixelRatio || 1);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.font = `${Math.round(cell * 0.5)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < gh; r++) {
      for (let c = 0; c < gw; c++) {
        const k = indices[r * gw + c]!;
        const bg = codeColour(k, K);
        ctx.fillStyle = bg;
        ctx.fillRect(c * cell, r * cell, cell, cell);
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1;
        ctx.strokeRect(c * cell + 0.5, r * cell + 0.5, cell - 1, cell - 1);
        ctx.fillStyle = inkOn(bg);
        ctx.fillText(String(k), c * cell + cell / 2, r * cell + cell / 2 + 0.5);
      }
    }
  }, [indices, gh, gw, K, cell, cssW, cssH, dpr]);
  return (
    <canvas
      ref={canvas}
      className="diag-codegrid"
      role="img"
      aria-label={label}
      width={Math.round(cssW * dpr)}
      height={Math.round(cssH * dpr)}
      style={{ width: cssW, height: cssH }}
    />
  );
}

export function CodeMap({
  answer,
  probeImages,
  probeLabels,
  height,
  width,
}: {
  answer: CodeMapAnswer | null;
  /** RECON_COUNT × H·W grey levels (0–255) of the first probe digits. */
  probeImages: Uint8Array | null;
  probeLabels: Uint8Array | null;
  height: number;
  width: number;
}) {
  const P = height * width;
  const digits = useMemo(() => {
    if (!answer || !probeImages) return [];
    const count = answer.indices.length / Math.max(1, answer.positions);
    const out: ImageBatch[] = [];
    for (let i = 0; i < count && (i + 1) * P <= probeImages.length; i++) {
      const pixels = new Float32Array(P);
      for (let p = 0; p < P; p++) pixels[p] = probeImages[i * P + p]! / 255;
      out.push({ count: 1, height, width, pixels });
    }
    return out;
  }, [answer, probeImages, P, height, width]);
  if (!answer) return <div data-testid="code-map" className="diag-codemap" data-count={0} />;
  const { positions, gridHeight: gh, gridWidth: gw, codebookSize: K } = answer;
  const count = answer.indices.length / Math.max(1, positions);
  const items = [];
  for (let i = 0; i < count; i++) {
    const indices = answer.indices.subarray(i * positions, (i + 1) * positions);
    const digit = probeLabels?.[i];
    const name = `probe ${i}${digit === undefined ? '' : ` (a ${digit})`}`;
    const image = digits[i];
    items.push(
      <figure key={i} className="diag-codemap-item">
        <div className="diag-codemap-pair">
          {image ? (
            <ImageGrid images={image} columns={1} gap={0} scale={2} label={`Test digit ${name}`} />
          ) : null}
          <CodeGrid
            indices={indices}
            gridHeight={gh}
            gridWidth={gw}
            K={K}
            label={`Codes of ${name}, ${gh} × ${gw} positions, row by row: ${codeRowsText(indices, gh, gw)}`}
          />
        </div>
        <figcaption>{name}</figcaption>
      </figure>,
    );
  }
  return (
    <div
      data-testid="code-map"
      className="diag-codemap"
      data-count={count}
      role="group"
      aria-label={`Code map: the code index at each of the ${positions} positions for ${count} test digits, ${K} codes`}
    >
      {items}
    </div>
  );
}
