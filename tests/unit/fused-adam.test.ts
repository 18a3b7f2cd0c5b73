// The fused Adam update (src/backends/shared/fused-adam.ts, called by src/train/fused-adam.ts)
// against TF.js's own AdamOptimizer on the cpu and wasm backends, step by step; against Adam's
// closed form for the first step (m̂ = g, v̂ = g², so x moves by lr·g/(|g| + ε)); tensors kept
// stable; and its state read back by TF.js's Adam, which then continues the same way.
import { setFlagsFromString } from 'node:v8';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCpuKernels } from '../../src/backends/cpu/cpu-kernels';
import { installWasmKernels } from '../../src/backends/wasm/wasm-kernels';
import { adamConstants, adamUpdate } from '../../src/backends/shared/fused-adam';
import { buildAdamModule } from '../../src/backends/wasm/wasm-adam';
import { FUSED_ADAM } from '../../src/contracts/fused-adam';
import { FusedAdam } from '../../src/train/fused-adam';
import { seededValues as fill } from './seeded';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const SHAPES = [[37, 19], [5], [3, 3, 4, 8]];
let unique = 0;

/** Variables of SHAPES with seeded values, and a gradient per step (also seeded). */
function setup() {
  const tag = unique++;
  const vars = SHAPES.map((s, i) =>
    tf.variable(
      tf.tensor(
        fill(
          s.reduce((a, b) => a * b),
          100 + i,
        ),
        s,
      ),
      true,
      `w${tag}_${i}`,
    ),
  );
  const grads = (step: number) =>
    Object.fromEntries(
      vars.map((v, i) => [
        v.name,
        tf.tidy(() => tf.mul(tf.tensor(fill(v.size, 1000 * step + i), v.shape), 3)),
      ]),
    );
  return { vars, grads };
}

async function train(opt: tf.AdamOptimizer, steps: number, from = 0) {
  const { vars, grads } = setup();
  for (let t = from; t < from + steps; t++) {
    const g = grads(t);
    opt.applyGradients(g);
    tf.dispose(Object.values(g));
  }
  const values = await Promise.all(vars.map((v) => v.data()));
  return { vars, values: values as Float32Array[] };
}

function worst(a: Float32Array[], b: Float32Array[]) {
  let w = 0;
  a.forEach((x, i) => x.forEach((v, j) => (w = Math.max(w, Math.abs(v - b[i]![j]!)))));
  return w;
}

beforeAll(async () => {
  await installCpuKernels();
  installWasmKernels();
});

describe('fused Adam', () => {
  it('the generated SIMD loop gives exactly the plain loop, lane by lane', async () => {
    const n = 1000;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = buildAdamModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    const heap = new Float32Array(memory.buffer);
    const ins = [0, 1, 2, 3].map((k) => heap.subarray(k * n, (k + 1) * n));
    ins.forEach((a, k) => a.set(fill(n, 7 + k)));
    ins[2]!.forEach((x, i, a) => (a[i] = x * x)); // v ≥ 0
    const outs = [4, 5, 6].map((k) => heap.subarray(k * n, (k + 1) * n));
    const attrs = { learningRate: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const [a1, a2] = [0.9 ** 3, 0.999 ** 3].map(Math.fround) as [number, number];
    const adam = instance.exports.adam as (...args: number[]) => void;
    adam(...[0, 1, 2, 3, 4, 5, 6].map((k) => k * n * 4), n, ...adamConstants(attrs, a1, a2));
    const want = [0, 1, 2].map(() => new Float32Array(n));
    adamUpdate(ins, want, a1, a2, attrs);
    outs.forEach((o, k) => expect(Array.from(o)).toEqual(Array.from(want[k]!)));
    expect(outs[0]!.some((x, i) => x !== ins[0]![i])).toBe(true);
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`${backend}: the fused kernel runs and matches TF.js's Adam bit for bit over 6 steps`, async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      expect(FusedAdam.available()).toBe(true);
      const fused = new FusedAdam(0.01);
      const stock = tf.train.adam(0.01);
      const probe = new FusedAdam(0.01);
      const profile = await tf.profile(async () => {
        tf.dispose((await train(probe, 1)).vars);
      });
      expect(profile.kernelNames).toContain(FUSED_ADAM);
      expect(profile.kernelNames).not.toContain('Sqrt');
      probe.dispose();
      const a = await train(fused, 6);
      const b = await train(stock, 6);
      // The same float32 operations in the same order: bit for bit.
      expect(worst(a.values, b.values)).toBe(0);
      // And they did move (else the comparison would be empty).
      const start = SHAPES.map((s, i) =>
        fill(
          s.reduce((x, y) => x * y),
          100 + i,
        ),
      );
      expect(worst(a.values, start)).toBeGreaterThan(0.03);
      fused.dispose();
      stock.dispose();
      tf.dispose([...a.vars, ...b.vars]);
    });

    it(`${backend}: the first step is Adam's closed form, and tensors stay stable`, async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const lr = 0.05;
      const opt = new FusedAdam(lr);
      const { vars, grads } = setup();
      const x0 = vars.map((v) => v.dataSync().slice());
      const g0 = grads(0);
      const g0v = Object.values(g0).map((g) => g.dataSync());
      opt.applyGradients(g0);
      tf.dispose(Object.values(g0));
      const eps = tf.backend().epsilon();
      vars.forEach((v, i) => {
        const x1 = v.dataSync();
        x1.forEach((val, j) => {
          const g = g0v[i]![j]!;
          expect(val).toBeCloseTo(x0[i]![j]! - (lr * g) / (Math.abs(g) + eps), 5);
        });
      });
      const before = tf.memory().numTensors;
      for (let t = 1; t < 4; t++) {
        const g = grads(t);
        opt.applyGradients(g);
        tf.dispose(Object.values(g));
      }
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
      tf.dispose(vars);
    });
  }

  it("wasm: its state is TF.js Adam's (getWeights → setWeights continues identically)", async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const fused = new FusedAdam(0.01);
    const a = await train(fused, 3);
    const stock = tf.train.adam(0.01);
    const b = await train(stock, 3);
    // Hand the fused run's state to TF.js's Adam, and the stock run's to a fused one.
    const fusedNext = new FusedAdam(0.01);
    const stockNext = tf.train.adam(0.01);
    await stockNext.setWeights(await fused.getWeights());
    await fusedNext.setWeights(await stock.getWeights());
    const names = (w: { name: string }[]) => w.map((x) => x.name.replace(/^w\d+_/, ''));
    expect(names(await fused.getWeights())).toEqual(names(await stock.getWeights()));
    for (let t = 3; t < 6; t++) {
      const gA = Object.fromEntries(
        a.vars.map((v, i) => [
          v.name,
          tf.tidy(() => tf.mul(tf.tensor(fill(v.size, 1000 * t + i), v.shape), 3)),
        ]),
      );
      const gB = Object.fromEntries(
        b.vars.map((v, i) => [
          v.name,
          tf.tidy(() => tf.mul(tf.tensor(fill(v.size, 1000 * t + i), v.shape), 3)),
        ]),
      );
      stockNext.applyGradients(gA);
      fusedNext.applyGradients(gB);
      tf.dispose([...Object.values(gA), ...Object.values(gB)]);
    }
    const va = (await Promise.all(a.vars.map((v) => v.data()))) as Float32Array[];
    const vb = (await Promise.all(b.vars.map((v) => v.data()))) as Float32Array[];
    expect(worst(va, vb)).toBeLessThan(1e-6);
    for (const o of [fused, stock, fusedNext, stockNext]) o.dispose();
    tf.dispose([...a.vars, ...b.vars]);
  });
});
