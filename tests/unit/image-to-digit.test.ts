import { describe, expect, it } from 'vitest';
import { centreOfMass } from '../../src/core/mnist-centre';
import {
  digitFromRgba,
  greyFromRgba,
  inkFromGrey,
  labelFromPath,
} from '../../src/data/image-to-digit';

/** A w×h RGBA image: `ink(x, y)` true → colour `fg`, else `bg` (grey levels, opaque). */
function rgba(
  w: number,
  h: number,
  ink: (x: number, y: number) => boolean,
  fg: number,
  bg: number,
) {
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = ink(x, y) ? fg : bg;
      out.set([v, v, v, 255], 4 * (y * w + x));
    }
  return out;
}

describe('greyFromRgba', () => {
  it('uses BT.601 luma and composites transparency over white', () => {
    const px = Uint8ClampedArray.from([255, 0, 0, 255, 0, 0, 0, 0]);
    const g = greyFromRgba(px, 2, 1);
    expect(g[0]).toBeCloseTo(0.299, 3);
    expect(g[1]).toBeCloseTo(1, 6); // transparent black = white paper
  });
});

describe('inkFromGrey', () => {
  it('inverts a mostly bright image and stretches paper to 0, ink to 1', () => {
    const grey = Float32Array.from([0.9, 0.9, 0.9, 0.2]);
    const { ink, inverted } = inkFromGrey(grey);
    expect(inverted).toBe(true);
    expect(Array.from(ink).map((v) => +v.toFixed(3))).toEqual([0, 0, 0, 1]);
  });

  it('keeps light ink on dark as it is', () => {
    const { ink, inverted } = inkFromGrey(Float32Array.from([0, 0, 0, 1]));
    expect(inverted).toBe(false);
    expect(Array.from(ink)).toEqual([0, 0, 0, 1]);
  });
});

describe('digitFromRgba', () => {
  it('turns a dark-on-light scan into a centred MNIST-like digit', () => {
    // A black bar in the top-left corner of a 100×60 white page.
    const img = rgba(100, 60, (x, y) => x >= 5 && x < 15 && y >= 5 && y < 45, 0, 240);
    const d = digitFromRgba(img, 100, 60);
    expect(d.length).toBe(784);
    const com = centreOfMass(d, 28, 28)!;
    expect(com[0]).toBeCloseTo(14, 1);
    expect(com[1]).toBeCloseTo(14, 1);
    // Box scaled to 20 px tall: ink spans about rows 4..24.
    const rows = Array.from({ length: 28 }, (_, i) =>
      d.subarray(i * 28, i * 28 + 28).some((v) => v > 0),
    );
    expect(rows.filter(Boolean).length).toBeGreaterThanOrEqual(20);
    expect(rows.filter(Boolean).length).toBeLessThanOrEqual(22);
    expect(Math.max(...d)).toBe(255);
  });

  it('gives the same digit for light-on-dark and dark-on-light versions', () => {
    const shape = (x: number, y: number) => (x - 20) ** 2 + (y - 20) ** 2 < 80;
    const a = digitFromRgba(rgba(40, 40, shape, 255, 0), 40, 40);
    const b = digitFromRgba(rgba(40, 40, shape, 0, 255), 40, 40);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('gives an empty image for a blank page', () => {
    expect(
      Math.max(
        ...digitFromRgba(
          rgba(10, 10, () => false, 0, 200),
          10,
          10,
        ),
      ),
    ).toBe(0);
  });
});

describe('labelFromPath', () => {
  it('reads a one-digit parent folder', () => {
    expect(labelFromPath('digits/3/a.png')).toBe(3);
    expect(labelFromPath('mine.zip/train/0/x.jpg')).toBe(0);
    expect(labelFromPath('digits\\7\\a.png')).toBe(7);
    expect(labelFromPath('digits/12/a.png')).toBeNull();
    expect(labelFromPath('a.png')).toBeNull();
    expect(labelFromPath('cats/a.png')).toBeNull();
  });
});
