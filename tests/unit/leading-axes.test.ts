// The shared "sum over leading axes" rule (src/backends/shared/leading-axes) on its edge cases,
// and its output shape against TF.js's own sum on the cpu backend.
import { describe, expect, it } from 'vitest';
import { leadingAxes, reducedShape } from '../../src/backends/shared/leading-axes';
import { tf, useCpu } from './tf-setup';

describe('leadingAxes', () => {
  it('counts a leading block in any order, negative axes from the end', () => {
    expect(leadingAxes([0, 1, 2], [2, 3, 4, 5])).toBe(3);
    expect(leadingAxes([2, 0, -3], [2, 3, 4, 5])).toBe(3);
    expect(leadingAxes(0, [7, 5])).toBe(1);
    expect(leadingAxes([-2], [7, 5])).toBe(1);
    expect(leadingAxes([1, 0], [5, 7, 3])).toBe(2);
  });
  it('leaves every other case to the stock kernel', () => {
    expect(leadingAxes([], [7, 5])).toBeNull(); // nothing reduced
    expect(leadingAxes(0, [7])).toBeNull(); // rank 1: all axes
    expect(leadingAxes([0, 1], [7, 5])).toBeNull(); // all axes
    expect(leadingAxes(undefined, [7, 5])).toBeNull(); // all axes
    expect(leadingAxes([1, 2], [2, 3, 4])).toBeNull(); // trailing
    expect(leadingAxes([0, 2], [3, 4, 5])).toBeNull(); // not a block
    expect(leadingAxes([0, 0], [3, 4, 5])).toBeNull(); // repeated
    expect(leadingAxes([3], [3, 4, 5])).toBeNull(); // out of range
    expect(leadingAxes([-4], [3, 4, 5])).toBeNull(); // out of range
    expect(leadingAxes([0], [0, 4])).toBeNull(); // empty tensor
    expect(leadingAxes([0], [])).toBeNull(); // a scalar
  });
  it('gives the shape TF.js gives, with and without keepDims', async () => {
    await useCpu();
    const cases: [number[], number | number[]][] = [
      [
        [2, 3, 4, 5],
        [0, 1, 2],
      ],
      [[7, 5], 0],
      [
        [5, 7, 3],
        [1, 0],
      ],
      [
        [4, 6, 5],
        [-3, -2],
      ],
    ];
    for (const [shape, axis] of cases) {
      const r = leadingAxes(axis, shape)!;
      for (const keep of [false, true]) {
        const s = tf.tidy(() => tf.sum(tf.ones(shape), axis, keep).shape);
        expect(reducedShape(shape, r, keep), `${shape} ${axis} ${keep}`).toEqual(s);
      }
    }
  });
});
