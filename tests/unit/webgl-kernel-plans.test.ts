// The plans behind our webgl kernels (src/backends/webgl/webgl-*.ts; webgl itself cannot run in Node, so
// the shaders are checked against the cpu backend in tests/browser/webgl-kernels.test.mjs):
// the interleave hook of conv2DBackpropInputByPhases (src/backends/shared/conv-interleave) implemented here
// in plain JS from its formula, which the webgl shader (src/backends/webgl/webgl-interleave-phases) also
// implements, against the stock cpu kernel; and the route rules and splits.
import { describe, expect, it } from 'vitest';
import {
  backend_util,
  Conv2DBackpropInput,
  getKernel,
  type KernelBackend,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { Interleave } from '../../src/backends/shared/conv-interleave';
import { conv2DBackpropInputByPhases } from '../../src/backends/shared/conv-input-by-phases';
import { convByTapsApplies } from '../../src/backends/webgl/webgl-conv-by-taps';
import { GROUP_POSITIONS, imagesPerGroup } from '../../src/backends/webgl/webgl-filter-by-im2col';
import { reducesAllButLast, splitRows } from '../../src/backends/webgl/webgl-sum-by-matmul';
import { tf, useCpu } from './tf-setup';
import { seededValues as values } from './seeded';

type Shape4 = [number, number, number, number];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** dX[b,i,j,c] = Y_(rh,rw)[b,q,p,c], i + offH = q·sh + rh, j + offW = p·sw + rw (0: no taps). */
const interleaveJs: Interleave = (backend, plan) => {
  const [B, H, W, C] = plan.outShape as Shape4;
  const [sh, sw] = plan.strides;
  const [offH, offW] = plan.offsets;
  const phases = plan.phases.map((y) =>
    y ? { data: backend.readSync(y.dataId) as Float32Array, shape: y.shape } : null,
  );
  const out = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) {
        const q = Math.floor((i + offH) / sh);
        const p = Math.floor((j + offW) / sw);
        const y = phases[((i + offH) % sh) * sw + ((j + offW) % sw)];
        if (!y) continue;
        const [, Qh, Qw] = y.shape as Shape4;
        for (let c = 0; c < C; c++)
          out[((b * H + i) * W + j) * C + c] = y.data[((b * Qh + q) * Qw + p) * C + c]!;
      }
  return {
    dataId: backend.write(out, plan.outShape, 'float32'),
    shape: plan.outShape,
    dtype: 'float32',
  };
};

const CASES: [Shape4, Shape4, number, 'same' | 'valid'][] = [
  [[2, 28, 28, 4], [3, 3, 4, 8], 2, 'same'],
  [[2, 9, 11, 3], [3, 2, 3, 5], 2, 'valid'],
  [[1, 8, 7, 2], [5, 5, 2, 3], 3, 'same'],
  [[1, 9, 9, 2], [2, 2, 2, 3], 3, 'valid'], // K < s: phases without taps
  [[1, 10, 10, 2], [4, 4, 2, 3], 2, 'same'],
];

describe('the interleave hook of conv2DBackpropInputByPhases', () => {
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
      const ours = conv2DBackpropInputByPhases(
        'cpu',
        undefined,
        interleaveJs,
      )(args as never) as TensorInfo;
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
});

describe('webgl route rules', () => {
  const info = (x: Shape4, w: Shape4, s: number) =>
    backend_util.computeConv2DInfo(x, w, s, 1, 'same');
  it('takes the tap-products route only when the output has few channels', () => {
    expect(convByTapsApplies(info([128, 28, 28, 32], [3, 3, 32, 1], 1))).toBe(true); // decoder out
    expect(convByTapsApplies(info([128, 28, 28, 1], [3, 3, 1, 32], 2))).toBe(false); // encoder c1
    expect(convByTapsApplies(info([128, 14, 14, 32], [3, 3, 32, 64], 2))).toBe(false);
    expect(convByTapsApplies(info([128, 7, 7, 64], [1, 1, 64, 1], 1))).toBe(false); // 1×1: stock
  });

  it('sums by matmul over exactly all but the last axis', () => {
    expect(reducesAllButLast([0, 1, 2], [2, 3, 4, 5])).toBe(true);
    expect(reducesAllButLast([2, 0, -3], [2, 3, 4, 5])).toBe(true);
    expect(reducesAllButLast([0], [7, 5])).toBe(true);
    expect(reducesAllButLast([1, 2], [2, 3, 4])).toBe(false);
    expect(reducesAllButLast([0, 1], [2, 3, 4])).toBe(true);
    expect(reducesAllButLast([0], [7])).toBe(false);
  });

  it('splits rows into R1·R2 with R2 even, R1 near √R', () => {
    expect(splitRows(100352)).toBe(256); // 128·28·28 = 256 · 392
    expect(splitRows(7200)).toBe(80);
    expect(splitRows(5445)).toBe(1); // odd: no even R2
    for (const n of [100352, 25088, 7200, 4098]) expect((n / splitRows(n)) % 2).toBe(0);
  });

  it('groups images so that a group has at most GROUP_POSITIONS positions', () => {
    expect(GROUP_POSITIONS).toBe(512);
    expect(imagesPerGroup(128, 196)).toBe(2);
    expect(imagesPerGroup(128, 49)).toBe(8);
    expect(imagesPerGroup(128, 784)).toBe(1);
    expect(imagesPerGroup(6, 200)).toBe(2);
    expect(imagesPerGroup(6, 400)).toBe(1);
    for (const [B, p] of [
      [128, 196],
      [100, 49],
      [7, 2000],
    ] as const) {
      const g = imagesPerGroup(B, p);
      expect(B % g).toBe(0);
      expect(g === 1 || g * p <= GROUP_POSITIONS).toBe(true);
    }
  });
});
