/**
 * Starts a TF.js backend the stock way, as a user of the packages would: import the backend
 * package, (wasm) say where its .wasm files are, tf.setBackend. Unlike src/backends/setup.ts it
 * installs none of our kernels (src/backends/wasm/wasm-kernels.ts). Throws when `name` does not start.
 *
 * wasm: the single-threaded build. On a cross-origin-isolated page (vite.config.ts sends COOP and
 * COEP) TF.js would pick its threaded build, whose pthread workers come from Blob URLs that our
 * CSP (worker-src 'self') refuses: the backend then never starts. So the naive baseline is stock
 * TF.js on one thread, as on any page that is not cross-origin isolated.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../contracts/config';

export async function startStockBackend(
  name: BackendName,
  beforeWasm?: () => Promise<void> | void,
): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      break;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      break;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      await beforeWasm?.();
      break;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      break;
  }
  const ok = await tf.setBackend(name).catch(() => false);
  if (!ok) throw new Error(`the stock ${name} backend failed to initialise`);
}
