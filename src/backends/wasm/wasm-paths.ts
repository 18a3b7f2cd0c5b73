/**
 * The wasm backend's binaries, emitted by Vite as assets of this app (never fetched from a CDN).
 */
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export async function configureWasmPaths(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const abs = (u: string) => new URL(u, self.location.href).href;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': abs(plainWasm),
    'tfjs-backend-wasm-simd.wasm': abs(simdWasm),
    'tfjs-backend-wasm-threaded-simd.wasm': abs(threadedSimdWasm),
  });
}
