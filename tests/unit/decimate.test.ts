import { describe, expect, it } from 'vitest';
import { appendBounded, withoutFlatRuns, type Curves } from '../../src/core/decimate';

const empty = (): Curves => ({ steps: [], terms: {} });
const bounds = { capacity: 40, exact: 10 };

/** Appends steps first..last one at a time (as metrics arrive), with loss = f(step). */
function grow(s: Curves, first: number, last: number, f: (step: number) => number): Curves {
  for (let step = first; step <= last; step++)
    s = appendBounded(s, [step], { loss: [f(step)] }, bounds);
  return s;
}

describe('appendBounded', () => {
  it('keeps every point while under capacity, without changing its input', () => {
    const s0 = empty();
    const s1 = appendBounded(s0, [1, 2], { a: [10, 20], b: [1, 2] }, bounds);
    const s2 = appendBounded(s1, [3], { a: [30], b: [3] }, bounds);
    expect(s2).toEqual({ steps: [1, 2, 3], terms: { a: [10, 20, 30], b: [1, 2, 3] } });
    expect(s1.steps).toEqual([1, 2]);
    expect(s0.steps).toEqual([]);
  });

  it('stays within capacity however long it grows, with the latest points exact', () => {
    const s = grow(empty(), 1, 5000, (t) => 100 / t);
    expect(s.steps.length).toBeLessThanOrEqual(bounds.capacity);
    expect(s.terms.loss!.length).toBe(s.steps.length);
    expect(s.steps.slice(-bounds.exact)).toEqual(Array.from({ length: 10 }, (_, i) => 4991 + i));
    expect(s.terms.loss!.slice(-bounds.exact)).toEqual(
      s.steps.slice(-bounds.exact).map((t) => 100 / t),
    );
    expect(s.steps[0]).toBe(1); // the curve still starts where training started
    for (let i = 1; i < s.steps.length; i++) expect(s.steps[i]!).toBeGreaterThan(s.steps[i - 1]!);
  });

  it('keeps spikes and dips of the older part (min/max decimation)', () => {
    const f = (t: number) => (t === 777 ? 1e6 : t === 1234 ? -5 : 50 + (t % 7));
    const s = grow(empty(), 1, 4000, f);
    const v = s.terms.loss!;
    expect(Math.max(...v)).toBe(1e6);
    expect(Math.min(...v)).toBe(-5);
    // Every kept value is one of the real values (no averaging).
    for (const x of v) expect(x === 1e6 || x === -5 || (x >= 50 && x <= 56)).toBe(true);
  });

  it('keeps a diverged tail (NaN) as it is, and terms that are a prefix of the steps aligned', () => {
    let s = grow(empty(), 1, 300, (t) => (t > 295 ? NaN : t));
    expect(s.terms.loss!.slice(-5).every(Number.isNaN)).toBe(true);
    expect(s.terms.loss!.slice(0, -5).every(Number.isFinite)).toBe(true);
    // A term reported only at first (e.g. a diagnostic) stays a prefix of the steps.
    s = appendBounded(empty(), [1, 2, 3], { a: [1, 2, 3], early: [7, 8, 9] }, bounds);
    s = { steps: s.steps.concat([4, 5]), terms: { a: [1, 2, 3, 4, 5], early: [7, 8, 9] } };
    for (let t = 6; t <= 400; t++) s = appendBounded(s, [t], { a: [t], early: [] }, bounds);
    expect(s.steps.length).toBeLessThanOrEqual(bounds.capacity);
    expect(s.terms.a!.length).toBe(s.steps.length);
    expect(s.terms.early!.length).toBeGreaterThan(0);
    expect(s.terms.early!.length).toBeLessThan(s.steps.length);
    expect(s.terms.early!.every((v) => v >= 7 && v <= 9)).toBe(true);
  });
});

describe('withoutFlatRuns', () => {
  it('keeps the ends of flat stretches and every change', () => {
    expect(withoutFlatRuns([1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 0.5, 0.5, 0.5, 0.5])).toEqual({
      x: [1, 3, 4, 7],
      y: [1, 1, 0.5, 0.5],
    });
    expect(withoutFlatRuns([1, 2, 3], [1, 2, 3])).toEqual({ x: [1, 2, 3], y: [1, 2, 3] });
    expect(withoutFlatRuns([], [])).toEqual({ x: [], y: [] });
    expect(withoutFlatRuns([1], [4])).toEqual({ x: [1], y: [4] });
  });
});
