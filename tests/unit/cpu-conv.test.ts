// Our cpu-backend Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter (src/backends/cpu/cpu-fast-conv:
// im2col / col2im around the wasm SIMD GEMM) against the stock cpu kernels, which stay reachable
// by removing our overrides for a moment (./kernel-spy). Vitest runs each file in its own
// context: the install here leaves the other files' cpu reference stock.
import { Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRoutes, withStockKernels } from './kernel-spy';
import { tf, useCpu } from './tf-setup';
import { seededValues as fill } from './seeded';

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
const rand = (shape: number[], seed: number) => tf.tensor(fill(size(shape), seed), shape);

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
  pad: Pad;
  dilation?: number;
}

const CASES: ConvCase[] = [
  { x: [2, 9, 9, 1], w: [3, 3, 1, 5], stride: 2, pad: 'same' },
  { x: [3, 8, 7, 3], w: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 10, 9, 4], w: [3, 2, 4, 7], stride: 2, pad: 'valid' },
  { x: [1, 7, 7, 2], w: [4, 4, 2, 3], stride: 3, pad: 'same' },
  {
    x: [2, 6, 8, 3],
    w: [3, 3, 3, 2],
    stride: 1,
    pad: [
      [0, 0],
      [2, 1],
      [0, 2],
      [0, 0],
    ],
  },
  { x: [2, 9, 9, 2], w: [3, 3, 2, 3], stride: 1, pad: 'same', dilation: 2 }, // forward only
];

/** |ours − stock| within float32 rounding of sums of many terms. */
function expectClose(ours: Float32Array, stock: Float32Array, what: string) {
  expect(ours.length, what).toBe(stock.length);
  ours.forEach((v, i) => {
    const ref = stock[i]!;
    expect(Math.abs(v - ref), `${what} [${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref)));
  });
}

describe('cpu conv kernels through installCpuKernels', async () => {
  await useCpu();
  const conv = await import('../../src/backends/cpu/cpu-fast-conv');
  const { installCpuKernels } = await import('../../src/backends/cpu/cpu-kernels');
  beforeAll(installCpuKernels);
  const CONVS = [
    'cpu',
    [Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter],
    installCpuKernels,
  ] as const;

  /** Runs f with the stock kernels and with ours: both results, our fast calls, no leaks. */
  function both(f: () => Float32Array[]) {
    const stock = withStockKernels(...CONVS, f);
    const tensors = tf.memory().numTensors;
    const routes = countRoutes(...CONVS, f);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(routes.stock).toBe(0);
    return { stock, ours: routes.result, fastCalls: routes.ours };
  }

  it('conv2d and its gradients (∂x: Conv2DBackpropInput, ∂W: Conv2DBackpropFilter) match stock', () => {
    for (const [i, c] of CASES.entries()) {
      const what = JSON.stringify(c);
      const d = c.dilation ?? 1;
      const x = rand(c.x, 10 + i);
      const w = rand(c.w, 20 + i);
      const dy = tf.tidy(() =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad, 'NHWC', d),
      );
      const dyv = rand(dy.shape, 30 + i);
      const forward = both(() =>
        tf.tidy(() => [
          tf
            .conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad, 'NHWC', d)
            .dataSync() as Float32Array,
        ]),
      );
      expect(forward.fastCalls).toBe(1);
      expectClose(forward.ours[0]!, forward.stock[0]!, `conv2d ${what}`);
      if (d === 1) {
        const grads = both(() =>
          tf.tidy(() => {
            const f = (a: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dyv));
            return tf
              .grads(f)([x, w])
              .map((g) => g.dataSync() as Float32Array);
          }),
        );
        expect(grads.fastCalls).toBe(3); // forward, ∂x, ∂W
        expectClose(grads.ours[0]!, grads.stock[0]!, `∂x ${what}`);
        expectClose(grads.ours[1]!, grads.stock[1]!, `∂W ${what}`);
      }
      tf.dispose([x, w, dy, dyv]);
    }
  });

  it('matches stock when the batch is split into chunks (one image, then two, per chunk)', () => {
    for (const floats of [1, 2 * 5 * 5 * 3 * 3 * 3]) {
      conv.setCpuConvChunkFloats(floats);
      const x = rand([5, 9, 9, 3], 40);
      const w = rand([3, 3, 3, 4], 41);
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
      const r = both(() =>
        tf.tidy(() => [
          tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').dataSync() as Float32Array,
          ...tf
            .grads(f)([x, w])
            .map((g) => g.dataSync() as Float32Array),
        ]),
      );
      expect(r.fastCalls).toBe(4);
      ['y', '∂x', '∂W'].forEach((name, i) =>
        expectClose(r.ours[i]!, r.stock[i]!, `${name} ${floats}`),
      );
      tf.dispose([x, w]);
    }
    conv.setCpuConvChunkFloats(4 << 20);
  });

  it('conv2dTranspose (Conv2DBackpropInput forward) and its gradients match stock', () => {
    // x [2,5,5,6] → [2,10,10,3] with stride 2 'same'; the filter is [KH, KW, out 3, in 6].
    const x = rand([2, 5, 5, 6], 1);
    const w = rand([3, 3, 3, 6], 2);
    const dyv = rand([2, 10, 10, 3], 3);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 10, 10, 3], 2, 'same'),
          dyv,
        ),
      );
    const r = both(() =>
      tf.tidy(() => [
        tf
          .conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 10, 10, 3], 2, 'same')
          .dataSync() as Float32Array,
        ...tf
          .grads(f)([x, w])
          .map((g) => g.dataSync() as Float32Array),
      ]),
    );
    expect(r.fastCalls).toBe(4); // forward twice, ∂x (Conv2D), ∂W (Conv2DBackpropFilter)
    ['y', '∂x', '∂W'].forEach((name, i) => expectClose(r.ours[i]!, r.stock[i]!, name));
    tf.dispose([x, w, dyv]);
  });

  it('leaves NCHW and empty inputs to the stock kernels', () => {
    const w = rand([3, 3, 2, 4], 5);
    const x = rand([2, 5, 6, 2], 6);
    const routes = countRoutes(...CONVS, () => {
      const empty = tf.tidy(
        () => tf.conv2d(tf.zeros([0, 4, 4, 2]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').shape,
      );
      // NCHW against NHWC (ours) of the same numbers.
      const nchw = tf.tidy(() => {
        const y = tf.conv2d(
          tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D,
          w as tf.Tensor4D,
          1,
          'same',
          'NCHW',
        );
        return tf.transpose(y, [0, 2, 3, 1]).dataSync() as Float32Array;
      });
      return { empty, nchw };
    });
    const { empty, nchw } = routes.result;
    expect(empty).toEqual([0, 4, 4, 4]);
    expect(routes.ours).toBe(0);
    expect(routes.stock).toBe(2);
    const nhwc = tf.tidy(
      () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dataSync() as Float32Array,
    );
    expectClose(nhwc, nchw, 'NHWC vs NCHW');
    tf.dispose([w, x]);
  });
});
