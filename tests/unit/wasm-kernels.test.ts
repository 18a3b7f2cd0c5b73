// Kernels we rely on, checked on the wasm backend against the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { oneHotFloat } from '../../src/ops/one-hot';
import { seededValues as fill } from './seeded';

async function onBackend<T>(name: string, f: () => Promise<T>): Promise<T> {
  expect(await tf.setBackend(name)).toBe(true);
  return f();
}

describe('one-hot on wasm', () => {
  it('oneHotFloat gives real float32 ones and zeros, as on cpu (the raw wasm kernel does not)', async () => {
    const run = () =>
      tf.tidy(() => {
        const h = oneHotFloat(tf.tensor1d([2, 0, 1], 'int32'), 3);
        return { dtype: h.dtype, values: Array.from(h.dataSync()), sum: tf.sum(h).dataSync()[0] };
      });
    const cpu = await onBackend('cpu', async () => run());
    const wasm = await onBackend('wasm', async () => run());
    expect(wasm).toEqual(cpu);
    expect(wasm).toEqual({ dtype: 'float32', values: [0, 0, 1, 1, 0, 0, 0, 1, 0], sum: 3 });
  });
});

describe('BatchMatMul on wasm through installWasmKernels (explicit transposes, then XNNPACK)', () => {
  const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [2, 4, 6], b: [2, 5, 6], ta: false, tb: true }, // batched: the original loop, untransposed
    { a: [2, 6, 4], b: [1, 6, 5], ta: true, tb: false }, // batch broadcast
  ];
  it('matches the cpu backend for every transpose combination and frees its temporaries', async () => {
    const { installWasmKernels } = await import('../../src/backends/wasm/wasm-kernels');
    installWasmKernels();
    installWasmKernels(); // idempotent
    for (const [i, c] of cases.entries()) {
      const run = () =>
        tf.tidy(() => {
          const a = tf.tensor(
            fill(
              c.a.reduce((x, y) => x * y),
              10 + i,
            ),
            c.a,
          );
          const b = tf.tensor(
            fill(
              c.b.reduce((x, y) => x * y),
              20 + i,
            ),
            c.b,
          );
          const y = tf.matMul(a, b, c.ta, c.tb);
          return { shape: y.shape, values: Array.from(y.dataSync()) };
        });
      const cpu = await onBackend('cpu', async () => run());
      const wasm = await onBackend('wasm', async () => {
        const before = tf.memory().numTensors;
        const r = run();
        expect(tf.memory().numTensors).toBe(before);
        return r;
      });
      expect(wasm.shape).toEqual(cpu.shape);
      wasm.values.forEach((v, j) => expect(v).toBeCloseTo(cpu.values[j]!, 4));
    }
  });

  it('trains a dense layer to the same gradients as cpu (the transposed products of backprop)', async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(fill(32 * 20, 1), [32, 20]);
        const w = tf.tensor2d(fill(20 * 9, 2), [20, 9]);
        const g = tf.grads((x_: tf.Tensor, w_: tf.Tensor) =>
          tf.sum(tf.square(tf.matMul(x_ as tf.Tensor2D, w_ as tf.Tensor2D))),
        )([x, w]);
        return g.map((t) => Array.from(t.dataSync()));
      });
    await import('../../src/ops/register-gradients');
    const cpu = await onBackend('cpu', async () => grads());
    const wasm = await onBackend('wasm', async () => grads());
    for (let k = 0; k < 2; k++) {
      expect(wasm[k]!.length).toBe(cpu[k]!.length);
      wasm[k]!.forEach((v, j) => expect(v).toBeCloseTo(cpu[k]![j]!, 3));
    }
  });
});

describe('GatherV2 on wasm through installWasmKernels (row copies along axis 0)', () => {
  it('matches the cpu backend for axis 0 (2-D, 3-D, repeated indices), other axes and int32 data', async () => {
    const { installWasmKernels } = await import('../../src/backends/wasm/wasm-kernels');
    installWasmKernels();
    const cases = [
      { shape: [6, 5], idx: [5, 0, 0, 3], axis: 0, dtype: 'float32' as const },
      { shape: [4, 3, 2], idx: [2, 1], axis: 0, dtype: 'float32' as const },
      { shape: [4, 3, 2], idx: [1, 1, 0], axis: 1, dtype: 'float32' as const }, // original kernel
      { shape: [5, 2], idx: [4, 1], axis: 0, dtype: 'int32' as const },
    ];
    for (const c of cases) {
      const n = c.shape.reduce((a, b) => a * b);
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor(
            Array.from({ length: n }, (_, i) => (i * 7) % 11),
            c.shape,
            c.dtype,
          );
          const y = tf.gather(x, tf.tensor1d(c.idx, 'int32'), c.axis);
          return { shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) };
        });
      const cpu = await onBackend('cpu', async () => run());
      const wasm = await onBackend('wasm', async () => run());
      expect(wasm).toEqual(cpu);
    }
  });

  it('refuses an out-of-range row index, as the original kernel does', async () => {
    await onBackend('wasm', async () => {
      const before = tf.memory().numTensors;
      expect(() =>
        tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32')).dataSync()),
      ).toThrow(/index value 3 is not in \[0, 2\]/);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
