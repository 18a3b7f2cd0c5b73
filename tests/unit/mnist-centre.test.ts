import { describe, expect, it } from 'vitest';
import {
  centreLikeMnist,
  centreOfMass,
  inkBoundingBox,
  resampleArea,
} from '../../src/core/mnist-centre';

/** A w×h image with value `v` inside [x0, x1) × [y0, y1). */
function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number, v = 1) {
  const px = new Float32Array(w * h);
  for (let i = y0; i < y1; i++) for (let j = x0; j < x1; j++) px[i * w + j] = v;
  return px;
}

const mass = (px: ArrayLike<number>) => Array.from(px).reduce((a, v) => a + v, 0);

describe('inkBoundingBox / centreOfMass / resampleArea', () => {
  it('finds the half-open box of the ink and its continuous centre of mass', () => {
    const px = rect(10, 8, 2, 3, 5, 7);
    expect(inkBoundingBox(px, 10, 8)).toEqual({ x0: 2, y0: 3, x1: 5, y1: 7 });
    // Pixels 2..4 have centres 2.5..4.5 → 3.5; rows 3..6 → 5.
    expect(centreOfMass(px, 10, 8)).toEqual([3.5, 5]);
    expect(inkBoundingBox(new Float32Array(80), 10, 8)).toBeNull();
    expect(centreOfMass(new Float32Array(80), 10, 8)).toBeNull();
  });

  it('area averaging keeps the mean intensity (checked against a by-hand 4→2 halving)', () => {
    // 4×4 ramp, halved: each output is the mean of a 2×2 block.
    const src = Float32Array.from({ length: 16 }, (_, k) => k / 15);
    const out = resampleArea(src, 4, { x0: 0, y0: 0, x1: 4, y1: 4 }, 2, 2);
    const block = (i: number, j: number) =>
      (src[i * 4 + j]! + src[i * 4 + j + 1]! + src[(i + 1) * 4 + j]! + src[(i + 1) * 4 + j + 1]!) /
      4;
    expect(out[0]).toBeCloseTo(block(0, 0), 6);
    expect(out[1]).toBeCloseTo(block(0, 2), 6);
    expect(out[2]).toBeCloseTo(block(2, 0), 6);
    expect(out[3]).toBeCloseTo(block(2, 2), 6);
    // A non-integer ratio (7 → 3) keeps the mean too.
    const ramp = Float32Array.from({ length: 49 }, (_, k) => (k % 7) / 6);
    const r = resampleArea(ramp, 7, { x0: 0, y0: 0, x1: 7, y1: 7 }, 3, 3);
    expect(mass(r) / 9).toBeCloseTo(mass(ramp) / 49, 5);
  });
});

describe('centreLikeMnist', () => {
  it('moves a square drawn in a corner to the centre, its longer side scaled to 20 px', () => {
    // A 224×224 drawing pad (8× a 28-px field) with a 40×40 square in the top-left corner.
    const W = 224;
    const px = rect(W, W, 5, 8, 45, 48);
    const out = centreLikeMnist(px, W, W);
    expect(out.length).toBe(28 * 28);
    const [cx, cy] = centreOfMass(out, 28, 28)!;
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    const box = inkBoundingBox(out, 28, 28, 1e-6)!;
    const longer = Math.max(box.x1 - box.x0, box.y1 - box.y0);
    expect(longer).toBeGreaterThanOrEqual(20);
    expect(longer).toBeLessThanOrEqual(21); // sub-pixel placement may touch one more pixel
    // Mass: the square's area scales by (20/40)² and intensities are kept.
    expect(mass(out)).toBeCloseTo(mass(px) * (20 / 40) ** 2, 2);
    for (const v of out) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of out) expect(v).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('keeps the aspect ratio of a tall stroke and centres its mass, not its box', () => {
    // A 4-wide, 30-tall bar with a heavier blob at the bottom right (an "L"-like mass).
    const W = 64;
    const px = rect(W, W, 50, 2, 54, 32);
    for (let i = 26; i < 32; i++) for (let j = 54; j < 62; j++) px[i * W + j] = 1;
    const out = centreLikeMnist(px, W, W);
    const [cx, cy] = centreOfMass(out, 28, 28)!;
    expect(cx).toBeCloseTo(14, 4);
    expect(cy).toBeCloseTo(14, 4);
    const box = inkBoundingBox(out, 28, 28, 1e-6)!;
    // Height 30 → 20; width 12 → 8 (aspect kept), ±1 for the sub-pixel shift.
    expect(box.y1 - box.y0).toBeGreaterThanOrEqual(20);
    expect(box.y1 - box.y0).toBeLessThanOrEqual(21);
    expect(box.x1 - box.x0).toBeGreaterThanOrEqual(8);
    expect(box.x1 - box.x0).toBeLessThanOrEqual(9);
  });

  it('scales up a small drawing (a 28-px pad) and keeps intensities in [0, 1]', () => {
    const px = rect(28, 28, 20, 20, 25, 27, 0.8);
    const out = centreLikeMnist(px, 28, 28);
    const [cx, cy] = centreOfMass(out, 28, 28)!;
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...out)).toBeLessThanOrEqual(0.8 + 1e-6);
    // 5×7 → 14×20: mass grows by the area ratio, intensity kept.
    expect(mass(out)).toBeCloseTo(0.8 * 14 * 20, 1);
  });

  it('leaves an empty drawing empty (no NaN) and ignores ink below the threshold', () => {
    const out = centreLikeMnist(new Float32Array(224 * 224), 224, 224);
    expect(out.length).toBe(784);
    expect(out.every((v) => v === 0)).toBe(true);
    const faint = rect(28, 28, 0, 0, 28, 28, 0.01);
    const outFaint = centreLikeMnist(faint, 28, 28, { inkThreshold: 0.02 });
    expect(outFaint.every((v) => v === 0)).toBe(true);
    expect(centreLikeMnist(faint, 28, 28).some(Number.isNaN)).toBe(false);
  });
});
