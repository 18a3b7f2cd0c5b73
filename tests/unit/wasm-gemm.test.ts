// The generated WebAssembly SIMD GEMM (src/backends/gemm) against a plain JS triple loop, and the
// two-thread BatchMatMul route (src/backends/wasm/wasm-parallel-matmul) against the cpu backend. Node has no
// cross-origin isolation, so the route runs here with an inline helper (both shares on this
// thread, same split); tests/browser/parallel-matmul.test.mjs runs it on a real second thread.
import { setFlagsFromString } from 'node:v8';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGemmModule, MR, NR, scratchBytes } from '../../src/backends/gemm/gemm-module';
import {
  chunkBounds,
  GemmTeam,
  ITEMS,
  PANELS,
  planChunks,
  ROWS,
  TARGET_CHUNKS,
  type GemmFn,
} from '../../src/backends/gemm/gemm-team';
import { seededValues as fill } from './seeded';

/** C = op(A)·op(B) in float64 by the definition; A stored [m,k] (or [k,m] if ta), B [k,n] (or [n,k]). */
function reference(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
) {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++)
        s += A[ta ? q * m + i : i * k + q]! * B[tb ? j * k + q : q * n + j]!;
      C[i * n + j] = s;
    }
  return C;
}

// Node 20 has relaxed SIMD (the fused multiply-add variant browsers get) behind a flag.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxedAvailable = WebAssembly.validate(buildGemmModule({ shared: false, relaxed: true }));

async function instantiate(shared: boolean, mr?: number, relaxed = false) {
  const memory = shared
    ? new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true })
    : new WebAssembly.Memory({ initial: 64 });
  const bytes = buildGemmModule({ shared, mr, relaxed });
  expect(WebAssembly.validate(bytes)).toBe(true);
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  return { memory, gemm: instance.exports.gemm as unknown as GemmFn };
}

