/**
 * The wasm backend's binaries, emitted by Vite as assets of this app (never fetched from a CDN).
 * Where our helper thread can run (a cross-origin-isolated worker), the SIMD build is loaded with
 * its memory made shared (./shared-heap), so that the helper works in TF.js's heap in place.
 */
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { serveSharedSimdBuild, sharedHeapWanted } from './shared-heap';

export async function configureWasmPaths(options: { sharedHeap?: boolean } = {}): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const abs = (u: string) => new URL(u, self.location.href).href;
  const simd = abs(simdWasm);
  // TF.js fetches through its platform (where the shared build is served) only when told to.
  const shared =
    (options.sharedHeap ?? true) && sharedHeapWanted() && (await serveSharedSimdBuild(simd));
  setWasmPaths(
    {
      'tfjs-backend-wasm.wasm': abs(plainWasm),
      'tfjs-backend-wasm-simd.wasm': simd,
      'tfjs-backend-wasm-threaded-simd.wasm': abs(threadedSimdWasm),
    },
    shared,
  );
}
