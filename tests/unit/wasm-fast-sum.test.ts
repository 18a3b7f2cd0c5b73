// Sum over leading axes on wasm as 1ᴺ · X (src/backends/wasm/wasm-fast-sum), checked against the CPU
// backend, plus the cases it hands back to the package's kernel.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/ops/register-gradients';
import { installFastWasmSum } from '../../src/backends/wasm/wasm-fast-sum';
import { isKernelOverridden } from '../../src/backends/shared/override-kernel';
import { seededValues as values } from './seeded';

async function on<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  expect(await tf.setBackend(backend)).toBe(true);
  return f();
}

let packageKernel: tf.KernelConfig | undefined;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
  packageKernel = tf.getKernel('Sum', 'wasm');
  expect(installFastWasmSum()).toBe(true);
});

describe('Sum on wasm', () => {
  it('is replaced (idempotently, keeping setupFunc); the CPU kernel is not', () => {
    const ours = tf.getKernel('Sum', 'wasm');
    expect(isKernelOverridden('wasm', 'Sum')).toBe(true);
    expect(ours?.kernelFunc).not.toBe(packageKernel?.kernelFunc);
    expect(ours?.setupFunc).toBe(packageKernel?.setupFunc);
    expect(installFastWasmSum()).toBe(true);
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(ours?.kernelFunc);
    expect(isKernelOverridden('cpu', 'Sum')).toBe(false);
  });

  // [shape, axes, keepDims, dtype]: leading blocks (rewritten), and others (package kernel).
  const cases: [number[], number | number[], boolean, 'float32' | 'int32'][] = [
    [[128, 14, 14, 32], [0, 1, 2], false, 'float32'], // a conv bias gradient
    [[64, 28, 28, 1], [0, 1, 2], false, 'float32'], // C = 1
    [[128, 10], 0, false, 'float32'], // a dense bias gradient
    [[5, 7, 3], [1, 0], true, 'float32'], // unsorted axes, keepDims
    [[4, 6, 5], [-3, -2], false, 'float32'], // negative axes
    [[3, 4, 5], [0, 2], false, 'float32'], // not a leading block
    [[3, 4, 5], [2], true, 'float32'], // innermost
    [[3, 4, 5], [0, 1, 2], false, 'float32'], // everything
    [[1, 9, 4], [0], false, 'float32'], // N = 1
    [[6, 5], 0, false, 'int32'],
  ];
  it.each(cases)(
    'sum of %j over %j (keepDims %s, %s) matches the CPU',
    async (shape, axes, keep, dtype) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const run = () =>
        tf.tidy(() => {
          const v = values(size, 7);
          const x =
            dtype === 'int32'
              ? tf.tensor(
                  v.map((e) => Math.round(e * 50)),
                  shape,
                  'int32',
                )
              : tf.tensor(v, shape);
          const s = tf.sum(x, axes, keep);
          return { shape: s.shape, dtype: s.dtype, data: Array.from(s.dataSync()) };
        });
      const ref = await on('cpu', run);
      const got = await on('wasm', run);
      expect(got.shape).toEqual(ref.shape);
      expect(got.dtype).toBe(ref.dtype);
      const scale = Math.max(...ref.data.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      got.data.forEach((g, i) =>
        expect(Math.abs(g - ref.data[i]!)).toBeLessThanOrEqual(1e-4 * scale),
      );
    },
  );

  it('frees its temporaries', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(values(2 * 8 * 8 * 3, 9), [2, 8, 8, 3]);
    tf.sum(x, [0, 1, 2]).dispose(); // warm-up
    const ids = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    const s = tf.sum(x, [0, 1, 2]);
    expect(s.shape).toEqual([3]);
    s.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    x.dispose();
  });
});
