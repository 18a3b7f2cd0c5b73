// Identity on wasm without a copy (src/backends/wasm/wasm-fast-identity): the output shares the
// input's data, reference-counted, so either may be disposed first; values, dtypes and the
// tensor and byte counts as the package's copying kernel leaves them; gradients unchanged.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { installFastWasmIdentity } from '../../src/backends/wasm/wasm-fast-identity';
import { removeKernelOverride } from '../../src/backends/shared/override-kernel';
import { seededValues as values } from './seeded';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(installFastWasmIdentity()).toBe(true);
});

/** Data buffers TF.js tracks (a buffer shared by several tensors counts once). */
const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;

describe('wasm Identity without a copy', () => {
  it('shares the data: no new bytes, same values, either side disposed first', () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const x = tf.cast(tf.tensor(values(60, 3), [3, 20]), dtype);
      const before = buffers();
      const y = tf.clone(x);
      expect(buffers()).toBe(before);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual([3, 20]);
      const y0 = Array.from(x.dataSync());
      expect(Array.from(y.dataSync())).toEqual(y0);
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual(y0); // still readable
      const z = tf.clone(y);
      y.dispose();
      expect(z.dataSync()[59]).toBe(y0[59]);
      z.dispose();
    }
  });

  it('the package kernel copies (what this replaces), and the results agree', () => {
    const x = tf.tensor(values(40, 5), [40]);
    const shared = tf.clone(x);
    removeKernelOverride('wasm', 'Identity');
    const before = buffers();
    const copied = tf.clone(x);
    expect(buffers()).toBe(before + 1);
    expect(installFastWasmIdentity()).toBe(true);
    expect(Array.from(shared.dataSync())).toEqual(Array.from(copied.dataSync()));
    tf.dispose([x, shared, copied]);
  });

  it('gradients through identities match the cpu backend; numTensors stays put', async () => {
    const grad = () =>
      tf.tidy(() => {
        const w = tf.tensor(values(12, 7), [3, 4]);
        const f = (v: tf.Tensor) =>
          tf.sum(tf.square(tf.matMul(tf.clone(v), tf.clone(v), false, true)));
        return tf.grad(f)(w).dataSync();
      });
    await tf.setBackend('cpu');
    const ref = grad();
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const got = grad();
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((g, i) => expect(g).toBeCloseTo(ref[i]!, 4));
  });
});
