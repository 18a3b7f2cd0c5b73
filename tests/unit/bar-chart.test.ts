// The canvas bar chart's pure parts (bar-chart-draw.ts): the bars' slots and rectangles against
// direct computation from the plot area, the value axis from zero with nice ticks, which category
// labels are written, the bar under a pixel (against a brute-force nearest-centre search), the
// CSV, and the read-out's words.
import { describe, expect, it } from 'vitest';
import {
  barAt,
  barBox,
  barCentre,
  barReadout,
  barsCsv,
  drawBarChart,
  layoutBars,
  type BarSpec,
} from '../../src/ui/plots/bar-chart-draw';
import { DEFAULT_COLOURS } from '../../src/ui/plots/line-chart-draw';
import { plotArea, toPixel } from '../../src/ui/plots/line-chart-scale';

const spec = (values: number[], width = 400, height = 240, fontPx = 12): BarSpec => ({
  width,
  height,
  labels: values.map((_, i) => `z${i + 1}`),
  values,
  xTitle: 'latent dimension',
  yTitle: 'KL (nats per image)',
  fontPx,
});

describe('layoutBars', () => {
  it('splits the plot area into equal slots with 15 % gaps, bars centred in them', () => {
    const s = spec([0.5, 2, 1, 0]);
    const geo = layoutBars(s);
    const area = plotArea(400, 240, 12, false);
    expect(geo.area).toEqual(area);
    const slot = (area.right - area.left) / 4;
    expect(geo.slot).toBeCloseTo(slot, 12);
    expect(geo.barWidth).toBeCloseTo(0.85 * slot, 12);
    for (let i = 0; i < 4; i++) {
      expect(barCentre(geo, i)).toBeCloseTo(area.left + (i + 0.5) * slot, 9);
      const b = barBox(geo, i, s.values[i]!);
      // The bar stands on zero (the bottom of the plot) and reaches its value.
      expect(b.top + b.height).toBeCloseTo(area.bottom, 9);
      expect(b.top).toBeCloseTo(toPixel(geo.y, s.values[i]!), 9);
      expect(b.left).toBeCloseTo(area.left + i * slot + 0.075 * slot, 9);
    }
    // Neighbouring bars do not touch: the gap between them is 15 % of a slot.
    const a = barBox(geo, 0, 1);
    const b = barBox(geo, 1, 1);
    expect(b.left - (a.left + a.width)).toBeCloseTo(0.15 * slot, 9);
  });

  it('puts the value axis from zero to the largest value plus 5 %, with nice ticks', () => {
    const geo = layoutBars(spec([0.5, 2.2, 1, 0]));
    expect(geo.y.d0).toBe(0);
    expect(geo.y.d1).toBeCloseTo(2.2 * 1.05, 12);
    expect(geo.yTicks[0]).toBe(0);
    expect(geo.yTicks.every((t) => t >= 0 && t <= geo.y.d1)).toBe(true);
    const steps = geo.yTicks.slice(1).map((t, i) => t - geo.yTicks[i]!);
    expect(steps.every((d) => Math.abs(d - steps[0]!) < 1e-9)).toBe(true);
    expect([0.1, 0.2, 0.5, 1]).toContain(steps[0]);
    // The tallest bar stays under the top of the plot.
    expect(barBox(geo, 1, 2.2).top).toBeGreaterThan(geo.area.top);
  });

  it('draws an empty chart (no bars, all bars at zero) on 0 … 1', () => {
    for (const values of [[], [0, 0, 0]]) {
      const geo = layoutBars(spec(values));
      expect([geo.y.d0, geo.y.d1]).toEqual([0, 1]);
      expect(barAt(geo, values.length, geo.area.left + 1, geo.area.bottom - 1)).toBe(
        values.length ? 0 : -1,
      );
    }
  });

  it('keeps non-finite values out of the axis range', () => {
    const geo = layoutBars(spec([1, NaN, Infinity, 3]));
    expect(geo.y.d1).toBeCloseTo(3.15, 12);
  });

  it('labels every category while they fit, else every k-th, never overlapping', () => {
    expect(layoutBars(spec([1, 2, 3, 4])).labelEvery).toBe(1);
    // 16 dimensions on a 600-px chart: all 16 labels.
    expect(
      layoutBars(
        spec(
          Array.from({ length: 16 }, () => 1),
          600,
        ),
      ).labelEvery,
    ).toBe(1);
    for (const [n, width] of [
      [16, 400],
      [32, 400],
      [64, 400],
      [64, 300],
      [64, 1200],
    ] as const) {
      const s = spec(
        Array.from({ length: n }, (_, i) => i),
        width,
      );
      const geo = layoutBars(s);
      const widest = 0.65 * 12 * `z${n}`.length;
      // Written labels (every labelEvery-th) are at least a label and half an em apart …
      expect(geo.labelEvery * geo.slot).toBeGreaterThanOrEqual(widest + 6 - 1e-9);
      // … and no sparser than that needs.
      if (geo.labelEvery > 1) expect((geo.labelEvery - 1) * geo.slot).toBeLessThan(widest + 6);
    }
  });
});

