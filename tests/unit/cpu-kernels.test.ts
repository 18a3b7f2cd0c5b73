// Our cpu-backend BatchMatMul (src/backends/cpu/cpu-fast-matmul: the wasm SIMD GEMM over its own memory)
// and elementwise, unary and Sum kernels against the stock cpu kernels they replace, which stay
// reachable by removing our overrides for a moment (./kernel-spy: withStockKernels; countRoutes
// tells which route each call took).
// Vitest runs each test file in its own context, so installing here leaves the other files'
// cpu reference stock; the first test checks that merely importing src/backends/setup does not.
import { setFlagsFromString } from 'node:v8';
import {
  Add,
  BatchMatMul,
  Exp,
  getKernel,
  Log,
  Log1p,
  Multiply,
  Neg,
  RealDiv,
  Relu,
  Sigmoid,
  Sqrt,
  Step,
  Sub,
  Sum,
  Tanh,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGemmModule } from '../../src/backends/gemm/gemm-module';
import { countRoutes, withStockKernels } from './kernel-spy';
import { tf, useCpu } from './tf-setup';
import { seededValues as fill } from './seeded';

// Node 20 has relaxed SIMD (the fused multiply-add variant browsers get) behind a flag.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxedAvailable = WebAssembly.validate(buildGemmModule({ shared: false, relaxed: true }));

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** The cpu backend, these kernels, and how to install ours: the first arguments of ./kernel-spy's. */
const cpu = (kernels: string[], install: () => unknown) => ['cpu', kernels, install] as const;

interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

/** [m, k]·[k, n] stored as each transpose combination needs. */
function cases2d(m: number, k: number, n: number): Case[] {
  return [false, true].flatMap((ta) =>
    [false, true].map((tb) => ({ a: ta ? [k, m] : [m, k], b: tb ? [n, k] : [k, n], ta, tb })),
  );
}

const CASES: Case[] = [
  ...cases2d(13, 17, 23), // odd: edge tiles in rows and column panels
  ...cases2d(128, 64, 33),
  ...cases2d(7, 130, 9),
  ...cases2d(1, 300, 100), // one row
  ...cases2d(50, 1, 50), // k = 1
  ...cases2d(128, 784, 20), // the MLP's encoder shape, narrowed
  { a: [3, 12, 20], b: [3, 20, 30], ta: false, tb: false }, // batched
  { a: [3, 20, 12], b: [1, 30, 20], ta: true, tb: true }, // batch broadcast of B
  { a: [1, 12, 20], b: [4, 20, 30], ta: false, tb: false }, // batch broadcast of A
  { a: [2, 2, 12, 20], b: [2, 2, 30, 20], ta: false, tb: true }, // rank 4
  { a: [2, 3], b: [3, 2], ta: false, tb: false }, // tiny: the stock kernel
];

function product(c: Case, seed: number) {
  return tf.tidy(() => {
    const a = tf.tensor(fill(size(c.a), seed), c.a);
    const b = tf.tensor(fill(size(c.b), seed + 1), c.b);
    const y = tf.matMul(a, b, c.ta, c.tb);
    return { shape: y.shape, values: y.dataSync() as Float32Array };
  });
}

