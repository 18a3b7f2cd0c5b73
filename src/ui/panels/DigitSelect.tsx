/** A labelled select of a starting digit: one of the probe digits, or the user's drawing. */
import type { DigitChoice } from './generative-digits';

export interface DigitSelectProps {
  label: string;
  value: DigitChoice;
  onChange: (choice: DigitChoice) => void;
  /** How many probe digits there are, and their labels. */
  probeCount: number;
  labels: Uint8Array | null;
  /** Offer "my drawing" (disabled until something is drawn). */
  drawingOption?: boolean;
  hasDrawing?: boolean;
}

export function DigitSelect({
  label,
  value,
  onChange,
  probeCount,
  labels,
  drawingOption = true,
  hasDrawing = false,
}: DigitSelectProps) {
  return (
    <label className="field">
      {label}
      <select
        value={String(value)}
        onChange={(e) =>
          onChange(e.target.value === 'drawing' ? 'drawing' : Number(e.target.value))
        }
      >
        {Array.from({ length: probeCount }, (_, i) => (
          <option key={i} value={i}>
            probe {i}: digit {labels?.[i] ?? '?'}
          </option>
        ))}
        {drawingOption ? (
          <option value="drawing" disabled={!hasDrawing}>
            my drawing{hasDrawing ? '' : ' (draw one first)'}
          </option>
        ) : null}
      </select>
    </label>
  );
}
