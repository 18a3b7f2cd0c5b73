// TF.js's wasm heap made shared (src/backends/wasm/shared-heap): the rewrite of the SIMD build's
// memory section, then the backend loaded from the rewritten bytes in Node and our two-thread
// route working in that heap in place (the helper's share inline, on this thread: Node has no
// web Worker). Products, convolutions and their gradients, and fused Adam, each against the
// pure-JS cpu backend; nothing is copied (the route's copy time stays 0).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installCpuKernels } from '../../src/backends/cpu/cpu-kernels';
import { installWasmKernels } from '../../src/backends/wasm/wasm-kernels';
import {
  HEAP_MAX_PAGES,
  isSharedMemory,
  shareDefinedMemory,
} from '../../src/backends/wasm/shared-heap';
import {
  parallelMatMulStats,
  prepareSingleThreadGemm,
  setParallelMatMulMode,
  startParallelMatMul,
  stopParallelMatMul,
} from '../../src/backends/wasm/wasm-parallel-matmul';
import { buildGemmModule } from '../../src/backends/gemm/gemm-module';
import { FusedAdam } from '../../src/train/fused-adam';
import { seededValues as fill } from './seeded';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const DIST = resolve(import.meta.dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const BUILDS = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
let dir = '';

/** [flags, min, max] of a module's defined memory, read straight from its memory section. */
function memoryLimits(bytes: Uint8Array): number[] {
  const leb = (at: number): [number, number] => {
    let v = 0;
    let i = at;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return [v, i];
    }
  };
  let at = 8;
  while (at < bytes.length) {
    const [size, body] = leb(at + 1);
    if (bytes[at] === 5) {
      const [, p] = leb(body);
      const flags = bytes[p]!;
      const [min, q] = leb(p + 1);
      return flags & 1 ? [flags, min, leb(q)[0]] : [flags, min];
    }
    at = body + size;
  }
  return [];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shared-heap-'));
  for (const f of BUILDS)
    writeFileSync(join(dir, f), shareDefinedMemory(readFileSync(join(DIST, f))));
  setWasmPaths(dir + '/');
  await installCpuKernels();
  installWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await prepareSingleThreadGemm()).toBe(true);
});

afterAll(() => {
  stopParallelMatMul();
  setParallelMatMulMode('auto');
  rmSync(dir, { recursive: true, force: true });
});

const heapOf = () => (tf.backend() as unknown as { wasm: { asm: { memory: unknown } } }).wasm;

/** max |a − b| / max |b| over all values. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

/** `f` on cpu, then on wasm (where it must keep numTensors), as flat arrays. */
async function bothBackends(f: () => Float32Array[]): Promise<[Float32Array[], Float32Array[]]> {
  await tf.setBackend('cpu');
  const ref = f();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const got = f();
  expect(tf.memory().numTensors).toBe(before);
  return [got, ref];
}

