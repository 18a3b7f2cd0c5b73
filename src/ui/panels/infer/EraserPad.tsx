/**
 * Erase part of a digit by hand: the digit drawn 8× larger, and a 3×3-pixel eraser moved by
 * mouse, pen or finger (Pointer Events, `touch-action: none`) or by keyboard (arrow keys move it,
 * Space or Enter erases under it). Erased pixels are tinted; `onChange` receives the visible
 * mask (1 visible, 0 erased) after each stroke.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

const ZOOM = 8;
/** The eraser covers pixels within this many of its centre (a 3×3 square). */
const REACH = 1;

export interface EraserPadProps {
  /** The digit as intensities in [0, 1], H·W row-major. */
  pixels: Float32Array | null;
  height: number;
  width: number;
  visible: Uint8Array<ArrayBuffer>;
  onChange: (visible: Uint8Array<ArrayBuffer>) => void;
}

export function EraserPad({ pixels, height, width, visible, onChange }: EraserPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [cursor, setCursor] = useState({ r: Math.floor(height / 2), c: Math.floor(width / 2) });
  const [focused, setFocused] = useState(false);
  /** The stroke in progress (committed on pointer up). */
  const [draft, setDraft] = useState<Uint8Array<ArrayBuffer> | null>(null);

  const shown = draft ?? visible;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++) {
        const p = r * width + c;
        const v = 255 - Math.round(Math.min(1, Math.max(0, pixels?.[p] ?? 0)) * 255);
        // Erased: the grey level mixed half and half with orange (#E69F00).
        ctx.fillStyle = shown[p]
          ? `rgb(${v},${v},${v})`
          : `rgb(${(v + 230) >> 1},${(v + 159) >> 1},${v >> 1})`;
        ctx.fillRect(c * ZOOM, r * ZOOM, ZOOM, ZOOM);
      }
    if (focused) {
      ctx.strokeStyle = '#0072B2';
      ctx.lineWidth = 2;
      const s = (2 * REACH + 1) * ZOOM;
      ctx.strokeRect((cursor.c - REACH) * ZOOM, (cursor.r - REACH) * ZOOM, s, s);
    }
  });

  const erase = (base: Uint8Array<ArrayBuffer>, r0: number, c0: number) => {
    const next = base.slice();
    for (let r = r0 - REACH; r <= r0 + REACH; r++)
      for (let c = c0 - REACH; c <= c0 + REACH; c++)
        if (r >= 0 && r < height && c >= 0 && c < width) next[r * width + c] = 0;
    return next;
  };

  const at = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(((e.clientX - box.left) / box.width) * width);
    const r = Math.floor(((e.clientY - box.top) / box.height) * height);
    return { r, c };
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const { r, c } = at(e);
    setDraft(erase(visible, r, c));
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!draft) return;
    const { r, c } = at(e);
    setDraft(erase(draft, r, c));
  };
  const onPointerUp = () => {
    if (!draft) return;
    setDraft(null);
    onChange(draft);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      setCursor(({ r, c }) => ({
        r: Math.min(height - 1, Math.max(0, r + move[0])),
        c: Math.min(width - 1, Math.max(0, c + move[1])),
      }));
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      onChange(erase(visible, cursor.r, cursor.c));
    }
  };

  let erased = 0;
  for (let p = 0; p < visible.length; p++) if (!visible[p]) erased++;
  return (
    <div className="infer-eraser">
      <canvas
        ref={canvas}
        width={width * ZOOM}
        height={height * ZOOM}
        tabIndex={0}
        role="img"
        aria-label={`Eraser over the digit: ${erased} of ${height * width} pixels erased. Drag to erase, or move with the arrow keys and press Space to erase.`}
        data-testid="infer-eraser"
        style={{ touchAction: 'none' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
      <button
        type="button"
        onClick={() => onChange(new Uint8Array(height * width).fill(1))}
        disabled={erased === 0}
      >
        Undo all erasing
      </button>
    </div>
  );
}
