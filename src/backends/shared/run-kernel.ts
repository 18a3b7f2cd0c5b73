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

/**
 * The intermediate tensors of one of our composed kernels: `run` runs a kernel of the backend
 * (runBackendKernel) and keeps its output, `keep` keeps any other output, and `dispose` frees all
 * kept ones (in a `finally`; the kernel's own result is made by a last call outside the scratch).
 */
export function kernelScratch(backendName: string, backend: KernelBackend) {
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => {
    temps.push(t);
    return t;
  };
  return {
    run: (kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo =>
      keep(runBackendKernel(backendName, kernelName, backend, inputs, attrs)),
    keep,
    dispose: (): void => {
      for (const t of temps.splice(0)) backend.disposeData(t.dataId);
    },
  };
}
