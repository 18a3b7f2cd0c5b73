/**
 * The probe digits as a row of toggle buttons (one picks the digit for slot A or B of an
 * interpolation), plus "my drawing". Each button's name says what it does: "digit 7 (probe 3)
 * as A"; the pressed one is the current choice. Tab reaches the row, Enter/Space picks.
 */
import { useEffect, useRef } from 'react';
import type { ImageBatch } from '../../contracts/inspect';
import { drawImage } from './ImageGrid';
import type { DigitChoice } from './generative-digits';

function Thumb({ batch, index }: { batch: ImageBatch; index: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx) drawImage(ctx, batch, index, 0, 0);
  }, [batch, index]);
  return (
    <canvas
      ref={canvas}
      aria-hidden="true"
      width={batch.width}
      height={batch.height}
      className="gen-thumb-canvas"
    />
  );
}

export interface ProbePickerProps {
  /** "A" or "B": part of every button's name. */
  slot: string;
  probes: ImageBatch;
  labels: Uint8Array | null;
  value: DigitChoice;
  onChange: (choice: DigitChoice) => void;
  hasDrawing: boolean;
}

export function ProbePicker({
  slot,
  probes,
  labels,
  value,
  onChange,
  hasDrawing,
}: ProbePickerProps) {
  return (
    <div role="group" aria-label={`Digit ${slot}`} className="gen-picker">
      <span className="gen-picker-slot" aria-hidden="true">
        {slot}
      </span>
      {Array.from({ length: probes.count }, (_, i) => (
        <button
          key={i}
          type="button"
          className="gen-thumb"
          aria-pressed={value === i}
          aria-label={`digit ${labels?.[i] ?? '?'} (probe ${i}) as ${slot}`}
          onClick={() => onChange(i)}
        >
          <Thumb batch={probes} index={i} />
        </button>
      ))}
      <button
        type="button"
        className="gen-thumb gen-thumb-text"
        aria-pressed={value === 'drawing'}
        aria-label={`use my drawing as ${slot}`}
        title={hasDrawing ? undefined : 'Draw a digit in "Draw your own digit" first'}
        disabled={!hasDrawing}
        onClick={() => onChange('drawing')}
      >
        my drawing
      </button>
    </div>
  );
}
