// The canvas line chart's pure parts: nice ticks (linear and log) checked against direct
// computation, tick labels, data ↔ pixel mapping and its inverse, ranges, the nearest-point
// lookups behind the read-out (against brute force), and the CSV of the shown curves.
import { describe, expect, it } from 'vitest';
import {
  fixedTicks,
  formatTick,
  linearTicks,
  logTicks,
  niceStep,
  tickLabels,
} from '../../src/ui/plots/nice-ticks';
import {
  allSteps,
  autoRange,
  fromPixel,
  lastAtOrBefore,
  nearestIndex,
  readAt,
  toPixel,
  type LineTrace,
  type Scale,
} from '../../src/ui/plots/line-chart-scale';
import { layoutChart } from '../../src/ui/plots/line-chart-draw';
import { curvesCsv } from '../../src/ui/plots/line-chart-csv';
import { readoutRows } from '../../src/ui/plots/line-chart-readout';

/** A seeded generator (mulberry32), so failures reproduce. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** m and k with v = m × 10^k, m in [1, 10). */
function mantissa(v: number): [number, number] {
  const k = Math.floor(Math.log10(v) + 1e-9);
  return [v / Math.pow(10, k), k];
}
const isNice = (v: number) => {
  const [m] = mantissa(v);
  return [1, 2, 5, 10].some((n) => Math.abs(m - n) < 1e-6);
};
/** Multiples of `step` in [lo, hi], counted one by one. */
function countMultiples(lo: number, hi: number, step: number): number {
  let n = 0;
  for (let k = Math.ceil(lo / step) - 1; k * step <= hi + step; k++) {
    const v = k * step;
    if (v >= lo - 1e-9 * step && v <= hi + 1e-9 * step) n++;
  }
  return n;
}
/** The nice step just below `step`. */
const niceBelow = (step: number) => {
  const [m, k] = mantissa(step);
  const p = Math.pow(10, k);
  return Math.round(m) === 1 ? 0.5 * p : Math.round(m) === 2 ? p : 2 * p;
};

describe('nice ticks', () => {
  it('niceStep is the least 1/2/5 × 10^k at or above its argument', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(1.01)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(6)).toBe(10);
    expect(niceStep(1000)).toBe(1000);
    expect(niceStep(0.03)).toBeCloseTo(0.05, 12);
  });

  it('linear: multiples of the least nice step with at most maxCount ticks, inside the range', () => {
    const r = rng(7);
    for (let trial = 0; trial < 500; trial++) {
      const scale = Math.pow(10, Math.floor(r() * 12) - 6);
      const lo = (r() - 0.5) * 100 * scale;
      const hi = lo + (0.01 + r() * 50) * scale;
      const maxCount = 2 + Math.floor(r() * 10);
      const ticks = linearTicks(lo, hi, maxCount);
      expect(ticks.length).toBeLessThanOrEqual(maxCount);
      if (maxCount >= 5) expect(ticks.length).toBeGreaterThanOrEqual(2);
      const tol = (hi - lo) * 1e-9;
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(lo - tol);
        expect(t).toBeLessThanOrEqual(hi + tol);
      }
      if (ticks.length < 2) continue;
      const step = ticks[1]! - ticks[0]!;
      expect(isNice(step)).toBe(true);
      for (let i = 1; i < ticks.length; i++)
        expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 9 - Math.log10(scale));
      for (const t of ticks) expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-6);
      // Every tick counted: no multiple left out, and a finer nice step would give too many.
      expect(ticks.length).toBe(countMultiples(lo, hi, step));
      expect(countMultiples(lo, hi, niceBelow(step))).toBeGreaterThan(maxCount);
    }
  });

  it('linear examples', () => {
    expect(linearTicks(0, 1000, 6)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(linearTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-0.3, 0.31, 4)).toEqual([-0.2, 0, 0.2]);
    expect(linearTicks(3, 3)).toEqual([3]);
    expect(fixedTicks(0, 2.5, 1)).toEqual([0, 1, 2]);
    expect(fixedTicks(0, 32.5, 4)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32]);
  });

  it('log: 1-2-5 per decade over a few decades, inside the range', () => {
    expect(logTicks(5, 600, 10)).toEqual([5, 10, 20, 50, 100, 200, 500]);
    expect(logTicks(0.8, 11, 10)).toEqual([1, 2, 5, 10]);
    const r = rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const lo = Math.pow(10, r() * 8 - 4);
      const hi = lo * Math.pow(10, 0.4 + r() * 6);
      const maxCount = 4 + Math.floor(r() * 8);
      const ticks = logTicks(lo, hi, maxCount);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(maxCount);
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(lo * (1 - 1e-9));
        expect(t).toBeLessThanOrEqual(hi * (1 + 1e-9));
      }
      // All 1-2-5 values of the range when they fit, else decades (1 × 10^k) only.
      const all: number[] = [];
      for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
        for (const m of [1, 2, 5]) {
          const v = m * Math.pow(10, k);
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) all.push(v);
        }
      if (all.length < 2) continue; // under a decade: linear ticks (next test)
      if (all.length <= maxCount) {
        expect(ticks.length).toBe(all.length);
        ticks.forEach((t, i) => expect(t / all[i]!).toBeCloseTo(1, 9));
      } else {
        // Decades only when two or more are in range; else some of the 1-2-5 values.
        const decades = all.filter((v) => Math.abs(mantissa(v)[0] - 1) < 1e-9);
        for (const t of ticks)
          if (decades.length >= 2) expect(mantissa(t)[0]).toBeCloseTo(1, 9);
          else expect(all.some((v) => Math.abs(v / t - 1) < 1e-9)).toBe(true);
      }
    }
  });

  it('log: decades only over many decades (every n-th when they crowd)', () => {
    expect(logTicks(1e-3, 1e4, 8)).toEqual([1e-3, 0.01, 0.1, 1, 10, 100, 1000, 1e4]);
    const wide = logTicks(1e-8, 1e8, 6);
    expect(wide.length).toBeLessThanOrEqual(6);
    for (const t of wide) expect(mantissa(t)[0]).toBeCloseTo(1, 9);
  });

  it('log inside less than a decade: linear nice ticks', () => {
    expect(logTicks(90, 130, 8)).toEqual([90, 100, 110, 120, 130]);
  });

  it('formats labels compactly', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(1200)).toBe('1.2k');
    expect(formatTick(1000)).toBe('1k');
    expect(formatTick(3_000_000)).toBe('3M');
    expect(formatTick(-1500)).toBe('−1.5k');
    expect(formatTick(0.05)).toBe('0.05');
    expect(formatTick(2e-5)).toBe('2e-5');
    expect(formatTick(123.456)).toBe('123.5');
    expect(formatTick(500)).toBe('500');
  });
});

