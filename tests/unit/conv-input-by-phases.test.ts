// Conv2DBackpropInput composed as one stride-1 Conv2D per sub-pixel phase
// (src/backends/shared/conv-input-by-phases), run here with the cpu backend's own kernels (the webgl version
// composes webgl's kernels the same way; webgl does not exist in Node), checked against the
// stock cpu Conv2DBackpropInput kernel, with no tensor left behind.
import { describe, expect, it } from 'vitest';
import {
  Conv2DBackpropInput,
  getKernel,
  type KernelBackend,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropInputByPhases } from '../../src/backends/shared/conv-input-by-phases';
import { tf, useCpu } from './tf-setup';
import { seededValues as values } from './seeded';

type Shape4 = [number, number, number, number];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

// [dX shape (the forward conv's input), W shape [KH,KW,Ci,Co], stride, pad]
const CASES: [Shape4, Shape4, number, 'same' | 'valid'][] = [
  [[2, 14, 14, 8], [3, 3, 8, 16], 2, 'same'], // convT t1 / conv c2 ∂x
  [[2, 28, 28, 4], [3, 3, 4, 8], 2, 'same'], // convT t2
  [[2, 28, 28, 8], [3, 3, 8, 1], 1, 'same'], // decoder out ∂x
  [[2, 7, 7, 8], [1, 1, 8, 4], 1, 'same'], // 1×1
  [[2, 9, 11, 3], [3, 2, 3, 5], 2, 'valid'], // odd sizes, a leftover row
  [[1, 8, 7, 2], [5, 5, 2, 3], 3, 'same'],
  [[1, 9, 9, 2], [2, 2, 2, 3], 3, 'valid'], // K < s: phases without taps
  [[1, 10, 10, 2], [4, 4, 2, 3], 2, 'same'], // even kernel
];

describe('conv2DBackpropInputByPhases', () => {
  it.each(CASES)(
    'dX %j, W %j, stride %i, %s: matches the stock cpu kernel',
    async (xs, ws, s, pad) => {
      await useCpu();
      const backend = tf.backend() as KernelBackend;
      const out = tf.conv2d(tf.zeros(xs) as tf.Tensor4D, tf.zeros(ws) as tf.Tensor4D, s, pad)
        .shape as Shape4;
      const dy = tf.tensor4d(values(size(out), 5), out);
      const filter = tf.tensor4d(values(size(ws), 9), ws);
      const attrs = { strides: [s, s], pad, dataFormat: 'NHWC', inputShape: xs };
      const args = { inputs: { dy, filter }, backend, attrs };
      const stock = getKernel(Conv2DBackpropInput, 'cpu')!.kernelFunc(args as never) as TensorInfo;
      const before = backend.numDataIds();
      const ours = conv2DBackpropInputByPhases('cpu')(args as never) as TensorInfo;
      expect(backend.numDataIds()).toBe(before + 1);
      expect(ours.shape).toEqual(xs);
      const want = backend.readSync(stock.dataId) as Float32Array;
      const got = backend.readSync(ours.dataId) as Float32Array;
      let maxErr = 0;
      for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i]! - want[i]!));
      expect(maxErr).toBeLessThan(1e-5 * ws[0] * ws[1] * ws[3]);
      backend.disposeData(stock.dataId);
      backend.disposeData(ours.dataId);
      tf.dispose([dy, filter]);
    },
  );

  it('hands NCHW to the fallback kernel', async () => {
    await useCpu();
    let called = 0;
    const kernel = conv2DBackpropInputByPhases('cpu', () => {
      called++;
      return { dataId: {}, shape: [], dtype: 'float32' };
    });
    const backend = tf.backend();
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', inputShape: [1, 1, 4, 4] };
    const dy = tf.zeros([1, 1, 4, 4]);
    const filter = tf.zeros([3, 3, 1, 1]);
    kernel({ inputs: { dy, filter }, backend, attrs } as never);
    expect(called).toBe(1);
    tf.dispose([dy, filter]);
  });
});
