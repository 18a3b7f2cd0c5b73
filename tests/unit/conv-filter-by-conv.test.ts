// Conv2DBackpropFilter composed as one dilated forward Conv2D (src/backends/shared/conv-filter-by-conv), run
// here with the cpu backend's own kernels (the webgl version composes webgl's kernels the same
// way; webgl does not exist in Node), checked against the stock cpu Conv2DBackpropFilter kernel.
// Also: installWebglKernels swaps the webgl backend's two kernels and is idempotent.
import { describe, expect, it } from 'vitest';
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  type KernelBackend,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { conv2DBackpropFilterByConv } from '../../src/backends/shared/conv-filter-by-conv';
import { installWebglKernels } from '../../src/backends/webgl/webgl-kernels';
import { tf, useCpu } from './tf-setup';
import { seededValues as values } from './seeded';

type Shape4 = [number, number, number, number];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

// [x shape, filter shape, stride, pad]: the conv models' layers (small batch) and odd cases.
const CASES: [Shape4, Shape4, number, 'same' | 'valid'][] = [
  [[3, 28, 28, 1], [3, 3, 1, 8], 2, 'same'], // encoder c1
  [[2, 14, 14, 8], [3, 3, 8, 16], 2, 'same'], // encoder c2
  [[2, 28, 28, 8], [3, 3, 8, 16], 2, 'same'], // ∂W of convT t2 (roles as conv2dTranspose's grad)
  [[2, 28, 28, 8], [3, 3, 8, 1], 1, 'same'], // decoder out
  [[2, 7, 7, 8], [1, 1, 8, 4], 1, 'same'], // 1×1 conv
  [[2, 9, 11, 3], [3, 2, 3, 5], 2, 'valid'], // odd sizes, leftover rows
  [[1, 8, 7, 2], [5, 5, 2, 3], 3, 'same'],
];

describe('conv2DBackpropFilterByConv', () => {
  it.each(CASES)(
    'x %j, W %j, stride %i, %s: matches the stock cpu kernel',
    async (xs, ws, s, pad) => {
      await useCpu();
      const backend = tf.backend() as KernelBackend;
      const x = tf.tensor4d(values(size(xs), 7), xs);
      const out = tf.conv2d(x, tf.zeros(ws) as tf.Tensor4D, s, pad).shape as Shape4;
      const dy = tf.tensor4d(values(size(out), 11), out);
      const attrs = {
        strides: [s, s],
        pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        filterShape: ws,
      };
      const args = { inputs: { x, dy }, backend, attrs };
      const stock = getKernel(Conv2DBackpropFilter, 'cpu')!.kernelFunc(args as never) as TensorInfo;
      const before = backend.numDataIds();
      const ours = conv2DBackpropFilterByConv('cpu')(args as never) as TensorInfo;
      // One new tensor (the result); every intermediate freed.
      expect(backend.numDataIds()).toBe(before + 1);
      expect(ours.shape).toEqual(ws);
      const want = backend.readSync(stock.dataId) as Float32Array;
      const got = backend.readSync(ours.dataId) as Float32Array;
      let maxErr = 0;
      for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i]! - want[i]!));
      expect(maxErr).toBeLessThan(1e-4 * Math.sqrt(size(out)));
      backend.disposeData(stock.dataId);
      backend.disposeData(ours.dataId);
      tf.dispose([x, dy]);
    },
  );
});

describe('installWebglKernels', () => {
  it('replaces the webgl Conv2DBackpropFilter and Conv2DBackpropInput once', () => {
    const names = [Conv2DBackpropFilter, Conv2DBackpropInput];
    const funcs = () => names.map((n) => getKernel(n, 'webgl')!.kernelFunc);
    const stock = funcs();
    expect(installWebglKernels()).toBe(true);
    const ours = funcs();
    expect(ours[0]).not.toBe(stock[0]);
    expect(ours[1]).not.toBe(stock[1]);
    expect(installWebglKernels()).toBe(true);
    expect(funcs()).toEqual(ours);
  });
});
