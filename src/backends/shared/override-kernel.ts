/**
 * Replaces a backend's registered kernel with a fast path that may decline: the kernel that was
 * registered before (the package's own, "stock") stays the fallback, and its setupFunc and
 * disposeFunc are kept (the wasm backend binds its C functions through setupFunc).
 *
 *   registered(args) = fast(args) ?? stock(args)
 *
 * Installing is idempotent (a second call for the same backend and kernel does nothing) and
 * undone by removeKernelOverride, which registers the stock kernel again; a later
 * overrideKernel then wraps whatever is registered at that time.
 */
import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** What a kernel function receives: inputs, backend, attrs. */
export type KernelArgs = Parameters<KernelFunc>[0];

/** Our route for one kernel: its result, or null to hand the call to the stock kernel. */
export type FastPath = (args: KernelArgs) => TensorInfo | TensorInfo[] | null;

/** The stock kernel of each override we installed, by `backend/kernel`. */
const stocks = new Map<string, KernelConfig>();

const key = (backendName: string, kernelName: string) => `${backendName}/${kernelName}`;

/**
 * Installs `fast` (built from the stock kernel function, which it may also call itself) over the
 * kernel registered as `kernelName` for `backendName`. Returns false when no such kernel is
 * registered (the backend package is not loaded yet, or the build leaves the kernel out).
 */
export function overrideKernel(
  backendName: string,
  kernelName: string,
  makeFast: (stock: KernelFunc) => FastPath,
): boolean {
  if (stocks.has(key(backendName, kernelName))) return true;
  const stock = getKernel(kernelName, backendName);
  if (stock === undefined) return false;
  const fast = makeFast(stock.kernelFunc);
  const kernelFunc: KernelFunc = (args) => fast(args) ?? stock.kernelFunc(args);
  unregisterKernel(kernelName, backendName);
  registerKernel({ ...stock, kernelFunc });
  stocks.set(key(backendName, kernelName), stock);
  return true;
}

/** Puts the stock kernel back; false when no override of ours was installed there. */
export function removeKernelOverride(backendName: string, kernelName: string): boolean {
  const stock = stocks.get(key(backendName, kernelName));
  if (stock === undefined) return false;
  unregisterKernel(kernelName, backendName);
  registerKernel(stock);
  stocks.delete(key(backendName, kernelName));
  return true;
}

/** Whether our override of `kernelName` is installed for `backendName`. */
export function isKernelOverridden(backendName: string, kernelName: string): boolean {
  return stocks.has(key(backendName, kernelName));
}
