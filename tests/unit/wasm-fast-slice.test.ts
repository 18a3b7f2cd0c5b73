// Slice on wasm read in place (src/backends/wasm/wasm-fast-slice), checked against the CPU
// backend's slice and against the package's own wasm kernel, element by element.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installFastWasmSlice } from '../../src/backends/wasm/wasm-fast-slice';
import {
  isKernelOverridden,
  removeKernelOverride,
} from '../../src/backends/shared/override-kernel';
import { seededValues as values } from './seeded';

async function on<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  expect(await tf.setBackend(backend)).toBe(true);
  return f();
}

let packageKernel: tf.KernelConfig | undefined;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
  packageKernel = tf.getKernel('Slice', 'wasm');
  expect(installFastWasmSlice()).toBe(true);
});

type Dtype = 'float32' | 'int32' | 'bool';

/** x of `shape` (seeded values; int32 and bool derived from them), sliced at `begin`, `size`. */
function sliced(shape: number[], begin: number[], size: number[], dtype: Dtype) {
  return tf.tidy(() => {
    const v = values(
      shape.reduce((a, b) => a * b, 1),
      11,
    );
    const x =
      dtype === 'float32'
        ? tf.tensor(v, shape)
        : dtype === 'int32'
          ? tf.tensor(
              v.map((e) => Math.round(e * 100)),
              shape,
              'int32',
            )
          : tf.tensor(
              v.map((e) => (e > 0 ? 1 : 0)),
              shape,
              'bool',
            );
    // A tensor made on the heap after x, so that x does not start at the heap's first byte.
    const y = tf.slice(tf.add(x, tf.zerosLike(x)), begin, size);
    return { shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) };
  });
}

describe('Slice on wasm', () => {
  it('is replaced (idempotently, keeping setupFunc); the CPU kernel is not', () => {
    const ours = tf.getKernel('Slice', 'wasm');
    expect(isKernelOverridden('wasm', 'Slice')).toBe(true);
    expect(ours?.kernelFunc).not.toBe(packageKernel?.kernelFunc);
    expect(ours?.setupFunc).toBe(packageKernel?.setupFunc);
    expect(installFastWasmSlice()).toBe(true);
    expect(tf.getKernel('Slice', 'wasm')?.kernelFunc).toBe(ours?.kernelFunc);
    expect(isKernelOverridden('cpu', 'Slice')).toBe(false);
  });

  // [shape, begin, size, dtype]: contiguous blocks, strided ones of every rank, -1 sizes, empty.
  const cases: [number[], number[], number[], Dtype][] = [
    [[600, 13], [128, 0], [256, 13], 'float32'], // rows of a training set: contiguous
    [[600, 13], [599, 0], [1, -1], 'float32'], // the last row
    [[7, 9], [2, 3], [4, 5], 'float32'], // a window: strided
    [[7, 9], [0, 8], [-1, 1], 'int32'], // a column
    [[5, 6, 4], [1, 2, 1], [3, 3, 2], 'float32'],
    [[5, 6, 4], [2, 0, 0], [2, -1, -1], 'bool'], // contiguous rank 3
    [[3, 4, 5, 6], [1, 1, 2, 3], [2, 3, 2, 3], 'float32'],
    [[3, 4, 5, 6], [0, 2, 0, 0], [-1, 1, -1, -1], 'int32'], // strided over the first axis
    [[2, 3, 2, 3, 4], [1, 0, 1, 1, 1], [1, 3, 1, 2, 2], 'float32'], // rank 5
    [[17], [5], [7], 'float32'],
    [[4, 5], [2, 1], [0, 3], 'float32'], // empty
    [[4, 5], [1, 1], [2, 0], 'int32'], // empty, last axis
  ];
  it.each(cases)(
    'slice of %j at %j, size %j (%s): the CPU’s values and the package kernel’s',
    async (shape, begin, size, dtype) => {
      const cpu = await on('cpu', () => sliced(shape, begin, size, dtype));
      const ours = await on('wasm', () => {
        const before = tf.memory().numTensors;
        const r = sliced(shape, begin, size, dtype);
        expect(tf.memory().numTensors).toBe(before);
        return r;
      });
      expect(removeKernelOverride('wasm', 'Slice')).toBe(true);
      const stock = await on('wasm', () => sliced(shape, begin, size, dtype));
      expect(installFastWasmSlice()).toBe(true);
      expect(ours).toEqual(cpu);
      expect(ours).toEqual(stock);
    },
  );

  it('slices of a large tensor come from the tensor itself, whatever allocations came between', async () => {
    await on('wasm', () => {
      const N = 4096;
      const P = 784;
      const x = tf.tensor2d(values(N * P, 5), [N, P]);
      const rows = [0, 2048, N - 7];
      const want = x.dataSync();
      for (const r of rows) {
        // Allocations between slices may grow the heap (a new buffer): views are taken after.
        const filler = tf.zeros([1 << 18]);
        const s = tf.slice(x, [r, 0], [Math.min(2048, N - r), P]);
        const got = s.dataSync();
        expect(got.length).toBe(Math.min(2048, N - r) * P);
        for (let i = 0; i < got.length; i += 997) expect(got[i]).toBe(want[r * P + i]);
        expect(got[got.length - 1]).toBe(want[r * P + got.length - 1]);
        tf.dispose([filler, s]);
      }
      x.dispose();
    });
  });
});
