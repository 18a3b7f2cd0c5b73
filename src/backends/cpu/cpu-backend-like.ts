/**
 * The parts of tfjs-backend-cpu's MathBackendCPU that our cpu kernels (./cpu-fast-*) use, and
 * reading a tensor's values there (a tensor's values live in a typed array of its dtype).
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';

export interface CpuBackendLike {
  data: { get(id: DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** `t`'s values when it is float32 data held in a Float32Array, else null (the stock kernel's). */
export function float32Values(backend: CpuBackendLike, t: TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}
