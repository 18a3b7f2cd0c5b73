// The one kernel-override helper (src/backends/shared/override-kernel) on a made-up backend:
// our route answers or declines to the stock kernel, install is idempotent and keeps setupFunc,
// and removing puts the stock kernel back.
import { describe, expect, it } from 'vitest';
import { getKernel, registerKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import {
  isKernelOverridden,
  overrideKernel,
  removeKernelOverride,
} from '../../src/backends/shared/override-kernel';

const BACKEND = 'override-test';
const KERNEL = 'OverrideTestKernel';
const tensor = (n: number): TensorInfo => ({ dataId: {}, shape: [n], dtype: 'float32' });
const setupFunc = () => {};
const call = (n: number) =>
  getKernel(KERNEL, BACKEND)!.kernelFunc({
    inputs: { x: tensor(n) },
    backend: {} as never,
    attrs: {},
  });

registerKernel({
  kernelName: KERNEL,
  backendName: BACKEND,
  kernelFunc: () => tensor(-1),
  setupFunc,
});

describe('overrideKernel', () => {
  it('answers with our route, declines to the stock kernel, and keeps setupFunc', () => {
    let built = 0;
    const install = () =>
      overrideKernel(BACKEND, KERNEL, (stock) => {
        built++;
        // Ours doubles even sizes; odd ones go to the stock kernel (which we can also call).
        return ({ inputs }) => {
          const n = (inputs.x as TensorInfo).shape[0]!;
          if (n === 0) return stock({ inputs, backend: {} as never, attrs: {} });
          return n % 2 === 0 ? tensor(2 * n) : null;
        };
      });
    expect(install()).toBe(true);
    expect(install()).toBe(true); // idempotent: built once
    expect(built).toBe(1);
    expect(isKernelOverridden(BACKEND, KERNEL)).toBe(true);
    expect(getKernel(KERNEL, BACKEND)?.setupFunc).toBe(setupFunc);
    expect((call(4) as TensorInfo).shape).toEqual([8]);
    expect((call(3) as TensorInfo).shape).toEqual([-1]);
    expect((call(0) as TensorInfo).shape).toEqual([-1]);

    expect(removeKernelOverride(BACKEND, KERNEL)).toBe(true);
    expect(removeKernelOverride(BACKEND, KERNEL)).toBe(false);
    expect(isKernelOverridden(BACKEND, KERNEL)).toBe(false);
    expect((call(4) as TensorInfo).shape).toEqual([-1]);
    expect(install()).toBe(true); // again after removal
    expect(built).toBe(2);
    expect((call(4) as TensorInfo).shape).toEqual([8]);
    removeKernelOverride(BACKEND, KERNEL);
  });

  it('reports a kernel that is not registered', () => {
    expect(overrideKernel(BACKEND, 'NoSuchKernel', () => () => null)).toBe(false);
    expect(isKernelOverridden(BACKEND, 'NoSuchKernel')).toBe(false);
  });
});
