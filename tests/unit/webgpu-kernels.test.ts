// Pure parts of our webgpu kernels (src/backends/webgpu/webgpu-*): the product's dimensions and tiling plan,
// the convolutions' matrix views and dispatch, the reduction plan, AddN's grouping. The kernels themselves run in Chromium
// (tests/browser/webgpu-kernels.test.mjs).
import { describe, expect, it } from 'vitest';
import { backend_util } from '@tensorflow/tfjs-core';
import { groupsOf } from '../../src/backends/webgpu/webgpu-add-n';
import {
  convDispatch,
  convLoopBounds,
  convMatrix,
  convProgram,
  TILE_M,
} from '../../src/backends/webgpu/webgpu-conv-programs';
import { matMulDims } from '../../src/backends/webgpu/webgpu-matmul';
import {
  matMulDispatch,
  matMulProgram,
  planMatMul,
  vec4MatMulFits,
  type MatMulDims,
} from '../../src/backends/webgpu/webgpu-matmul-program';
import { planReduce } from '../../src/backends/webgpu/webgpu-sum';

const dims = (m: number, n: number, k: number, extra: Partial<MatMulDims> = {}): MatMulDims => ({
  batchA: 1,
  batchB: 1,
  m,
  n,
  k,
  transposeA: false,
  transposeB: false,
  ...extra,
});

describe('matMulDims', () => {
  it('reads m, n, k through the transposes', () => {
    expect(matMulDims([784, 128], [512, 784], true, true)).toEqual({
      dims: dims(128, 512, 784, { transposeA: true, transposeB: true }),
      outShape: [128, 512],
    });
  });
  it('pairs equal batches and broadcasts a single matrix', () => {
    expect(matMulDims([3, 4, 5], [3, 5, 6], false, false)?.outShape).toEqual([3, 4, 6]);
    expect(matMulDims([4, 5], [2, 3, 5, 6], false, false)?.dims).toMatchObject({
      batchA: 1,
      batchB: 6,
    });
    expect(matMulDims([1, 4, 5], [2, 5, 6], false, false)?.outShape).toEqual([2, 4, 6]);
  });
  it('leaves real broadcasting and mismatches to the stock kernel', () => {
    expect(matMulDims([2, 1, 4, 5], [1, 3, 5, 6], false, false)).toBeNull();
    expect(matMulDims([4, 5], [6, 6], false, false)).toBeNull();
    expect(matMulDims([5], [5, 6], false, false)).toBeNull();
  });
});

describe('planMatMul', () => {
  it('takes vec4 reads only where every contiguous axis is a multiple of 4', () => {
    expect(vec4MatMulFits(dims(128, 512, 784))).toBe(true);
    expect(vec4MatMulFits(dims(128, 2, 512))).toBe(false);
    expect(vec4MatMulFits(dims(2, 512, 128, { transposeA: true }))).toBe(false);
    expect(vec4MatMulFits(dims(2, 512, 128))).toBe(true);
    expect(vec4MatMulFits(dims(128, 512, 2))).toBe(false);
  });
  it('covers every block of C with 8×8 tiles in workgroups of 32', () => {
    const d = dims(128, 512, 784);
    const t = planMatMul(d);
    expect(t).toEqual({ tileM: 8, tileN4: 2, workgroupSize: [32, 1, 1] });
    const [x, y, z] = matMulDispatch(d, t);
    expect(x * 32 * 8).toBeGreaterThanOrEqual(512);
    expect(y * 8).toBeGreaterThanOrEqual(128);
    expect(z).toBe(1);
  });
  it('shapes small products into several small workgroups without idle columns', () => {
    const d = dims(128, 2, 512);
    const t = planMatMul(d);
    expect(t.tileM).toBe(4);
    expect(t.workgroupSize[0]).toBe(1); // one column group
    const [x, y] = matMulDispatch(d, t);
    expect(x).toBe(1);
    expect(y).toBeGreaterThanOrEqual(2);
    expect(y * t.workgroupSize[1] * t.tileM).toBeGreaterThanOrEqual(128);
  });
  it('names each variant and size in the shader key (sizes are baked into the source)', () => {
    const a = matMulProgram(dims(8, 8, 8), planMatMul(dims(8, 8, 8)));
    const b = matMulProgram(dims(8, 8, 12), planMatMul(dims(8, 8, 12)));
    const c = matMulProgram(dims(8, 6, 8), planMatMul(dims(8, 6, 8)));
    expect(new Set([a.shaderKey, b.shaderKey, c.shaderKey]).size).toBe(3);
    expect(a.getUserCode()).not.toContain('workgroupBarrier');
    expect(c.variableComponents).toEqual([1, 1]);
  });
});

describe('planReduce', () => {
  it('sums over leading axes as columns', () => {
    expect(planReduce([128, 784], [0])).toEqual({ rows: 128, cols: 784 });
    expect(planReduce([2, 3, 4], [1, 0])).toEqual({ rows: 6, cols: 4 });
  });
  it('leaves trailing and middle axes, whole tensors and empty ones to the stock kernel', () => {
    expect(planReduce([128, 784], [-1])).toBeNull();
    expect(planReduce([2, 3, 4], [1, 2])).toBeNull();
    expect(planReduce([30], [0])).toBeNull();
    expect(planReduce([4, 5, 6], [1])).toBeNull();
    expect(planReduce([784 * 512], [0])).toBeNull();
    expect(planReduce([0, 3], [0])).toBeNull();
    expect(planReduce([3], [])).toBeNull();
  });
});

describe('groupsOf', () => {
  it('splits in order into groups of at most the size', () => {
    expect(groupsOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 7)).toEqual([
      [1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10],
    ]);
    expect(groupsOf([1, 2], 7)).toEqual([[1, 2]]);
  });
});

describe('convolution programs', () => {
  // The conv VAE's second encoder layer: [128,14,14,32] * [3,3,32,64], stride 2, same → 7×7.
  const info = backend_util.computeConv2DInfo([128, 14, 14, 32], [3, 3, 32, 64], 2, 1, 'same');
  it('views each convolution as a matrix product of the right size', () => {
    expect(convMatrix('forward', info)).toEqual({ rows: 128 * 7 * 7, cols: 64 });
    expect(convMatrix('inputGrad', info)).toEqual({ rows: 128 * 14 * 14, cols: 32 });
    expect(convMatrix('filterGrad', info)).toEqual({ rows: 3 * 3 * 32, cols: 64 });
  });
  it('dispatches enough invocations for every row block and column group', () => {
    for (const kind of ['forward', 'inputGrad', 'filterGrad'] as const) {
      const { rows, cols } = convMatrix(kind, info);
      const p = convProgram(kind, info);
      const [wx, wy] = p.workgroupSize;
      const [x, y] = convDispatch(kind, info);
      expect(wx * wy).toBe(32);
      expect(x * wx * 8).toBeGreaterThanOrEqual(cols);
      expect(y * wy * TILE_M).toBeGreaterThanOrEqual(rows);
      expect(p.getUserCode()).not.toContain('workgroupBarrier');
    }
  });
  it('passes the loop bounds as uniforms', () => {
    expect(convLoopBounds('forward', info).map((u) => u.data[0])).toEqual([3, 3, 32]);
    expect(convLoopBounds('inputGrad', info).map((u) => u.data[0])).toEqual([3, 3, 64]);
    expect(convLoopBounds('filterGrad', info).map((u) => u.data[0])).toEqual([128, 7, 7]);
  });
});
