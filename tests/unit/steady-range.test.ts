import { describe, expect, it } from 'vitest';
import {
  REFIT_BELOW,
  STEADY_MARGIN,
  steadyExtentTrace,
  steadySpan,
  type SteadyExtent,
} from '../../src/ui/plots/steady-range';

describe('steadySpan', () => {
  it('fits the points with a margin of STEADY_MARGIN of their span on each side', () => {
    const [a, b] = steadySpan(null, -2, 3);
    expect(a).toBeCloseTo(-2 - 5 * STEADY_MARGIN, 12);
    expect(b).toBeCloseTo(3 + 5 * STEADY_MARGIN, 12);
  });

  it('keeps the same extent (the same object) while the points stay inside and fill it', () => {
    const kept = steadySpan(null, -2, 2); // [-2.4, 2.4] with a 10% margin
    expect(steadySpan(kept, -2.3, 2.35)).toBe(kept);
    expect(steadySpan(kept, -1.5, 1.5)).toBe(kept);
    expect(steadySpan(kept, 0, 2.4)).toBe(kept);
  });

  it('refits when a point leaves the extent, on either side', () => {
    const kept = steadySpan(null, -2, 2);
    const right = steadySpan(kept, -2, 2.5);
    expect(right).not.toBe(kept);
    expect(right[1]).toBeGreaterThan(2.5);
    expect(right[0]).toBeLessThan(-2);
    const left = steadySpan(kept, -2.41, 0);
    expect(left[0]).toBeCloseTo(-2.41 - 2.41 * STEADY_MARGIN, 12);
  });

  it('refits when the points shrink to under REFIT_BELOW of the extent', () => {
    const kept: readonly [number, number] = [-10, 10];
    // The fitted span 2·h·(1 + 2m) against 20: kept just above the threshold, refitted below.
    const h = (r: number) => (r * 20) / (2 * (1 + 2 * STEADY_MARGIN));
    expect(steadySpan(kept, -h(REFIT_BELOW) * 1.01, h(REFIT_BELOW) * 1.01)).toBe(kept);
    const small = steadySpan(kept, -h(REFIT_BELOW) * 0.99, h(REFIT_BELOW) * 0.99);
    expect(small).not.toBe(kept);
    expect(small[1] - small[0]).toBeLessThan(REFIT_BELOW * 20);
  });

  it('a cloud spreading 2% per evaluation refits about once per 10 evaluations, not each', () => {
    let kept = null as readonly [number, number] | null;
    let refits = 0;
    for (let e = 0; e < 100; e++) {
      const h = 1.02 ** e;
      const next = steadySpan(kept, -h, h);
      if (next !== kept) refits++;
      kept = next;
      expect(kept[0]).toBeLessThanOrEqual(-h);
      expect(kept[1]).toBeGreaterThanOrEqual(h);
    }
    // ln(7.2)/ln(1.02) ≈ 100 evaluations of growth, each refit leaving ln(1.2)/ln(1.02) ≈ 9 of room.
    expect(refits).toBeGreaterThan(5);
    expect(refits).toBeLessThan(15);
  });

  it('gives a point cloud of zero span a small extent around it', () => {
    const [a, b] = steadySpan(null, 3, 3);
    expect(a).toBeLessThan(3);
    expect(b).toBeGreaterThan(3);
    expect(b - a).toBeLessThan(1e-3);
  });
});

describe('steadyExtentTrace', () => {
  it('spans the kept extents of the shown points, updating them, and is null without points', () => {
    const kept: SteadyExtent = { x: null, y: null };
    const t = steadyExtentTrace(kept, [
      { x: [1, -3, NaN], y: [0, 5, 100] },
      { x: [50], y: [50], visible: 'legendonly' },
    ]);
    expect(t?.x).toEqual([...kept.x!]);
    expect(t?.y).toEqual([...kept.y!]);
    expect(kept.x![0]).toBeCloseTo(-3 - 0.4, 12);
    expect(kept.x![1]).toBeCloseTo(1 + 0.4, 12);
    expect(kept.y![0]).toBeCloseTo(0 - 0.5, 12);
    expect(t?.hoverinfo).toBe('skip');
    // The points move a little: the same extent.
    const again = steadyExtentTrace(kept, [{ x: [0.9, -2.8], y: [0.2, 4.9] }]);
    expect(again?.x).toEqual(t?.x);
    expect(again?.y).toEqual(t?.y);
    const before = { ...kept };
    expect(steadyExtentTrace(kept, [{ x: [NaN], y: [1] }])).toBeNull();
    expect(kept).toEqual(before);
  });
});

describe('steadyExtentTrace with shapes', () => {
  const circles = [1, 2].map((r) => ({ xref: 'x', yref: 'y', x0: -r, y0: -r, x1: r, y1: r }));

  it('counts shapes in data coordinates as points, and ignores those placed on the paper', () => {
    const kept: SteadyExtent = { x: null, y: null };
    steadyExtentTrace(
      kept,
      [{ x: [0.1, 0.2], y: [0, 3] }],
      [...circles, { xref: 'paper', yref: 'y', x0: -50, x1: 50, y0: 0, y1: 1 }],
    );
    // x: the 2σ circle [-2, 2] with 0.4 of margin; y: [-2, 3] with 0.5.
    expect(kept.x![0]).toBeCloseTo(-2.4, 12);
    expect(kept.x![1]).toBeCloseTo(2.4, 12);
    expect(kept.y![0]).toBeCloseTo(-2.5, 12);
    expect(kept.y![1]).toBeCloseTo(3.5, 12);
  });

  it('keeps one extent while a small cloud grows inside the circles (no refit per evaluation)', () => {
    const kept: SteadyExtent = { x: null, y: null };
    const first = steadyExtentTrace(kept, [{ x: [-0.01, 0.01], y: [-0.01, 0.01] }], circles);
    for (const h of [0.05, 0.2, 0.8, 1.5, 2.3]) {
      const t = steadyExtentTrace(kept, [{ x: [-h, h], y: [-h, h] }], circles);
      expect(t?.x).toEqual(first?.x);
      expect(t?.y).toEqual(first?.y);
    }
    // Without the circles, the same cloud refits as it grows.
    const bare: SteadyExtent = { x: null, y: null };
    const x0 = steadyExtentTrace(bare, [{ x: [-0.01, 0.01], y: [-0.01, 0.01] }])?.x;
    expect(steadyExtentTrace(bare, [{ x: [-0.8, 0.8], y: [-0.8, 0.8] }])?.x).not.toEqual(x0);
  });
});