describe('the SIMD build with a shared memory', () => {
  it('rewrites only the memory section: shared, the minimum kept, HEAP_MAX_PAGES at most', () => {
    const original = Uint8Array.from(readFileSync(join(DIST, 'tfjs-backend-wasm-simd.wasm')));
    const shared = shareDefinedMemory(original);
    const [flags, min, max] = memoryLimits(original);
    expect(flags).toBe(1); // a maximum, not shared
    expect(memoryLimits(shared)).toEqual([3, min, HEAP_MAX_PAGES]);
    expect(WebAssembly.validate(shared)).toBe(true);
    expect(Math.abs(shared.length - original.length)).toBeLessThanOrEqual(4);
    expect(max).toBeGreaterThan(HEAP_MAX_PAGES);
    const names = (b: Uint8Array<ArrayBuffer>) =>
      WebAssembly.Module.exports(new WebAssembly.Module(b)).map((e) => `${e.kind} ${e.name}`);
    expect(names(shared)).toEqual(names(original));
  });

  it('refuses what it cannot rewrite: no module, no memory of its own', () => {
    expect(() => shareDefinedMemory(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(
      /not a WebAssembly module/,
    );
    // Our GEMM module imports its memory: nothing to share.
    expect(() => shareDefinedMemory(buildGemmModule({ shared: false }))).toThrow(
      /defines no memory/,
    );
  });

  it('TF.js runs on it: the heap is a SharedArrayBuffer, and stays one when it grows', async () => {
    expect(isSharedMemory(heapOf().asm.memory)).toBe(true);
    const before = (heapOf().asm.memory as WebAssembly.Memory).buffer.byteLength;
    const big = tf.zeros([4096, 8192]); // 128 MiB: the heap grows
    const after = heapOf().asm.memory as WebAssembly.Memory;
    expect(after.buffer.byteLength).toBeGreaterThan(before);
    expect(isSharedMemory(after)).toBe(true);
    const corner = tf.tidy(() => tf.add(tf.slice(big, [4095, 8190], [1, 2]), 2));
    expect(Array.from(corner.dataSync())).toEqual([2, 2]);
    corner.dispose();
    big.dispose();
  });
});

describe('two threads in the shared heap (inline helper)', () => {
  beforeAll(async () => {
    expect(await startParallelMatMul({ inline: true, backend: tf.backend() })).toBe(true);
    expect(parallelMatMulStats().inHeap).toBe(true);
    setParallelMatMulMode('two-threads');
  });

  it('products (transposed, batched, broadcast) in place: as on cpu, no copies', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[67, 301], [301, 133], false, false],
      [[301, 67], [133, 301], true, true],
      [[1500, 301], [301, 5], false, false],
      [[32, 49, 40], [32, 40, 49], false, false],
      [[13, 60, 48], [48, 72], false, false],
    ];
    for (const [i, [sa, sb, ta, tb]] of cases.entries()) {
      const s0 = parallelMatMulStats();
      const [[got], [ref]] = await bothBackends(() =>
        tf.tidy(() => {
          const a = tf.tensor(
            fill(
              sa.reduce((x, y) => x * y),
              10 + i,
            ),
            sa,
          );
          const b = tf.tensor(
            fill(
              sb.reduce((x, y) => x * y),
              20 + i,
            ),
            sb,
          );
          return [tf.matMul(a, b, ta, tb).dataSync() as Float32Array];
        }),
      );
      const s1 = parallelMatMulStats();
      expect(s1.inPlaceCalls - s0.inPlaceCalls, `case ${i}`).toBe(1);
      expect(s1.copyMs).toBe(s0.copyMs);
      expect(relError(got!, ref!), `case ${i}`).toBeLessThan(1e-5);
    }
  });

  it('a conv net: forward, input and filter gradients in place, as on cpu', async () => {
    const s0 = parallelMatMulStats();
    const [got, ref] = await bothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(fill(12 * 14 * 14 * 16, 5), [12, 14, 14, 16]);
        const w1 = tf.tensor4d(fill(3 * 3 * 16 * 32, 6), [3, 3, 16, 32]);
        const w2 = tf.tensor4d(fill(3 * 3 * 24 * 32, 7), [3, 3, 24, 32]);
        const f = (a: tf.Tensor, b: tf.Tensor) => {
          const h = tf.relu(tf.conv2d(x, a as tf.Tensor4D, 2, 'same'));
          const t = tf.conv2dTranspose(h, b as tf.Tensor4D, [12, 14, 14, 24], 2, 'same');
          return tf.sum(tf.square(t));
        };
        const y = tf.conv2d(x, w1, 1, 'same');
        return [y, ...tf.grads(f)([w1, w2])].map((g) => g.dataSync() as Float32Array);
      }),
    );
    const s1 = parallelMatMulStats();
    expect(s1.inPlaceCalls - s0.inPlaceCalls).toBeGreaterThanOrEqual(4);
    expect(s1.copyMs).toBe(s0.copyMs);
    got.forEach((g, i) => expect(relError(g, ref[i]!), `output ${i}`).toBeLessThan(1e-4));
  });

  it('fused Adam over the shared heap: as on cpu, bit for bit', async () => {
    const shapes = [[300, 40], [7]];
    const [got, ref] = await bothBackends(() => {
      const vars = shapes.map((s, i) => {
        const init = tf.tensor(
          fill(
            s.reduce((a, b) => a * b),
            100 + i,
          ),
          s,
        );
        const v = tf.variable(init, true, `v${i}`);
        init.dispose();
        return v;
      });
      const opt = new FusedAdam(0.01);
      for (let t = 0; t < 3; t++) {
        const g = vars.map((v, i) => ({
          name: v.name,
          tensor: tf.tensor(fill(v.size, 1000 * t + i), v.shape),
        }));
        opt.applyGradients(g);
        tf.dispose(g.map((x) => x.tensor));
      }
      const out = vars.map((v) => v.dataSync() as Float32Array);
      opt.dispose();
      tf.dispose(vars);
      return out;
    });
    got.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(ref[i]!)));
  });
});
