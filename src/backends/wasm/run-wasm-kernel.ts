/**
 * Runs another kernel registered for the wasm backend from inside one of our wasm kernels
 * (runBackendKernel for 'wasm'). Returns its single output (the caller frees it).
 */
import type {
  KernelBackend,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { runBackendKernel } from '../shared/run-kernel';

export function runWasmKernel(
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  return runBackendKernel('wasm', kernelName, backend, inputs, attrs);
}