describe('generated wasm SIMD GEMM', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 9, 1],
    [7, 5, 9],
    [6, 4, 8],
    [13, 17, 23],
    [37, 3, 2],
    [5, 130, 17],
    [12, 33, 16],
    [25, 0, 9], // k = 0: zeros
  ];

  for (const [mr, relaxed] of [
    [MR, false],
    [4, false],
    [1, false],
    [MR, true],
  ] as [number, boolean][]) {
    it.skipIf(relaxed && !relaxedAvailable)(
      `matches a triple loop for odd shapes and every transpose combination (micro-tile ${mr}×${NR}${relaxed ? ', fused multiply-add' : ''})`,
      async () => {
        const { memory, gemm } = await instantiate(false, mr, relaxed);
        const f32 = new Float32Array(memory.buffer);
        for (const [si, [m, k, n]] of shapes.entries()) {
          for (const ta of [false, true])
            for (const tb of [false, true]) {
              const A = fill(m * k, 100 + si);
              const B = fill(k * n, 200 + si);
              // Operands at odd float offsets (only 4-byte aligned), C pre-filled with garbage.
              const a = 4 * 16 + 4;
              const b = a + A.length * 4 + 12;
              const c = b + B.length * 4 + 20;
              const pbuf = c + m * n * 4 + 36;
              const tmp = pbuf + scratchBytes(k).pbuf + 4;
              f32.set(A, a / 4);
              f32.set(B, b / 4);
              f32.fill(NaN, c / 4, c / 4 + m * n + 8);
              gemm(
                a,
                ta ? 4 : k * 4,
                ta ? m * 4 : 4,
                b,
                tb ? 4 : n * 4,
                tb ? k * 4 : 4,
                c,
                n * 4,
                n,
                k,
                0,
                m,
                0,
                Math.ceil(n / NR),
                pbuf,
                tmp,
              );
              const want = reference(A, B, m, k, n, ta, tb);
              for (let i = 0; i < m * n; i++) expect(f32[c / 4 + i]).toBeCloseTo(want[i]!, 4);
              // Nothing written past C.
              expect(Number.isNaN(f32[c / 4 + m * n])).toBe(true);
            }
        }
      },
    );
  }

  it('has relaxed SIMD to test here (Node 20 with the flag)', () => {
    expect(relaxedAvailable).toBe(true);
  });

  it('plans about TARGET_CHUNKS chunks: panels, rows in multiples of MR, or items, each once', () => {
    const g = (m: number, n: number) => ({
      a: 0,
      sam: 0,
      sak: 0,
      b: 0,
      sbk: 0,
      sbn: 0,
      c: 0,
      ldc: 0,
      m,
      n,
      k: 1,
    });
    for (const [m, n, count, mode] of [
      [128, 512, 1, PANELS],
      [128, 784, 1, PANELS],
      [1500, 5, 1, ROWS],
      [19, 7, 1, ROWS],
      [49, 49, 512, ITEMS],
      [60, 72, 13, ITEMS],
    ] as const) {
      const plan = planChunks(m, n, count);
      expect(plan.mode, `${m}×${n}×${count}`).toBe(mode);
      expect(plan.chunks).toBeLessThanOrEqual(TARGET_CHUNKS);
      if (mode === ROWS) expect(plan.per % MR).toBe(0);
      // Each row, panel and item in exactly one chunk.
      const units = mode === ITEMS ? count : mode === ROWS ? m : Math.ceil(n / NR);
      const hits = new Uint8Array(units);
      for (let i = 0; i < plan.chunks; i++) {
        const [r0, r1, p0, p1, i0, i1] = chunkBounds(g(m, n), count, plan, i) as number[];
        const [a, b] = mode === ITEMS ? [i0!, i1!] : mode === ROWS ? [r0!, r1!] : [p0!, p1!];
        expect(b).toBeGreaterThan(a);
        for (let u = a; u < b; u++) hits[u]!++;
      }
      expect(
        hits.every((x) => x === 1),
        `${m}×${n}×${count}`,
      ).toBe(true);
    }
  });

  it('computes exactly the rows and column panels it is given, and a split gives identical results', async () => {
    const { memory, gemm } = await instantiate(true);
    const f32 = new Float32Array(memory.buffer);
    const team = new GemmTeam(memory, gemm, 0, true);
    for (const [m, k, n] of [
      [50, 31, 45],
      [19, 40, 7], // few panels: split by rows
      [130, 64, 300],
    ] as [number, number, number][]) {
      const A = fill(m * k, 1);
      const B = fill(k * n, 2);
      const sb = scratchBytes(k);
      const own = { pbuf: 1024, tmp: 1024 + sb.pbuf };
      const helper = { pbuf: own.tmp + sb.tmp, tmp: own.tmp + sb.tmp + sb.pbuf };
      const a = helper.tmp + sb.tmp;
      const b = a + m * k * 4;
      const c1 = b + k * n * 4;
      const c2 = c1 + m * n * 4;
      f32.set(A, a / 4);
      f32.set(B, b / 4);
      const g = { a, sam: k * 4, sak: 4, b, sbk: n * 4, sbn: 4, c: c1, ldc: n * 4, m, n, k };
      team.runAlone(g, own);
      team.run({ ...g, c: c2 }, own, helper);
      expect(Array.from(f32.subarray(c2 / 4, c2 / 4 + m * n))).toEqual(
        Array.from(f32.subarray(c1 / 4, c1 / 4 + m * n)),
      );
      // The chunks cover every output cell once.
      const plan = planChunks(m, n, 1);
      const seen = new Uint8Array(m * n);
      for (let i = 0; i < plan.chunks; i++) {
        const [r0, r1, p0, p1] = chunkBounds(g, 1, plan, i) as number[];
        for (let r = r0!; r < r1!; r++)
          for (let col = p0! * NR; col < Math.min(n, p1! * NR); col++) seen[r * n + col]!++;
      }
      expect(seen.every((x) => x === 1)).toBe(true);
    }
  });
});