describe('tick labels', () => {
  it('tell every tick apart, with no more digits than that takes', () => {
    // τ early in its anneal: a log axis over 0.99995 … 1 gets linear ticks 1e-5 apart, which
    // four significant digits would all label "1".
    const ticks = logTicks(0.99995, 1);
    expect(new Set(ticks.map((v) => formatTick(v))).size).toBe(1);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const labels = tickLabels(ticks);
    expect(new Set(labels).size).toBe(ticks.length);
    // Each label reads back as its tick to within half a tick step.
    const step = ticks[1]! - ticks[0]!;
    labels.forEach((l, i) => expect(Math.abs(Number(l) - ticks[i]!)).toBeLessThan(step / 2));
    // Ordinary ticks keep formatTick's compact labels.
    expect(tickLabels([0, 500, 1000, 1500])).toEqual(['0', '500', '1k', '1.5k']);
  });
});

describe('line chart mapping', () => {
  const lin: Scale = { type: 'linear', d0: -2, d1: 8, p0: 60, p1: 560 };
  const log: Scale = { type: 'log', d0: 1, d1: 1000, p0: 250, p1: 10 };

  it('linear: the direct formula, and back', () => {
    for (const v of [-2, 0, 3.3, 8, 11]) {
      expect(toPixel(lin, v)).toBeCloseTo(60 + ((v + 2) / 10) * 500, 9);
      expect(fromPixel(lin, toPixel(lin, v))).toBeCloseTo(v, 9);
    }
  });

  it('log: equal decades, ends on the ends, and back', () => {
    expect(toPixel(log, 1)).toBeCloseTo(250, 9);
    expect(toPixel(log, 1000)).toBeCloseTo(10, 9);
    expect(toPixel(log, 10)).toBeCloseTo(170, 9);
    expect(toPixel(log, 100) - toPixel(log, 10)).toBeCloseTo(toPixel(log, 10) - toPixel(log, 1), 9);
    expect(toPixel(log, Math.sqrt(10))).toBeCloseTo(210, 9);
    const r = rng(3);
    for (let i = 0; i < 100; i++) {
      const v = Math.pow(10, r() * 4 - 0.5);
      expect(fromPixel(log, toPixel(log, v)) / v).toBeCloseTo(1, 9);
    }
    expect(toPixel(log, 0)).toBe(Infinity);
    expect(Number.isNaN(toPixel(log, -1))).toBe(true);
  });

  it('ranges: padded 5 % (in decades on a log axis), from zero when asked', () => {
    expect(autoRange([0, 100], 'linear', false)).toEqual([-5, 105]);
    expect(autoRange([20, 100], 'linear', true, 0)).toEqual([0, 100]);
    const [a, b] = autoRange([10, 1000], 'log', false);
    expect(Math.log10(a)).toBeCloseTo(0.9, 9);
    expect(Math.log10(b)).toBeCloseTo(3.1, 9);
    expect(autoRange(null, 'linear', true)).toEqual([0, 1]);
  });

  it('layout: ticks inside each axis range, plot area inside the canvas', () => {
    const traces: LineTrace[] = [
      { name: 'a', x: [0, 100, 1900], y: [540, 200, 95], colour: '#000', width: 1 },
      { name: 'b', x: [0, 1900], y: [0, 1], colour: '#f00', width: 1, axis: 'y2' },
    ];
    const geo = layoutChart({
      width: 600,
      height: 300,
      traces,
      hidden: new Set(),
      xAxis: { title: 'step' },
      yAxis: { title: 'nats', type: 'log' },
      y2Axis: { title: 'β' },
      fontPx: 12,
    });
    expect(geo.area.left).toBeGreaterThan(0);
    expect(geo.area.right).toBeLessThan(600);
    expect(geo.x.d0).toBe(0);
    expect(geo.x.d1).toBe(1900);
    for (const t of geo.xTicks) expect(t).toBeLessThanOrEqual(1900);
    for (const t of geo.yTicks) {
      expect(t).toBeGreaterThanOrEqual(geo.y.d0);
      expect(t).toBeLessThanOrEqual(geo.y.d1);
    }
    expect(geo.y2?.d0).toBe(0);
    expect(geo.yTicks).toEqual([100, 200, 500]);
  });
});

