/**
 * A log-scale slider: integer positions 0..steps of an <input type=range> map to values
 * min·(max/min)^(position/steps), so every factor of 10 takes the same travel.
 */
export interface LogScale {
  min: number;
  max: number;
  /** Number of slider steps from min to max. */
  steps: number;
}

/** The value at a slider position (clamped to 0..steps). */
export function logValue(position: number, s: LogScale): number {
  const t = Math.min(1, Math.max(0, position / s.steps));
  return s.min * Math.pow(s.max / s.min, t);
}

/** The nearest slider position of a value (clamped to min..max). */
export function logPosition(value: number, s: LogScale): number {
  if (!(value > 0)) return 0;
  const t = Math.log(value / s.min) / Math.log(s.max / s.min);
  return Math.round(Math.min(1, Math.max(0, t)) * s.steps);
}