describe('barAt', () => {
  const s = spec([3, 1, 4, 1, 5, 9, 2, 6]);
  const geo = layoutBars(s);
  const n = s.values.length;

  it('finds the bar whose centre is nearest to the pointer, gaps included', () => {
    const { area } = geo;
    for (let px = area.left; px <= area.right; px += 0.7) {
      let best = 0;
      for (let i = 1; i < n; i++)
        if (Math.abs(barCentre(geo, i) - px) < Math.abs(barCentre(geo, best) - px)) best = i;
      const got = barAt(geo, n, px, (area.top + area.bottom) / 2);
      // On a slot boundary both neighbours are equally near.
      const centreGap = Math.abs(barCentre(geo, got) - px) - Math.abs(barCentre(geo, best) - px);
      expect(Math.abs(centreGap)).toBeLessThan(1e-9);
    }
  });

  it('is −1 outside the plot area', () => {
    const { area } = geo;
    const midY = (area.top + area.bottom) / 2;
    expect(barAt(geo, n, area.left - 1, midY)).toBe(-1);
    expect(barAt(geo, n, area.right + 1, midY)).toBe(-1);
    expect(barAt(geo, n, area.left + 5, area.top - 1)).toBe(-1);
    expect(barAt(geo, n, area.left + 5, area.bottom + 1)).toBe(-1);
    expect(barAt(geo, n, area.right, midY)).toBe(n - 1);
    expect(barAt(geo, 0, area.left + 5, midY)).toBe(-1);
  });
});

describe('barsCsv', () => {
  it('writes the axes as the header and one row per bar, in order, in full precision', () => {
    const csv = barsCsv('latent dimension', 'KL (nats per image)', ['z3', 'z1'], [2.25, 1 / 3]);
    expect(csv).toBe(`latent dimension,KL (nats per image)\nz3,2.25\nz1,${String(1 / 3)}\n`);
    const rows = csv.trim().split('\n');
    expect(Number(rows[2]!.split(',')[1])).toBe(1 / 3);
  });

  it('quotes fields that hold commas or quotes', () => {
    expect(barsCsv('a, b', 'say "x"', ['p,q'], [1])).toBe('"a, b","say ""x"""\n"p,q",1\n');
  });
});

describe('barReadout', () => {
  it('names the bar, its value and the unit', () => {
    expect(barReadout('z3', 0.123456, 'nats')).toBe('z3: 0.1235 nats');
    expect(barReadout('z1', 0)).toBe('z1: 0');
    expect(barReadout('z2', 2e-5, 'nats')).toBe('z2: 2e-5 nats');
  });
});

describe('drawBarChart', () => {
  /** A 2-D context that records the bars (fills in the bar colour) and the texts written. */
  function recorder() {
    const bars: number[][] = [];
    const texts: string[] = [];
    const ctx = new Proxy({ fillStyle: '' } as Record<string, unknown>, {
      get(t, k) {
        if (k === 'fillRect')
          return (x: number, y: number, w: number, h: number) => {
            if (t.fillStyle === '#0072B2') bars.push([x, y, w, h]);
          };
        if (k === 'fillText') return (s: string) => texts.push(s);
        if (k in t) return t[k as string];
        return () => {};
      },
      set(t, k, v) {
        t[k as string] = v;
        return true;
      },
    });
    return { ctx: ctx as unknown as CanvasRenderingContext2D, bars, texts };
  }

  it('fills one rectangle per finite value, at barBox, and writes the labels that fit', () => {
    const values = [1, NaN, 0.5, ...Array.from({ length: 29 }, (_, i) => i / 10)];
    const s = spec(values, 300);
    const geo = layoutBars(s);
    const { ctx, bars, texts } = recorder();
    drawBarChart(ctx, s, geo, 2, DEFAULT_COLOURS, '#0072B2', 'sans-serif');
    const finite = values.flatMap((v, i) => (isFinite(v) ? [i] : []));
    expect(bars).toHaveLength(finite.length);
    finite.forEach((i, k) => {
      const b = barBox(geo, i, values[i]!);
      expect(bars[k]).toEqual([b.left, b.top, b.width, b.height]);
    });
    expect(geo.labelEvery).toBeGreaterThan(1);
    const written = s.labels.filter((l) => texts.includes(l));
    expect(written).toEqual(s.labels.filter((_, i) => i % geo.labelEvery === 0));
    expect(texts).toContain('latent dimension');
    expect(texts).toContain('KL (nats per image)');
  });
});
