import { describe, expect, it } from 'vitest';
import { hoverLabel, nearestMarker } from '../../src/ui/plots/canvas-hover';
import { extentTrace, type MarkerLayout } from '../../src/ui/plots/canvas-markers';

/** A 400×300 chart whose plot area starts at (60, 10) and spans 300×200 px for x, y ∈ [−2, 2]. */
const layout: MarkerLayout = {
  width: 400,
  height: 300,
  xaxis: { _offset: 60, _length: 300, l2p: (v) => ((v + 2) / 4) * 300 },
  yaxis: { _offset: 10, _length: 200, l2p: (v) => ((2 - v) / 4) * 200 },
};
/** Chart pixels of data point (x, y) under `layout`. */
const at = (x: number, y: number): [number, number] => [
  60 + ((x + 2) / 4) * 300,
  10 + ((2 - y) / 4) * 200,
];

describe('nearestMarker', () => {
  it('finds the point a brute-force search over pixel distances finds', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2;
    const xs = Array.from({ length: 500 }, rnd);
    const ys = Array.from({ length: 500 }, rnd);
    const traces = [{ curveNumber: 3, trace: { x: xs, y: ys } }];
    for (let k = 0; k < 50; k++) {
      const [px, py] = at(rnd(), rnd());
      let best = -1;
      let bestD = Infinity;
      xs.forEach((x, i) => {
        const [qx, qy] = at(x, ys[i]!);
        const d = Math.hypot(qx - px, qy - py);
        if (d <= bestD) [best, bestD] = [i, d];
      });
      const hit = nearestMarker(layout, traces, px, py);
      if (bestD > 20) expect(hit).toBeNull();
      else {
        expect(hit?.curveNumber).toBe(3);
        expect(hit?.pointIndex).toBe(best);
        expect(
          Math.hypot(hit!.px - at(xs[best]!, ys[best]!)[0], hit!.py - at(xs[best]!, ys[best]!)[1]),
        ).toBeLessThan(1e-9);
      }
    }
  });

  it('ignores the pointer outside the plot area, points too far, gaps and hidden traces', () => {
    const trace = { x: [0, null, NaN, 1], y: [0, 1, 1, 1] };
    const [px, py] = at(0, 0);
    expect(nearestMarker(layout, [{ curveNumber: 0, trace }], px + 19, py)?.pointIndex).toBe(0);
    expect(nearestMarker(layout, [{ curveNumber: 0, trace }], px + 21, py)).toBeNull();
    expect(nearestMarker(layout, [{ curveNumber: 0, trace }], 30, py)).toBeNull(); // in the margin
    const [gx, gy] = at(0, 1); // where the null and NaN points would be
    expect(nearestMarker(layout, [{ curveNumber: 0, trace }], gx, gy)).toBeNull();
    const hidden = { ...trace, visible: 'legendonly' };
    expect(nearestMarker(layout, [{ curveNumber: 0, trace: hidden }], px, py)).toBeNull();
  });

  it('gives a tie to the later trace, which is drawn on top', () => {
    const a = { curveNumber: 0, trace: { x: [1], y: [1] } };
    const b = { curveNumber: 5, trace: { x: [1], y: [1] } };
    const [px, py] = at(1, 1);
    expect(nearestMarker(layout, [a, b], px, py)?.curveNumber).toBe(5);
  });
});

describe('hoverLabel', () => {
  it("writes a point's label from the hovertemplate", () => {
    const trace = {
      x: [0.5, -1.23456],
      y: [2, 3.14159],
      customdata: [7, 4],
      hovertemplate: 'digit %{customdata}<br>(%{x:.2f}, %{y:.3f})<extra>side</extra>',
    };
    expect(hoverLabel(trace, 1)).toBe('digit 4\n(-1.23, 3.142)');
    expect(hoverLabel({ ...trace, hovertemplate: '%{text}', text: ['a', 'b'] }, 0)).toBe('a');
    expect(hoverLabel({ x: [1], y: [2] }, 0)).toBe('(1, 2)');
  });
});

describe('extentTrace', () => {
  it('spans the finite points of the shown traces, and is null without any', () => {
    const t = extentTrace([
      { x: [1, -3, NaN, 2], y: [0, 5, 100, null] },
      { x: [50], y: [50], visible: 'legendonly' },
      { x: [0.5], y: [-1] },
    ]);
    expect(t?.x).toEqual([-3, 1]);
    expect(t?.y).toEqual([-1, 5]);
    expect(t?.hoverinfo).toBe('skip');
    expect(
      extentTrace([
        { x: [NaN], y: [1] },
        { x: [], y: [] },
      ]),
    ).toBeNull();
  });
});
