/**
 * Relaxed SIMD for the Node CLI: Node 20's V8 (11.3) has WebAssembly's relaxed SIMD (fused
 * multiply-adds) behind a flag, which browsers ship on (Chrome ≥ 114). Without it our GEMM's
 * one-thread route, and with it our convolutions and their filter gradients, cannot start in
 * Node, and training takes XNNPACK's kernels. Call before the wasm kernels are installed: the
 * flag must be set before the first module that uses it is compiled. Newer Node versions have
 * it on already; the flag is then a no-op.
 */
import { setFlagsFromString } from 'node:v8';

export function enableRelaxedSimd(): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
