import { describe, expect, it } from 'vitest';
import { logPosition, logValue } from '../../src/ui/log-scale';

const S = { min: 0.05, max: 5, steps: 200 };

describe('log-scale slider', () => {
  it('maps the ends and the geometric middle', () => {
    expect(logValue(0, S)).toBeCloseTo(0.05, 12);
    expect(logValue(200, S)).toBeCloseTo(5, 12);
    expect(logValue(100, S)).toBeCloseTo(0.5, 12); // √(0.05 · 5)
  });

  it('takes the same travel for every factor of 10', () => {
    expect(logPosition(0.5, S) - logPosition(0.05, S)).toBe(
      logPosition(5, S) - logPosition(0.5, S),
    );
  });

  it('round-trips positions and clamps values outside the range', () => {
    for (let p = 0; p <= 200; p += 7) expect(logPosition(logValue(p, S), S)).toBe(p);
    expect(logPosition(0.001, S)).toBe(0);
    expect(logPosition(50, S)).toBe(200);
    expect(logPosition(0, S)).toBe(0);
    expect(logPosition(Number.NaN, S)).toBe(0);
    expect(logValue(-3, S)).toBeCloseTo(0.05, 12);
  });
});
