// Conv2D on the wasm backend as im2col + our GEMM (src/backends/wasm/wasm-conv-gemm), on one thread with
// fused multiply-adds (Node 20 has relaxed SIMD behind a flag), checked against the pure-JS cpu
// backend's Conv2D: strides, 'same' / 'valid' / explicit padding, dilation, 1×1 convs, several
// blocks of images; the shapes it leaves to XNNPACK; and the full gradients of a small conv net
// (our Conv2DBackpropInput and Conv2DBackpropFilter are built from Conv2D calls).
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels } from '../../src/backends/wasm/wasm-kernels';
import '../../src/backends/wasm/conv-wasm-gradients';
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

/** The wasm Conv2D and how to install ours: the first arguments of ./kernel-spy's. */
const CONV = ['wasm', ['Conv2D'], installWasmKernels] as const;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** max |actual − ref| ≤ 1e-4 · max |ref| (float32 summation order differs). */
function expectClose(actual: Float32Array, ref: Float32Array, what: string) {
  expect(actual.length, what).toBe(ref.length);
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  expect(scale, `${what}: reference is all zeros`).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (ref[i] ?? NaN)) / scale);
  expect(worst, `${what}: max |wasm − cpu| / max|cpu|`).toBeLessThanOrEqual(1e-4);
}

function conv(
  x: Shape4,
  w: Shape4,
  s: number | [number, number],
  pad: Pad,
  d: number,
  seed: number,
) {
  return tf.tidy(() => {
    const xt = tf.tensor4d(values(size(x), seed), x);
    const wt = tf.tensor4d(values(size(w), seed + 1), w);
    return tf.conv2d(xt, wt, s, pad, 'NHWC', d).dataSync() as Float32Array;
  });
}

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernels();
  expect(await prepareSingleThreadGemm()).toBe(true);
  setParallelMatMulMode('one-thread');
});

const explicit: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 0],
  [2, 1],
  [0, 0],
];
// [x, W, strides, pad, dilation]: every one large enough for the GEMM route.
const cases: [Shape4, Shape4, number | [number, number], Pad, number][] = [
  [[4, 14, 14, 32], [3, 3, 32, 64], 2, 'same', 1], // the conv models' second layer
  [[3, 15, 15, 16], [3, 3, 16, 24], 1, 'same', 1],
  [[6, 15, 14, 24], [4, 3, 24, 20], [2, 1], 'valid', 1],
  [[8, 9, 10, 16], [2, 3, 16, 40], 1, explicit, 1],
  [[4, 17, 17, 16], [3, 3, 16, 36], 1, 'valid', 2], // dilated (the filter gradient's conv)
  [[24, 7, 7, 64], [1, 1, 64, 32], 1, 'same', 1], // 1×1: X is the GEMM's A
  [[32, 16, 16, 40], [1, 1, 40, 44], 2, 'valid', 1], // 1×1 with stride: im2col
];

describe('wasm Conv2D with one output channel, by a direct SIMD loop', () => {
  // The conv models' output layer; strides, dilation, padding on some sides only, Ci of 4·V for
  // V up to 8 and several channel blocks; rows of 1–3 pixels (the one-pixel tail of the loop).
  const thin: [Shape4, Shape4, number | [number, number], Pad, number][] = [
    [[16, 28, 28, 32], [3, 3, 32, 1], 1, 'same', 1],
    [[5, 13, 11, 12], [4, 3, 12, 1], [2, 1], 'same', 1],
    [[4, 15, 14, 20], [3, 2, 20, 1], 2, 'valid', 1],
    [[3, 9, 10, 64], [2, 3, 64, 1], 1, explicit, 1],
    [[6, 17, 17, 28], [3, 3, 28, 1], 1, 'same', 2],
    [[2, 8, 8, 4], [5, 5, 4, 1], 1, 'same', 1],
    [[3, 6, 3, 8], [3, 3, 8, 1], 1, 'valid', 1], // one output column per row
    [[3, 6, 7, 8], [1, 1, 8, 1], 1, 'valid', 1], // 1×1: seven pixels a row, 4 + 3
  ];

  it('matches the cpu backend, never takes XNNPACK, keeps numTensors', async () => {
    for (const [i, [x, w, s, pad, d]] of thin.entries()) {
      await tf.setBackend('cpu');
      const ref = conv(x, w, s, pad, d, 60 + i);
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const {
        result: got,
        ours,
        stock,
      } = countRoutes(...CONV, () => conv(x, w, s, pad, d, 60 + i));
      expect([ours, stock], `case ${i}`).toEqual([1, 0]);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(got, ref, `thin case ${i}`);
    }
  });
});

