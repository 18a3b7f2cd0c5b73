// Conv2DBackpropFilter on the wasm backend from im2col blocks and our GEMM, no transposes
// (src/backends/wasm/wasm-conv-filter), on one thread in TF.js's memory (fused multiply-adds:
// Node 20 has relaxed SIMD behind a flag) and on two shares through our shared memory (an inline
// helper: Node has no cross-origin isolation), against the pure-JS cpu backend's kernel: strides,
// 'same' / 'valid' / explicit padding, 1×1, several blocks, odd batches; thin shapes left to the
// dilated-conv fallback; tensors kept stable.
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels } from '../../src/backends/wasm/wasm-kernels';
import { setWasmConvBlockFloats } from '../../src/backends/wasm/wasm-conv-gemm';
import {
  parallelMatMulStats,
  prepareSingleThreadGemm,
  setParallelMatMulMode,
  startParallelMatMul,
} from '../../src/backends/wasm/wasm-parallel-matmul';
import { countRoutes } from './kernel-spy';
import { seededValues as values } from './seeded';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const FILTER = ['wasm', ['Conv2DBackpropFilter'], installWasmKernels] as const;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** dW of conv2d(X, W) for a fixed random upstream gradient, by the registered kernel. */
function filterGrad(x: Shape4, w: Shape4, s: number | [number, number], pad: Pad, seed: number) {
  return tf.tidy(() => {
    const xt = tf.tensor4d(values(size(x), seed), x);
    const info = tf.backend_util.computeConv2DInfo(x, w, s, 1, pad, undefined, false);
    const dy = tf.tensor4d(values(size(info.outShape), seed + 1), info.outShape);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy }, {
      strides: s,
      pad,
      dataFormat: 'NHWC',
      filterShape: w,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return dw.dataSync() as Float32Array;
  });
}

function expectClose(actual: Float32Array, ref: Float32Array, what: string) {
  expect(actual.length, what).toBe(ref.length);
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  expect(scale, `${what}: reference is all zeros`).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (ref[i] ?? NaN)) / scale);
  expect(worst, `${what}: max |wasm − cpu| / max|cpu|`).toBeLessThanOrEqual(1e-5);
}

const explicit: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 0],
  [2, 1],
  [0, 0],
];
// [X, W, strides, pad]: each one large enough for the GEMM route.
const cases: [Shape4, Shape4, number | [number, number], Pad][] = [
  [[16, 14, 14, 32], [3, 3, 32, 64], 2, 'same'], // the conv models' second layer
  [[5, 15, 15, 16], [3, 3, 16, 24], 1, 'same'], // odd batch
  [[6, 15, 14, 24], [4, 3, 24, 20], [2, 1], 'valid'],
  [[8, 9, 10, 16], [2, 3, 16, 40], 1, explicit],
  [[24, 7, 7, 64], [1, 1, 64, 32], 1, 'same'], // 1×1: X is colsᵀ itself
  [[32, 16, 16, 40], [1, 1, 40, 44], 2, 'valid'], // 1×1 with stride: im2col
  [[64, 28, 28, 1], [3, 3, 1, 32], 2, 'same'], // a first layer: KK = 9, runs of 3 floats
];

/** The cpu backend's dW per case (computed once). */
let refs: Float32Array[] = [];

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
  refs = cases.map(([x, w, s, pad], i) => filterGrad(x, w, s, pad, 50 + i));
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernels();
  expect(await prepareSingleThreadGemm()).toBe(true);
  expect(await startParallelMatMul({ inline: true })).toBe(true);
});

describe('wasm Conv2DBackpropFilter with one output channel, by a direct SIMD loop', () => {
  // [X, W, strides, pad, dilation]: the conv models' output layer, strides, dilation, padding
  // only on some sides, Ci of 4·V for every V up to 8, and several channel blocks.
  const thin: [Shape4, Shape4, number | [number, number], Pad, number][] = [
    [[16, 28, 28, 32], [3, 3, 32, 1], 1, 'same', 1],
    [[5, 13, 11, 12], [4, 3, 12, 1], [2, 1], 'same', 1],
    [[4, 15, 14, 20], [3, 2, 20, 1], 2, 'valid', 1],
    [[3, 9, 10, 64], [2, 3, 64, 1], 1, explicit, 1],
    [[6, 17, 17, 28], [3, 3, 28, 1], 1, 'same', 2],
    [[2, 8, 8, 4], [5, 5, 4, 1], 1, 'same', 1], // taps that see only padding at the edges
  ];

  it('matches the cpu backend, never takes the fallback, keeps numTensors', async () => {
    setParallelMatMulMode('auto');
    for (const [i, [x, w, s, pad, d]] of thin.entries()) {
      const grad = () =>
        tf.tidy(() => {
          const xt = tf.tensor4d(values(size(x), 70 + i), x);
          const info = tf.backend_util.computeConv2DInfo(x, w, s, d, pad, undefined, false);
          const dy = tf.tensor4d(values(size(info.outShape), 80 + i), info.outShape);
          const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy }, {
            strides: s,
            pad,
            dataFormat: 'NHWC',
            dilations: d,
            filterShape: w,
          } as unknown as tf.NamedAttrMap) as tf.Tensor;
          return dw.dataSync() as Float32Array;
        });
      await tf.setBackend('cpu');
      const ref = grad();
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const { result: got, ours, stock } = countRoutes(...FILTER, grad);
      expect([ours, stock], `case ${i}`).toEqual([1, 0]);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(got, ref, `thin case ${i}`);
    }
  });
});

describe('wasm Conv2DBackpropFilter by im2col + GEMM', () => {
  for (const mode of ['one-thread', 'two-threads'] as const) {
    it(`${mode}: matches the cpu backend (one and several blocks), keeps numTensors`, async () => {
      setParallelMatMulMode(mode);
      try {
        for (const blocks of [128 << 10, 1]) {
          setWasmConvBlockFloats(blocks);
          for (const [i, [x, w, s, pad]] of cases.entries()) {
            const ref = refs[i]!;
            await tf.setBackend('wasm');
            const before = tf.memory().numTensors;
            const shared = parallelMatMulStats().sharedCalls;
            const { result: got, ours } = countRoutes(...FILTER, () =>
              filterGrad(x, w, s, pad, 50 + i),
            );
            expect(ours, `case ${i}`).toBe(1);
            expect(parallelMatMulStats().sharedCalls - shared).toBe(mode === 'two-threads' ? 1 : 0);
            expect(tf.memory().numTensors).toBe(before);
            expectClose(got, ref, `${mode}, case ${i}, block ${blocks}`);
          }
        }
      } finally {
        setWasmConvBlockFloats(128 << 10);
      }
    });
  }

  it('leaves thin and small shapes, and mode off, to the dilated-conv fallback', async () => {
    setParallelMatMulMode('one-thread');
    await tf.setBackend('wasm');
    const stock = (x: Shape4, w: Shape4) => {
      expect(countRoutes(...FILTER, () => filterGrad(x, w, 2, 'same', 3)).stock).toBe(1);
    };
    stock([8, 28, 28, 1], [2, 2, 1, 32]); // KK = 4
    stock([8, 28, 28, 32], [3, 3, 32, 4]); // 1 < Co < MIN_CO
    stock([8, 28, 28, 6], [3, 3, 6, 1]); // Co = 1, but Ci not a multiple of 4
    stock([1, 5, 5, 32], [3, 3, 32, 16]); // < MIN_PARALLEL_FLOPS
    setParallelMatMulMode('off');
    stock([16, 14, 14, 32], [3, 3, 32, 64]);
    setParallelMatMulMode('one-thread');
  });
});
