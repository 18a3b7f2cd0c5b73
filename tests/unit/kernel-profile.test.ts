// The kernel profiler's exclusive (self) times, on made-up kernels of a made-up backend that call
// each other through the kernel registry, as ours do (Conv2DBackpropFilter runs Conv2D), timed by
// a fake clock that each kernel body advances by a known amount: the expected self and inclusive
// times are written out by hand. Then the category summary and the bench's line per model.
import { describe, expect, it } from 'vitest';
import { getKernel, registerKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import { ExclusiveTimer, profileKernels, type KernelTime } from '../../src/backends/kernel-profile';
import {
  formatStepProfile,
  kernelCategory,
  summarizeProfile,
} from '../../src/backends/kernel-categories';
import { profileLines } from '../../scripts/bench/table.mjs';

const BACKEND = 'kernel-profile-test';
const out: TensorInfo = { dataId: {}, shape: [1], dtype: 'float32' };
let clock = 0;
const work = (ms: number) => void (clock += ms);
const call = (kernel: string) =>
  getKernel(kernel, BACKEND)!.kernelFunc({ inputs: {}, backend: {} as never, attrs: {} });

// Conv2DBackpropFilter: 1 ms, Conv2D twice, 2 ms. Conv2D: 3 ms, Reshape, 1 ms. Reshape: 0.5 ms.
registerKernel({
  kernelName: 'Conv2DBackpropFilter',
  backendName: BACKEND,
  kernelFunc: () => {
    work(1);
    call('Conv2D');
    call('Conv2D');
    work(2);
    return out;
  },
});
registerKernel({
  kernelName: 'Conv2D',
  backendName: BACKEND,
  kernelFunc: () => {
    work(3);
    call('Reshape');
    work(1);
    return out;
  },
});
registerKernel({
  kernelName: 'Reshape',
  backendName: BACKEND,
  kernelFunc: () => (work(0.5), out),
});
registerKernel({
  kernelName: 'Fails',
  backendName: BACKEND,
  kernelFunc: () => {
    work(7);
    throw new Error('no');
  },
});

const byName = (rows: KernelTime[]) => Object.fromEntries(rows.map((r) => [r.kernel, r]));

describe('profileKernels', () => {
  it('books self times that add up to the wall time; inclusive times nest', () => {
    const original = getKernel('Conv2D', BACKEND)!.kernelFunc;
    const profile = profileKernels(BACKEND, () => clock);
    const t0 = clock;
    call('Conv2DBackpropFilter'); // one outer call: 1 + 2 × (3 + 0.5 + 1) + 2 = 12 ms
    call('Reshape'); // and one on its own: 0.5 ms
    const wall = clock - t0;
    const rows = profile.stop();
    expect(getKernel('Conv2D', BACKEND)!.kernelFunc).toBe(original); // originals back
    const r = byName(rows);
    expect(r.Conv2DBackpropFilter).toEqual({
      kernel: 'Conv2DBackpropFilter',
      calls: 1,
      ms: 3,
      totalMs: 12,
      underMs: {},
    });
    // Nested self times are also booked under the outermost kernel running.
    const underFilter = (ms: number) => ({ Conv2DBackpropFilter: ms });
    expect(r.Conv2D).toEqual({
      kernel: 'Conv2D',
      calls: 2,
      ms: 8,
      totalMs: 9,
      underMs: underFilter(8),
    });
    expect(r.Reshape).toEqual({
      kernel: 'Reshape',
      calls: 3,
      ms: 1.5,
      totalMs: 1.5,
      underMs: underFilter(1),
    });
    expect(rows.map((x) => x.kernel)).toEqual(['Conv2D', 'Conv2DBackpropFilter', 'Reshape']);
    // Self times add up to the time in kernels; naive (inclusive) sums would count 22.5 ms.
    expect(rows.reduce((a, x) => a + x.ms, 0)).toBe(wall);
    expect(wall).toBe(12.5);
    // Once stopped, calls are no longer timed.
    call('Conv2D');
    expect(profile.stop()).toEqual(rows);
  });

  it('keeps its stack straight when a kernel throws', () => {
    const profile = profileKernels(BACKEND, () => clock);
    expect(() => call('Fails')).toThrow('no');
    call('Conv2D');
    const r = byName(profile.stop());
    expect(r.Fails).toEqual({ kernel: 'Fails', calls: 1, ms: 7, totalMs: 7, underMs: {} });
    expect(r.Conv2D).toEqual({ kernel: 'Conv2D', calls: 1, ms: 4, totalMs: 4.5, underMs: {} });
    expect(r.Reshape!.underMs).toEqual({ Conv2D: 0.5 });
  });
});

describe('ExclusiveTimer', () => {
  it('counts a kernel that recurses into itself once in its inclusive time', () => {
    let t = 0;
    const timer = new ExclusiveTimer(() => t);
    timer.enter('A'); // A [0, 10] runs A [2, 6] which runs B [3, 4]
    t = 2;
    timer.enter('A');
    t = 3;
    timer.enter('B');
    t = 4;
    timer.exit();
    t = 6;
    timer.exit();
    t = 10;
    timer.exit();
    const r = byName(timer.totals());
    expect(r.A).toEqual({ kernel: 'A', calls: 2, ms: 9, totalMs: 10, underMs: { A: 3 } });
    expect(r.B).toEqual({ kernel: 'B', calls: 1, ms: 1, totalMs: 1, underMs: { A: 1 } });
    expect(() => timer.exit()).toThrow();
  });
});

describe('kernel categories', () => {
  it('maps names, sums self times per category per step, and shares add up to 100 %', () => {
    expect(kernelCategory('Conv2DBackpropInput')).toBe('convolutions');
    expect(kernelCategory('_FusedMatMul')).toBe('products');
    expect(kernelCategory('Transpose')).toBe('transposes');
    expect(kernelCategory('Sum')).toBe('reductions');
    expect(kernelCategory('GatherV2')).toBe('gathers');
    expect(kernelCategory('Softplus')).toBe('element-wise');
    expect(kernelCategory('RandomUniform')).toBe('other');
    // Nested self time goes to the outermost kernel's category: 8 of the Transposes' 10 ms ran
    // inside the filter gradient (convolutions, "3 % in other kernels": 4 of 125 ms per step),
    // 2 of Multinomial's inside a product (products).
    const rows: KernelTime[] = [
      { kernel: 'Conv2D', calls: 8, ms: 120, totalMs: 120, underMs: { Conv2DBackpropFilter: 60 } },
      { kernel: 'Conv2DBackpropFilter', calls: 4, ms: 40, totalMs: 100, underMs: {} },
      { kernel: 'BatchMatMul', calls: 4, ms: 20, totalMs: 20, underMs: {} },
      { kernel: 'Transpose', calls: 10, ms: 10, totalMs: 10, underMs: { Conv2DBackpropFilter: 8 } },
      { kernel: 'Multinomial', calls: 2, ms: 10, totalMs: 10, underMs: { BatchMatMul: 2 } },
    ];
    // Two steps of 125 ms wall: 100 ms per step in kernels, 25 outside.
    const p = summarizeProfile(rows, 2, 250);
    expect(p.stepMs).toBe(125);
    expect(p.kernelMs).toBe(100);
    // Per step: convolutions (120 + 40 + 8) / 2, products (20 + 2) / 2, transposes 2 / 2,
    // other 8 / 2.
    expect(p.categories).toEqual({
      convolutions: 84,
      products: 11,
      transposes: 1,
      'element-wise': 0,
      reductions: 0,
      gathers: 0,
      other: 4,
    });
    expect(p.underConvolutions).toBe(4);
    expect(p.kernels[1]).toEqual({
      kernel: 'Conv2DBackpropFilter',
      category: 'convolutions',
      calls: 2,
      ms: 20,
      totalMs: 50,
      underMs: {},
    });
    expect(formatStepProfile(p)).toBe(
      '125 ms/step, 100 in kernels — convolutions 67 % (3 % in other kernels they run), ' +
        'products 9 %, transposes 1 %, element-wise 0 %, reductions 0 %, gathers 0 %, ' +
        'other 3 %, outside kernels 20 %',
    );
    const [line] = profileLines([
      { runtime: 'node', backend: 'wasm', model: 'conv-vae', ours: { profile: p } },
      { runtime: 'node', backend: 'wasm', model: 'mlp-vae', ours: { profile: null } },
    ]);
    expect(line).toBe(
      'node wasm conv-vae: 125 ms/step, 100 in kernels — convolutions 67 % ' +
        '(3 % in other kernels they run), products 9 %, ' +
        'transposes 1 %, element-wise 0 %, reductions 0 %, gathers 0 %, other 3 %, ' +
        'outside kernels 20 % (slowest: Conv2D 48 %, Conv2DBackpropFilter 16 %, BatchMatMul 8 %)',
    );
  });
});