describe('wasm Conv2D by im2col + GEMM', () => {
  it('matches the cpu backend (one and several blocks), keeps numTensors', async () => {
    for (const blocks of [48 << 10, 1]) {
      setWasmConvBlockFloats(blocks);
      for (const [i, [x, w, s, pad, d]] of cases.entries()) {
        await tf.setBackend('cpu');
        const ref = conv(x, w, s, pad, d, 10 + i);
        await tf.setBackend('wasm');
        const before = tf.memory().numTensors;
        const { result: got, ours } = countRoutes(...CONV, () => conv(x, w, s, pad, d, 10 + i));
        expect(ours, `case ${i}`).toBe(1);
        expect(tf.memory().numTensors).toBe(before);
        expectClose(got, ref, `case ${i}, block ${blocks}`);
      }
    }
    setWasmConvBlockFloats(48 << 10);
  });

  it('leaves thin, small and off-mode convs to XNNPACK', async () => {
    await tf.setBackend('wasm');
    const stock = (f: () => void) => {
      expect(countRoutes(...CONV, f).stock).toBe(1);
    };
    stock(() => conv([8, 28, 28, 1], [3, 3, 1, 32], 2, 'same', 1, 1)); // KK = 9
    stock(() => conv([8, 28, 28, 6], [3, 3, 6, 1], 1, 'same', 1, 2)); // Co = 1, Ci % 4 ≠ 0
    stock(() => conv([1, 5, 5, 32], [3, 3, 32, 16], 1, 'same', 1, 3)); // < MIN_PARALLEL_FLOPS
    setParallelMatMulMode('off');
    stock(() => conv([4, 14, 14, 32], [3, 3, 32, 64], 2, 'same', 1, 4));
    setParallelMatMulMode('one-thread');
  });

  it('trains: the gradients of a small conv net match the cpu backend', async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(12 * 14 * 14 * 16, 5), [12, 14, 14, 16]);
        const w1 = tf.tensor4d(values(3 * 3 * 16 * 32, 6), [3, 3, 16, 32]);
        const w2 = tf.tensor4d(values(3 * 3 * 24 * 32, 7), [3, 3, 24, 32]);
        const f = (a: tf.Tensor, b: tf.Tensor) => {
          const h = tf.relu(tf.conv2d(x, a as tf.Tensor4D, 2, 'same'));
          const t = tf.conv2dTranspose(h, b as tf.Tensor4D, [12, 14, 14, 24], 2, 'same');
          return tf.sum(tf.square(t));
        };
        return tf
          .grads(f)([w1, w2])
          .map((g) => g.dataSync() as Float32Array);
      });
    await tf.setBackend('cpu');
    const ref = grads();
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const { result: got, ours } = countRoutes(...CONV, grads);
    expect(ours).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(got[0]!, ref[0]!, 'dW1');
    expectClose(got[1]!, ref[1]!, 'dW2');
  });

  it('two threads (inline helper: blocks of images claimed from one counter, through our shared memory): matches cpu, forward and gradients', async () => {
    expect(await startParallelMatMul({ inline: true })).toBe(true);
    setParallelMatMulMode('two-threads');
    try {
      for (const blocks of [48 << 10, 1]) {
        setWasmConvBlockFloats(blocks);
        // Odd batches too: the helper's half is the smaller one.
        for (const [i, [x, w, s, pad, d]] of [
          ...cases,
          [[5, 13, 13, 16], [3, 3, 16, 24], 1, 'same', 1] as (typeof cases)[number],
        ].entries()) {
          await tf.setBackend('cpu');
          const ref = conv(x, w, s, pad, d, 30 + i);
          await tf.setBackend('wasm');
          const before = tf.memory().numTensors;
          const shared = parallelMatMulStats().sharedCalls;
          const got = conv(x, w, s, pad, d, 30 + i);
          expect(parallelMatMulStats().sharedCalls - shared, `case ${i}`).toBe(1);
          expect(tf.memory().numTensors).toBe(before);
          expectClose(got, ref, `two threads, case ${i}, block ${blocks}`);
        }
      }
      // One image: nothing to split, the one-thread route (here: XNNPACK, as mode is pinned).
      const shared = parallelMatMulStats().sharedCalls;
      conv([1, 14, 14, 32], [3, 3, 32, 64], 1, 'same', 1, 9);
      expect(parallelMatMulStats().sharedCalls).toBe(shared);
    } finally {
      setWasmConvBlockFloats(48 << 10);
      setParallelMatMulMode('one-thread');
    }
  });
});
