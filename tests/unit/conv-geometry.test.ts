// The one conv-geometry helper (src/backends/shared/conv-geometry) against TF.js's own convs on
// the cpu backend: output shapes of conv2d for 'same' / 'valid' / explicit padding, strides,
// dilations and rounding, and the gradients' shapes (conv2dTranspose, both conv gradients).
import { describe, expect, it } from 'vitest';
import type {
  Conv2DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
} from '@tensorflow/tfjs-core';
import {
  conv2DInfo,
  filterGradInfo,
  inputGradInfo,
  matchesOutput,
} from '../../src/backends/shared/conv-geometry';
import { tf, useCpu } from './tf-setup';

type Shape4 = [number, number, number, number];
type Pad = Conv2DAttrs['pad'];

const explicit: Pad = [
  [0, 0],
  [1, 0],
  [2, 1],
  [0, 0],
];
// [x, W, strides, pad, dilations, dimRoundingMode]
const cases: [
  Shape4,
  Shape4,
  number | [number, number],
  Pad,
  number,
  'floor' | 'ceil' | undefined,
][] = [
  [[2, 28, 28, 1], [3, 3, 1, 32], 2, 'same', 1, undefined],
  [[2, 14, 14, 32], [3, 3, 32, 64], 2, 'same', 1, undefined],
  [[1, 15, 14, 4], [4, 3, 4, 5], [2, 1], 'valid', 1, undefined],
  [[3, 9, 10, 2], [2, 3, 2, 6], 1, explicit, 1, undefined],
  [[1, 17, 17, 3], [3, 3, 3, 2], 1, 'valid', 2, undefined],
  [[1, 16, 16, 3], [3, 3, 3, 2], [1, 1], 'same', 3, undefined],
  [[1, 7, 7, 3], [1, 1, 3, 8], 2, 'valid', 1, undefined],
  [[1, 8, 8, 2], [3, 3, 2, 2], 3, 1, 1, 'ceil'],
  [[1, 8, 8, 2], [3, 3, 2, 2], 3, 1, 1, 'floor'],
];

describe('conv geometry', () => {
  it.each(cases)(
    'conv %j * %j (strides %j, pad %j, dilation %d)',
    async (x, w, s, pad, d, round) => {
      await useCpu();
      const attrs: Conv2DAttrs = {
        strides: s,
        pad,
        dataFormat: 'NHWC',
        dilations: d,
        dimRoundingMode: round,
      };
      const info = conv2DInfo(x, w, attrs);
      const y = tf.tidy(() =>
        tf.conv2d(tf.ones(x) as tf.Tensor4D, tf.ones(w) as tf.Tensor4D, s, pad, 'NHWC', d, round),
      );
      expect(info.outShape).toEqual(y.shape);
      expect(info.inShape).toEqual(x);
      expect(info.filterShape).toEqual(w);
      expect(matchesOutput(y.shape, info)).toBe(true);
      expect(matchesOutput([...y.shape.slice(0, 3), y.shape[3] + 1], info)).toBe(false);
      if (d === 1) {
        // The gradients' geometry is the forward conv's: dX has X's shape, dW has W's.
        const inAttrs: Conv2DBackpropInputAttrs = { ...attrs, inputShape: x };
        const filterAttrs: Conv2DBackpropFilterAttrs = { ...attrs, filterShape: w };
        expect(inputGradInfo(w, inAttrs).outShape).toEqual(y.shape);
        expect(filterGradInfo(x, filterAttrs).outShape).toEqual(y.shape);
        const [dx, dw] = tf.tidy(() =>
          tf
            .grads((a: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad, 'NHWC', 1, round)),
            )([tf.ones(x), tf.ones(w)])
            .map((g) => g.shape),
        );
        expect(inputGradInfo(w, inAttrs).inShape).toEqual(dx);
        expect(filterGradInfo(x, filterAttrs).filterShape).toEqual(dw);
      }
      y.dispose();
    },
  );

  it('gives conv2dTranspose its input as the forward output', async () => {
    await useCpu();
    // conv2dTranspose [2,7,7,8] → [2,14,14,4] with W [3,3,4,8], stride 2 'same'.
    const info = inputGradInfo([3, 3, 4, 8], {
      strides: 2,
      pad: 'same',
      dataFormat: 'NHWC',
      inputShape: [2, 14, 14, 4],
      dimRoundingMode: undefined,
    });
    const y = tf.tidy(
      () =>
        tf.conv2dTranspose(
          tf.ones([2, 7, 7, 8]) as tf.Tensor4D,
          tf.ones([3, 3, 4, 8]) as tf.Tensor4D,
          [2, 14, 14, 4],
          2,
          'same',
        ).shape,
    );
    expect(info.outShape).toEqual([2, 7, 7, 8]);
    expect(info.inShape).toEqual(y);
  });
});