describe('cpu BatchMatMul through installCpuKernels', async () => {
  await useCpu();
  const mm = await import('../../src/backends/cpu/cpu-fast-matmul');
  const { installCpuKernels } = await import('../../src/backends/cpu/cpu-kernels');
  const MATMUL = cpu([BatchMatMul], installCpuKernels);

  it('is installed by register(cpu) only: importing src/backends/setup keeps the stock kernel', async () => {
    const stock = getKernel(BatchMatMul, 'cpu');
    await import('../../src/backends/setup');
    expect(getKernel(BatchMatMul, 'cpu')).toBe(stock);
    expect(stock?.kernelFunc.name).toBe('batchMatMul'); // tfjs-backend-cpu's own
  });

  it('installs once and computes products with the GEMM', async () => {
    await installCpuKernels();
    expect(getKernel(BatchMatMul, 'cpu')?.kernelFunc.name).not.toBe('batchMatMul');
    await installCpuKernels(); // idempotent
    expect(mm.cpuGemmStatus().ready).toBe(true);
  });

  for (const relaxed of [false, true]) {
    it.skipIf(relaxed && !relaxedAvailable)(
      `matches the stock kernel for every transpose, odd sizes and batches (${relaxed ? 'fused multiply-add' : 'plain SIMD'})`,
      async () => {
        mm.resetCpuGemm();
        expect(await mm.prepareCpuGemm({ relaxed })).toBe(true);
        expect(mm.cpuGemmStatus().relaxed).toBe(relaxed);
        for (const [i, c] of CASES.entries()) {
          const stock = withStockKernels(...MATMUL, () => product(c, 10 + i));
          const tensors = tf.memory().numTensors;
          const { result: ours, ours: gemmCalls } = countRoutes(...MATMUL, () =>
            product(c, 10 + i),
          );
          expect(tf.memory().numTensors).toBe(tensors);
          const k = c.ta ? c.a.at(-2)! : c.a.at(-1)!;
          const tiny = 2 * size(ours.shape) * k < mm.MIN_FLOPS;
          expect(gemmCalls, JSON.stringify(c)).toBe(tiny ? 0 : 1);
          expect(ours.shape).toEqual(stock.shape);
          ours.values.forEach((v, j) => {
            // float32 sums of k terms in [-1, 1) in another order: error grows like k·ε.
            expect(Math.abs(v - stock.values[j]!)).toBeLessThan(4e-7 * k + 1e-6);
          });
        }
      },
    );
  }

  it('leaves non-float32 and empty products to the stock kernel', () => {
    const { ours: gemmCalls } = countRoutes(...MATMUL, () => {
      const ints = tf.tidy(() =>
        Array.from(
          tf
            .matMul(tf.ones([40, 40], 'int32'), tf.ones([40, 40], 'int32'))
            .dataSync()
            .slice(0, 3),
        ),
      );
      expect(ints).toEqual([40, 40, 40]);
      const empty = tf.tidy(() => tf.matMul(tf.zeros([40, 0]), tf.zeros([0, 40])).dataSync());
      expect(Array.from(empty.slice(0, 3))).toEqual([0, 0, 0]);
    });
    expect(gemmCalls).toBe(0);
  });

  it('gives the same gradients as the stock kernel and leaks no tensors', () => {
    const x = tf.tensor2d(fill(64 * 100, 3), [64, 100]);
    const w = tf.tensor2d(fill(100 * 30, 4), [100, 30]);
    const grads = () =>
      tf.tidy(() => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))));
        return g([x, w]).map((t) => t.dataSync() as Float32Array);
      });
    const stock = withStockKernels(...MATMUL, grads);
    const tensors = tf.memory().numTensors;
    const { result: ours, ours: gemmCalls } = countRoutes(...MATMUL, grads);
    expect(tf.memory().numTensors).toBe(tensors);
    // Forward, ∂/∂x = dy·wᵀ (transposeB) and ∂/∂w = xᵀ·dy (transposeA).
    expect(gemmCalls).toBe(3);
    ours.forEach((g, i) =>
      g.forEach((v, j) => {
        const ref = stock[i]![j]!;
        expect(Math.abs(v - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
      }),
    );
    tf.dispose([x, w]);
  });
});

describe('cpu Add, Sub, Multiply, RealDiv through installCpuKernels', async () => {
  await useCpu();
  const { installCpuKernels } = await import('../../src/backends/cpu/cpu-kernels');
  // In a hook: describe bodies all run before any test, and the first test above must see the
  // registry before any install.
  beforeAll(installCpuKernels);

  // [a shape, b shape, handled by our loops]
  const shapes: [number[], number[], boolean][] = [
    [[37, 11], [37, 11], true],
    [[37, 11], [], true],
    [[], [37, 11], true],
    [[5, 7], [1], true],
    [[37, 11], [11], true], // a bias
    [[11], [37, 11], true],
    [[37, 11], [1, 11], true],
    [[1, 1, 11], [3, 37, 11], true],
    [[3, 5, 11], [5, 11], true],
    [[0, 5], [5], true], // empty
    [[37, 1], [37, 11], false], // a column stretched: stock
    [[3, 1, 11], [3, 5, 1], false],
  ];
  const ops = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div } as const;
  const kernels = { add: Add, sub: Sub, mul: Multiply, div: RealDiv } as const;

  function run(op: keyof typeof ops, as: number[], bs: number[], seed: number) {
    return tf.tidy(() => {
      const a = tf.tensor(fill(size(as), seed), as);
      // Some zeros in b, so RealDiv makes ±Infinity and NaN (0/0) too.
      const b = tf.tensor(
        fill(size(bs), seed + 1).map((v, i) => (i % 5 === 3 ? 0 : v)),
        bs,
      );
      const y = ops[op](a, b);
      return { shape: y.shape, values: Array.from(y.dataSync()) };
    });
  }

  it('gives bit-identical results to the stock kernels and leaks no tensors', () => {
    for (const op of Object.keys(ops) as (keyof typeof ops)[]) {
      for (const [i, [as, bs, handled]] of shapes.entries()) {
        const on = cpu([kernels[op]], installCpuKernels);
        const stock = withStockKernels(...on, () => run(op, as, bs, 100 + i));
        const tensors = tf.memory().numTensors;
        const { result: ours, ours: fastCalls } = countRoutes(...on, () =>
          run(op, as, bs, 100 + i),
        );
        expect(tf.memory().numTensors).toBe(tensors);
        const what = `${op} ${JSON.stringify(as)} ${JSON.stringify(bs)}`;
        expect(fastCalls, what).toBe(handled ? 1 : 0);
        expect(ours, what).toEqual(stock);
      }
    }
  });

  it('leaves int32 operands to the stock kernels', () => {
    const { result: y, ours: fastCalls } = countRoutes(...cpu([Add], installCpuKernels), () =>
      tf.tidy(() => Array.from(tf.add(tf.tensor1d([1, 2], 'int32'), 3).dataSync())),
    );
    expect(y).toEqual([4, 5]);
    expect(fastCalls).toBe(0);
  });
});

