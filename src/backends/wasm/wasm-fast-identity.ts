/**
 * Identity on the wasm backend without a copy: the output shares the input's data (its
 * reference count raised), as tfjs-backend-cpu's Identity and the wasm backend's own Reshape do.
 *
 * tfjs-backend-wasm 4.22's Identity copies the input into a new buffer. A training step runs it
 * ~60 times (gradients pass tensors through, casts to the same dtype), ~0.6 ms of an MLP VAE's
 * ~15 ms step measured in Chromium. Tensors are immutable, so sharing is safe: nothing writes to
 * a tensor's data after it is made. Strings keep the original kernel.
 */
import { Identity, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';

/** Installs the override (once); returns false when the wasm backend package is not loaded yet. */
export function installFastWasmIdentity(): boolean {
  return overrideKernel('wasm', Identity, () => (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return null;
    (args.backend as unknown as { incRef(id: DataId): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
