/**
 * A drawing pad for one digit: a 28×28 logical field shown 8× larger (224 canvas px, one per
 * CSS px), drawn with a round soft brush by mouse, pen or finger (Pointer Events with pointer
 * capture, `touch-action: none` so touch draws instead of scrolling), or by keyboard (arrow
 * keys move the pen, Space/Enter puts it down or lifts it). The ink is the canvas's alpha, so
 * `onInk` receives 224×224 intensities in [0, 1] after each stroke (null when empty).
 */
import {
  useCallback,
  useImperativeHandle,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type Ref,
} from 'react';
import { sendSignal } from '../lessons/signals';

export const LOGICAL = 28;
export const ZOOM = 8;
export const PAD_PX = LOGICAL * ZOOM; // 224
/** Brush radius in pad px (≈1.25 logical px: MNIST-like strokes after scaling to 20 px). */
const RADIUS = 10;
const SPACING = RADIUS / 4;

export interface DrawPadHandle {
  clear(): void;
  /** Replace the drawing by an image (row-major intensities in [0, 1], ink = 1). */
  load(pixels: ArrayLike<number>, height: number, width: number): void;
}

export interface DrawPadProps {
  handle?: Ref<DrawPadHandle>;
  onInk: (ink: Float32Array | null) => void;
  describedBy?: string;
}

function stamp(ctx: CanvasRenderingContext2D, x: number, y: number) {
  const g = ctx.createRadialGradient(x, y, 0, x, y, RADIUS);
  g.addColorStop(0, 'rgba(0,0,0,1)');
  g.addColorStop(0.5, 'rgba(0,0,0,0.8)');
  g.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.arc(x, y, RADIUS, 0, 2 * Math.PI);
  ctx.fill();
}

/** Stamps along the segment (x0, y0) → (x1, y1), excluding its start. */
function strokeTo(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number) {
  const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / SPACING));
  for (let k = 1; k <= n; k++) stamp(ctx, x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n);
}

/** Centre of logical pixel `v`, in pad px. */
const padOf = (v: number) => (v + 0.5) * ZOOM;

export function DrawPad({ handle, onInk, describedBy }: DrawPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  /** The pointer drawing now, and where it last was (pad px). */
  const stroke = useRef<{ id: number; x: number; y: number } | null>(null);
  /** Keyboard pen, in logical px. */
  const [pen, setPen] = useState<{ x: number; y: number; down: boolean; shown: boolean }>({
    x: LOGICAL / 2,
    y: LOGICAL / 2,
    down: false,
    shown: false,
  });

  const context = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;

  const emit = useCallback(() => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const { data } = ctx.getImageData(0, 0, PAD_PX, PAD_PX);
    const ink = new Float32Array(PAD_PX * PAD_PX);
    let any = false;
    for (let p = 0; p < ink.length; p++) {
      ink[p] = data[4 * p + 3]! / 255;
      if (ink[p]! > 0) any = true;
    }
    onInk(any ? ink : null);
  }, [onInk]);

  useImperativeHandle(
    handle,
    () => ({
      clear() {
        context()?.clearRect(0, 0, PAD_PX, PAD_PX);
        stroke.current = null;
        setPen((p) => ({ ...p, down: false }));
        onInk(null);
      },
      load(pixels, height, width) {
        const ctx = context();
        if (!ctx) return;
        const small = document.createElement('canvas');
        small.width = width;
        small.height = height;
        const sctx = small.getContext('2d');
        if (!sctx) return;
        const img = sctx.createImageData(width, height);
        for (let p = 0; p < width * height; p++)
          img.data[4 * p + 3] = Math.round(Math.min(1, Math.max(0, pixels[p]!)) * 255);
        sctx.putImageData(img, 0, 0);
        ctx.clearRect(0, 0, PAD_PX, PAD_PX);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(small, 0, 0, PAD_PX, PAD_PX);
        emit();
      },
    }),
    [emit, onInk],
  );

  const padPoint = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * PAD_PX) / Math.max(1, r.width),
      y: ((e.clientY - r.top) * PAD_PX) / Math.max(1, r.height),
    };
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const ctx = context();
    if (!ctx || stroke.current) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const { x, y } = padPoint(e);
    stroke.current = { id: e.pointerId, x, y };
    stamp(ctx, x, y);
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const s = stroke.current;
    const ctx = context();
    if (!s || s.id !== e.pointerId || !ctx) return;
    const { x, y } = padPoint(e);
    strokeTo(ctx, s.x, s.y, x, y);
    stroke.current = { id: s.id, x, y };
  };
  const endStroke = (e: PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.id !== e.pointerId) return;
    stroke.current = null;
    emit();
    sendSignal('drew-digit');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const move = moves[e.key];
    const ctx = context();
    if (!ctx) return;
    if (move) {
      e.preventDefault();
      const step = e.shiftKey ? 3 : 1;
      const x = Math.min(LOGICAL - 1, Math.max(0, pen.x + move[0] * step));
      const y = Math.min(LOGICAL - 1, Math.max(0, pen.y + move[1] * step));
      if (pen.down) strokeTo(ctx, padOf(pen.x), padOf(pen.y), padOf(x), padOf(y));
      setPen({ ...pen, x, y, shown: true });
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (pen.down) {
        emit();
        sendSignal('drew-digit'); // the stroke ends
      } else stamp(ctx, padOf(pen.x), padOf(pen.y));
      setPen({ ...pen, down: !pen.down, shown: true });
    } else if (e.key === 'Escape' && pen.down) {
      emit();
      setPen({ ...pen, down: false });
    }
  };
  const onBlur = () => {
    if (pen.down) emit();
    setPen({ ...pen, down: false, shown: false });
  };

  return (
    <div className="gen-pad">
      <canvas
        ref={canvas}
        data-testid="draw-canvas"
        data-logical-size={LOGICAL}
        width={PAD_PX}
        height={PAD_PX}
        tabIndex={0}
        role="application"
        aria-roledescription="drawing pad"
        aria-label={
          `Drawing pad, ${LOGICAL} × ${LOGICAL} pixels shown ${ZOOM}× larger. Draw a digit with ` +
          'a mouse, pen or finger. Keyboard: arrow keys move the pen (Shift: 3 pixels), Space ' +
          'puts it down or lifts it.'
        }
        aria-describedby={describedBy}
        className="gen-pad-canvas"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endStroke}
        onPointerCancel={endStroke}
        onLostPointerCapture={endStroke}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      {pen.shown ? (
        <span
          aria-hidden="true"
          className={pen.down ? 'gen-pen gen-pen-down' : 'gen-pen'}
          style={{ left: padOf(pen.x), top: padOf(pen.y) }}
        />
      ) : null}
      <p className="gen-pen-state">
        {pen.shown ? `Keyboard pen ${pen.down ? 'down' : 'up'} at (${pen.x}, ${pen.y}).` : ''}
      </p>
    </div>
  );
}
