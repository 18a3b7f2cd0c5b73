/**
 * Runs another kernel registered for a backend from inside one of our kernels for that backend,
 * as the backends' own kernels compose each other: nothing is recorded on the gradient tape and
 * no engine-level tensors are made. Returns its single output (the caller frees it).
 */
import {
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

export function runBackendKernel(
  backendName: string,
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(kernelName, backendName);
  if (kernel === undefined) {
    throw new Error(`the ${backendName} backend has no '${kernelName}' kernel.`);
  }
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new Error(`the ${backendName} kernel '${kernelName}' returned several outputs.`);
  }
  return out;
}
