// Kernels we rely on, checked on the wasm backend against the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { oneHotFloat } from '../../src/tf/one-hot';

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