describe('BatchMatMul routes on wasm with our GEMM', () => {
  afterAll(async () => {
    const { stopParallelMatMul, setParallelMatMulMode } =
      await import('../../src/backends/wasm/wasm-parallel-matmul');
    stopParallelMatMul();
    setParallelMatMulMode('auto');
  });

  const cases: { a: number[]; b: number[] }[] = [
    { a: [67, 301], b: [301, 133] }, // panels split, partial last panel, k % 4 = 1
    { a: [1500, 301], b: [301, 5] }, // one partial panel: rows split
    { a: [1, 129, 250], b: [250, 70] }, // rank 3 with batch 1, broadcast against rank 2
    { a: [1, 64, 128], b: [1, 128, 300] },
    { a: [32, 49, 40], b: [32, 40, 49] }, // a batch (attention scores): split by items
    { a: [7, 2, 49, 49], b: [7, 2, 49, 64] }, // odd batch, two leading axes
    { a: [13, 60, 48], b: [48, 72] }, // a batch against one shared B
  ];
  const swap = (s: number[]) => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

  /** Every case and transpose flag on cpu and on wasm in `mode`; `counter` must count each. */
  async function checkAgainstCpu(
    mode: 'one-thread' | 'two-threads',
    counter: 'zeroCopyCalls' | 'sharedCalls',
  ) {
    const parallel = await import('../../src/backends/wasm/wasm-parallel-matmul');
    parallel.setParallelMatMulMode(mode);
    for (const [i, c] of cases.entries())
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const shapeA = ta ? swap(c.a) : c.a;
          const shapeB = tb ? swap(c.b) : c.b;
          const run = () =>
            tf.tidy(() => {
              const a = tf.tensor(fill(util.sizeFromShape(shapeA), 10 + i), shapeA);
              const b = tf.tensor(fill(util.sizeFromShape(shapeB), 20 + i), shapeB);
              const y = tf.matMul(a, b, ta, tb);
              return { shape: y.shape, values: y.dataSync() };
            });
          expect(await tf.setBackend('cpu')).toBe(true);
          const cpu = run();
          expect(await tf.setBackend('wasm')).toBe(true);
          const before = tf.memory().numTensors;
          const calls = parallel.parallelMatMulStats()[counter];
          const wasm = run();
          expect(parallel.parallelMatMulStats()[counter]).toBe(calls + 1);
          expect(tf.memory().numTensors).toBe(before);
          expect(wasm.shape).toEqual(cpu.shape);
          let worst = 0;
          for (let j = 0; j < cpu.values.length; j++)
            worst = Math.max(worst, Math.abs(wasm.values[j]! - cpu.values[j]!));
          expect(worst, `${mode} ${JSON.stringify(c)} ta=${ta} tb=${tb}`).toBeLessThan(1e-3);
        }
  }

  it('one thread, in place in TF.js memory (fused multiply-adds): matches cpu, keeps numTensors', async () => {
    const { installWasmKernels } = await import('../../src/backends/wasm/wasm-kernels');
    const parallel = await import('../../src/backends/wasm/wasm-parallel-matmul');
    installWasmKernels();
    expect(await parallel.prepareSingleThreadGemm()).toBe(true);
    await checkAgainstCpu('one-thread', 'zeroCopyCalls');
  });

  it('two shares through the shared memory (inline helper): matches cpu, keeps numTensors', async () => {
    const parallel = await import('../../src/backends/wasm/wasm-parallel-matmul');
    expect(await parallel.startParallelMatMul({ inline: true })).toBe(true);
    await checkAgainstCpu('two-threads', 'sharedCalls');
  });

  it('leaves small and broadcast-mismatched products, and everything when off, to the stock route', async () => {
    const parallel = await import('../../src/backends/wasm/wasm-parallel-matmul');
    expect(await tf.setBackend('wasm')).toBe(true);
    parallel.setParallelMatMulMode('auto');
    const total = () => {
      const s = parallel.parallelMatMulStats();
      return s.zeroCopyCalls + s.sharedCalls + s.stockCalls;
    };
    const calls = total();
    tf.tidy(() => {
      tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])).dataSync(); // too small
      tf.matMul(tf.ones([3, 1, 200, 200]), tf.ones([1, 2, 200, 200])).dataSync(); // broadcast
    });
    parallel.setParallelMatMulMode('off');
    tf.tidy(() => tf.matMul(tf.ones([200, 200]), tf.ones([200, 200])).dataSync());
    expect(total()).toBe(calls);
    parallel.setParallelMatMulMode('auto');
    tf.tidy(() => tf.matMul(tf.ones([200, 200]), tf.ones([200, 200])).dataSync());
    expect(total()).toBe(calls + 1);
  });
});
