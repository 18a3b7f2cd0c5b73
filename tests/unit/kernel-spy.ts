// Observing our kernel overrides (src/backends/shared/override-kernel) from outside, for the unit
// tests and the browser test pages: which route a call took, and the stock kernel's own result.
import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { removeKernelOverride } from '../../src/backends/shared/override-kernel';

export interface KernelSpy {
  /** Calls counted since the spy was made. */
  readonly calls: number;
  /** Unwraps the counter (and re-installs our override where the spy replaced it). */
  restore(): void;
}

/** Swaps the kernel registered for (backend, kernel) for `wrap(it)`; returns the original. */
function rewrap(backendName: string, kernelName: string, wrap: (f: KernelFunc) => KernelFunc) {
  const current = getKernel(kernelName, backendName);
  if (current === undefined) throw new Error(`no ${kernelName} kernel for ${backendName}`);
  unregisterKernel(kernelName, backendName);
  registerKernel({ ...current, kernelFunc: wrap(current.kernelFunc) });
  return current;
}

function counting(backendName: string, kernelName: string) {
  const spy = { calls: 0 };
  const original = rewrap(backendName, kernelName, (f) => (args) => {
    spy.calls++;
    return f(args);
  });
  const put = () => {
    unregisterKernel(kernelName, backendName);
    registerKernel(original);
  };
  return { spy, put };
}

/** Counts every call of the registered kernel (ours, whichever route it then takes). */
export function spyOnKernel(backendName: string, kernelName: string): KernelSpy {
  const { spy, put } = counting(backendName, kernelName);
  return {
    get calls() {
      return spy.calls;
    },
    restore: put,
  };
}

/**
 * Counts the calls that reach the stock kernel under our override: removes the override, wraps
 * the stock kernel with a counter, and installs our override again over it with `install`.
 */
export function spyOnStock(
  backendName: string,
  kernelName: string,
  install: () => unknown,
): KernelSpy {
  if (!removeKernelOverride(backendName, kernelName)) {
    throw new Error(`${kernelName} (${backendName}) has no override of ours installed`);
  }
  const { spy, put } = counting(backendName, kernelName);
  void install();
  return {
    get calls() {
      return spy.calls;
    },
    restore() {
      removeKernelOverride(backendName, kernelName);
      put();
      void install();
    },
  };
}

/** Runs `fn` (synchronous) with the stock kernels `kernelNames` (our overrides removed), then re-installs ours. */
export function withStockKernels<T>(
  backendName: string,
  kernelNames: readonly string[],
  install: () => unknown,
  fn: () => T,
): T {
  for (const name of kernelNames) removeKernelOverride(backendName, name);
  try {
    return fn();
  } finally {
    void install();
  }
}

export interface RouteSpy {
  /** Calls our fast path answered since the spy was made. */
  readonly ours: number;
  /** Calls handed to the stock kernel. */
  readonly stock: number;
  restore(): void;
}

/** Counts the calls of our override of (backend, kernel) that each route answered. */
export function spyOnRoutes(
  backendName: string,
  kernelName: string,
  install: () => unknown,
): RouteSpy {
  const stock = spyOnStock(backendName, kernelName, install);
  const all = spyOnKernel(backendName, kernelName);
  return {
    get ours() {
      return all.calls - stock.calls;
    },
    get stock() {
      return stock.calls;
    },
    restore() {
      all.restore();
      stock.restore();
    },
  };
}

/** Runs `fn` with every kernel of `kernelNames` spied on; its result and the summed counts. */
export function countRoutes<T>(
  backendName: string,
  kernelNames: readonly string[],
  install: () => unknown,
  fn: () => T,
): { result: T; ours: number; stock: number } {
  const spies = kernelNames.map((name) => spyOnRoutes(backendName, name, install));
  try {
    const result = fn();
    const total = (k: 'ours' | 'stock') => spies.reduce((n, s) => n + s[k], 0);
    return { result, ours: total('ours'), stock: total('stock') };
  } finally {
    for (const s of spies.reverse()) s.restore();
  }
}
