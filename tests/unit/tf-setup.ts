// TF.js on its pure-JS CPU backend for unit tests (deterministic, no native add-ons).
import '@tensorflow/tfjs-backend-cpu';
import '../../src/ops/register-gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect } from 'vitest';
import { TFJS_KERNELS } from '../../scripts/tfjs-kernels';

export async function useCpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  return tf;
}

export { tf };

// The built app registers only the kernels in TFJS_KERNELS (scripts/tfjs-kernels.ts): every
// kernel that a test file using this set-up runs must be on that list.
const ran = new Set<string>();
const engine = tf.engine() as unknown as {
  runKernel: (name: string, ...rest: unknown[]) => unknown;
};
const runKernel = engine.runKernel.bind(engine);
engine.runKernel = (name, ...rest) => {
  ran.add(name);
  return runKernel(name, ...rest);
};
afterAll(() => {
  const missing = [...ran].filter((k) => !TFJS_KERNELS.includes(k)).sort();
  expect(
    missing,
    'kernels run here but missing from TFJS_KERNELS in scripts/tfjs-kernels.ts',
  ).toEqual([]);
});
