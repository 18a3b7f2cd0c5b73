/**
 * TF.js's wasm heap as shared memory, so that our helper thread works on tensors where they are.
 *
 * tfjs-backend-wasm's SIMD build defines its own memory (a plain ArrayBuffer; 256 pages, at most
 * 65536). The threaded build shares its memory but starts its pthreads from Blob URLs, which our
 * CSP forbids and bundling breaks. Here the SIMD build's bytes are rewritten in one place: its
 * memory section's limits become "shared, at most HEAP_MAX_PAGES" (binary format: flags 0x03,
 * min, max; core specification 2.0 §5.3.8 with the threads proposal). Nothing else in the module
 * changes: no instruction needs to be atomic for that, and the memory is still exported as
 * `memory`, so Emscripten's glue and TF.js see the same heap, over a SharedArrayBuffer.
 * Our GEMM helper (../gemm/gemm-team) then instantiates the same kernel over the very same heap:
 * products, convolutions and their gradients read their operands and write their outputs in
 * place, with no copy into a memory of our own and back (./wasm-gemm-team, ./wasm-conv-team).
 *
 * Only where the two-thread route can run (a cross-origin-isolated worker); elsewhere (and in
 * Node) TF.js loads its own bytes unchanged.
 */
import { env } from '@tensorflow/tfjs-core';
import { u32 } from '../gemm/wasm-asm';

/** The shared heap's maximum (pages of 64 KiB): 2 GiB. Our own team memory has the same. */
export const HEAP_MAX_PAGES = 32768;

/** Reads an unsigned LEB128 at `at`: [value, bytes read]. */
function readU32(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = b[i++];
    if (byte === undefined) throw new Error('shared heap: truncated module');
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [v, i - at];
  }
}

/**
 * The module `bytes` with its one defined memory made shared with at most `maxPages` pages (its
 * minimum kept). Throws where the module defines no memory or more than one.
 */
export function shareDefinedMemory(
  bytes: Uint8Array,
  maxPages = HEAP_MAX_PAGES,
): Uint8Array<ArrayBuffer> {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((m, i) => bytes[i] !== m))
    throw new Error('shared heap: not a WebAssembly module');
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, n] = readU32(bytes, at + 1);
    const body = at + 1 + n;
    if (id === 5) {
      const [count, c] = readU32(bytes, body);
      if (count !== 1) throw new Error(`shared heap: ${count} memories, expected one`);
      const flags = bytes[body + c]!;
      const [min] = readU32(bytes, body + c + 1);
      if (min > maxPages) throw new Error(`shared heap: minimum ${min} pages over ${maxPages}`);
      void flags; // any limits (a maximum or none, shared or not) become shared ones
      const limits = [0x01, 0x03, ...u32(min), ...u32(maxPages)];
      const section = [5, ...u32(limits.length), ...limits];
      const out = new Uint8Array(at + section.length + (bytes.length - body - size));
      out.set(bytes.subarray(0, at), 0);
      out.set(section, at);
      out.set(bytes.subarray(body + size), at + section.length);
      return out;
    }
    at = body + size;
  }
  throw new Error('shared heap: the module defines no memory');
}

/** Whether TF.js's heap should be shared here: a cross-origin-isolated worker with threads. */
export function sharedHeapWanted(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; document?: unknown };
  return (
    g.crossOriginIsolated === true &&
    typeof SharedArrayBuffer !== 'undefined' &&
    typeof Worker !== 'undefined' &&
    typeof Atomics.wait === 'function' &&
    g.document === undefined
  );
}

/** Whether `memory` (a backend's wasm.asm.memory) is a shared WebAssembly.Memory. */
export function isSharedMemory(memory: unknown): memory is WebAssembly.Memory {
  return (
    memory instanceof WebAssembly.Memory &&
    typeof SharedArrayBuffer !== 'undefined' &&
    memory.buffer instanceof SharedArrayBuffer
  );
}

interface FetchingPlatform {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Fetches the SIMD build from `url`, shares its memory and has TF.js load those bytes instead:
 * TF.js, told to fetch through its platform (setWasmPaths(…, true)), asks the platform for `url`
 * and gets them. Resolves false (and changes nothing) where the fetch or the rewrite fails.
 */
export async function serveSharedSimdBuild(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) return false;
    const shared = shareDefinedMemory(new Uint8Array(await response.arrayBuffer()));
    if (!WebAssembly.validate(shared)) return false;
    const platform = env().platform as unknown as FetchingPlatform;
    const original = platform.fetch.bind(platform);
    platform.fetch = (path: string, init?: RequestInit) =>
      path === url
        ? Promise.resolve(new Response(shared, { headers: { 'Content-Type': 'application/wasm' } }))
        : original(path, init);
    return true;
  } catch {
    return false;
  }
}