describe('read-out lookups', () => {
  const bruteNearest = (xs: number[], x: number) => {
    let best = -1;
    for (let i = 0; i < xs.length; i++)
      if (best < 0 || Math.abs(xs[i]! - x) < Math.abs(xs[best]! - x)) best = i;
    return best;
  };

  it('nearestIndex and lastAtOrBefore agree with brute force', () => {
    const r = rng(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(r() * 20);
      const xs: number[] = [];
      let v = r() * 10;
      for (let i = 0; i < n; i++) xs.push((v += 0.5 + Math.floor(r() * 30)));
      const x = r() * (v + 20) - 10;
      expect(nearestIndex(xs, x)).toBe(bruteNearest(xs, x));
      let last = -1;
      xs.forEach((u, i) => u <= x && (last = i));
      expect(lastAtOrBefore(xs, x)).toBe(last);
    }
    expect(nearestIndex([0, 10], 5)).toBe(0); // ties: the earlier
  });

  const traces: LineTrace[] = [
    { name: 'train', x: [0, 10, 20, 30], y: [5, 4, 3, 2], colour: '#000', width: 1 },
    { name: 'test', x: [0, 25], y: [6, 2.5], colour: '#00f', width: 2, dash: 'dot' },
    { name: 'units', x: [0, 20], y: [1, 2], colour: '#0a0', width: 2, shape: 'hv' },
  ];

  it('reads each shown trace at a step: nearest point, or the held value of a step line', () => {
    expect(allSteps(traces, new Set())).toEqual([0, 10, 20, 25, 30]);
    expect(allSteps(traces, new Set([0]))).toEqual([0, 20, 25]);
    expect(readAt(traces, new Set(), 19)).toEqual([
      { name: 'train', x: 20, y: 3, colour: '#000' },
      { name: 'test', x: 25, y: 2.5, colour: '#00f' },
      { name: 'units', x: 0, y: 1, colour: '#0a0' },
    ]);
    expect(readAt(traces, new Set([1]), 10).map((r) => r.name)).toEqual(['train', 'units']);
    expect(readoutRows('step', traces, new Set([2]), 10).map((r) => r.text)).toEqual([
      'step 10',
      'train: 4',
      'test: 6 (at 0)',
    ]);
  });

  it('CSV: the x column, then one column per shown trace, empty where it has no point', () => {
    const csv = curvesCsv(
      'training step',
      [...traces, { ...traces[0]!, name: 'a, "b"' }],
      new Set([2]),
    );
    expect(csv).toBe(
      'training step,train,test,"a, ""b"""\n' + '0,5,6,5\n10,4,,4\n20,3,,3\n25,,2.5,\n30,2,,2\n',
    );
  });
});