describe('cpu unary kernels through installCpuKernels', async () => {
  await useCpu();
  const { installCpuKernels } = await import('../../src/backends/cpu/cpu-kernels');
  beforeAll(installCpuKernels);
  const UNARY = [Sqrt, Exp, Log, Log1p, Neg, Relu, Step, Sigmoid, Tanh];

  const ops: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    sqrt: tf.sqrt,
    exp: tf.exp,
    log: tf.log,
    log1p: tf.log1p,
    neg: tf.neg,
    relu: tf.relu,
    step: (x) => tf.step(x, 0.25),
    sigmoid: tf.sigmoid,
    tanh: tf.tanh,
  };
  // Values across signs and magnitudes, with 0, −0, ±Infinity and NaN.
  const xs = new Float32Array([
    ...fill(200, 7).map((v) => v * 30),
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
  ]);

  it('gives bit-identical results to the stock kernels and leaks no tensors', () => {
    for (const [name, op] of Object.entries(ops)) {
      const run = () =>
        tf.tidy(() => Array.from(op(tf.tensor2d(xs, [5, xs.length / 5])).dataSync()));
      const on = cpu(UNARY, installCpuKernels);
      const stock = withStockKernels(...on, run);
      const tensors = tf.memory().numTensors;
      const { result: ours, ours: fastCalls } = countRoutes(...on, run);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(fastCalls, name).toBe(1);
      expect(ours, name).toEqual(stock); // toEqual tells 0 from −0 and matches NaN to NaN
    }
  });

  it('leaves int32 inputs to the stock kernels', () => {
    const { result: y, ours: fastCalls } = countRoutes(...cpu(UNARY, installCpuKernels), () =>
      tf.tidy(() => Array.from(tf.neg(tf.tensor1d([1, -2], 'int32')).dataSync())),
    );
    expect(y).toEqual([-1, 2]);
    expect(fastCalls).toBe(0);
  });
});

describe('cpu Sum over leading axes through installCpuKernels', async () => {
  await useCpu();
  const { installCpuKernels } = await import('../../src/backends/cpu/cpu-kernels');
  beforeAll(installCpuKernels);
  const on = cpu([Sum], installCpuKernels);

  // [shape, axis, keepDims, handled by our loop]
  const cases: [number[], number | number[] | undefined, boolean, boolean][] = [
    [[7, 5, 3, 4], [0, 1, 2], false, true], // a conv bias gradient
    [[7, 5, 3, 4], [0, 1, 2], true, true],
    [[40, 13], 0, false, true],
    [[40, 13], [0], true, true],
    [[6, 5, 4], [0, 1], false, true],
    [[6, 5, 4], -3, false, true],
    [[6, 5, 4], [1, 0], false, false], // other order: stock
    [[6, 5, 4], [0, 2], false, false],
    [[6, 5, 4], [1, 2], false, false], // innermost: stock (no transpose there)
    [[6, 5, 4], undefined, false, false],
  ];

  it('gives bit-identical results to the stock kernel and leaks no tensors', () => {
    for (const [i, [shape, axis, keepDims, handled]] of cases.entries()) {
      const run = () =>
        tf.tidy(() => {
          const y = tf.sum(
            tf.tensor(
              fill(size(shape), 300 + i).map((v) => v * 1e3),
              shape,
            ),
            axis,
            keepDims,
          );
          return { shape: y.shape, values: Array.from(y.dataSync()) };
        });
      const stock = withStockKernels(...on, run);
      const tensors = tf.memory().numTensors;
      const { result: ours, ours: fastCalls } = countRoutes(...on, run);
      expect(tf.memory().numTensors).toBe(tensors);
      const what = `${JSON.stringify(shape)} ${JSON.stringify(axis)} ${keepDims}`;
      expect(fastCalls, what).toBe(handled ? 1 : 0);
      expect(ours, what).toEqual(stock);
    }
  });
});
