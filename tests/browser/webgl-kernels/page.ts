/**
 * Test page of tests/browser/webgl-kernels.test.mjs: conv2d and conv2dTranspose losses and
 * gradients on the webgl backend with our kernels (src/backends/webgl/webgl-kernels) against the stock cpu
 * backend, on the same inputs, small shapes (SwiftShader is slow); and sums over all but the
 * last axis (src/backends/webgl/webgl-sum-by-matmul). Shows one JSON report.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '../../../src/ops/register-gradients';
import { installWebglKernels } from '../../../src/backends/webgl/webgl-kernels';
import { convByTapsApplies } from '../../../src/backends/webgl/webgl-conv-by-taps';
import { inputByTapsApplies } from '../../../src/backends/webgl/webgl-input-by-taps';
import { reducesAllButLast } from '../../../src/backends/webgl/webgl-sum-by-matmul';

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  op: 'conv2d' | 'conv2dTranspose';
  a: Shape4;
  w: Shape4;
  stride: number;
  pad: 'same' | 'valid';
}

// a: conv2d's input, or conv2dTranspose's input; w: the filter as each op takes it.
const CASES: Case[] = [
  {
    name: 'conv 3×3/2 same',
    op: 'conv2d',
    a: [4, 14, 14, 8],
    w: [3, 3, 8, 16],
    stride: 2,
    pad: 'same',
  },
  {
    name: 'conv 3×3/1 same',
    op: 'conv2d',
    a: [2, 12, 12, 8],
    w: [3, 3, 8, 1],
    stride: 1,
    pad: 'same',
  },
  {
    name: 'conv 3×2/2 valid',
    op: 'conv2d',
    a: [2, 9, 11, 3],
    w: [3, 2, 3, 5],
    stride: 2,
    pad: 'valid',
  },
  {
    // dW by im2col in N = 3 groups of G = 2 images (src/backends/webgl/webgl-filter-by-im2col).
    name: 'conv 3×3/1 same, grouped',
    op: 'conv2d',
    a: [6, 10, 20, 4],
    w: [3, 3, 4, 8],
    stride: 1,
    pad: 'same',
  },
  {
    // Few output channels: Conv2D by tap products (src/backends/webgl/webgl-conv-by-taps), strided.
    name: 'conv 3×3/2 same, 2 out',
    op: 'conv2d',
    a: [2, 9, 9, 32],
    w: [3, 3, 32, 2],
    stride: 2,
    pad: 'same',
  },
  {
    name: 'conv 3×3/1 valid, 1 out',
    op: 'conv2d',
    a: [2, 10, 11, 16],
    w: [3, 3, 16, 1],
    stride: 1,
    pad: 'valid',
  },
  {
    // K < stride: phases without taps (zeros) in the interleave.
    name: 'convT 2×2/3 same',
    op: 'conv2dTranspose',
    a: [2, 4, 4, 3],
    w: [2, 2, 5, 3],
    stride: 3,
    pad: 'same',
  },
  {
    name: 'convT 3×3/2 valid',
    op: 'conv2dTranspose',
    a: [2, 5, 6, 4],
    w: [3, 3, 6, 4],
    stride: 2,
    pad: 'valid',
  },
  {
    name: 'convT 3×3/2 same',
    op: 'conv2dTranspose',
    a: [4, 7, 7, 16],
    w: [3, 3, 8, 16],
    stride: 2,
    pad: 'same',
  },
  {
    name: 'convT 4×4/2 same',
    op: 'conv2dTranspose',
    a: [2, 5, 5, 4],
    w: [4, 4, 6, 4],
    stride: 2,
    pad: 'same',
  },
];

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

function apply(c: Case, a: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  if (c.op === 'conv2d') return tf.conv2d(a, w, c.stride, c.pad);
  const [B, H, W] = a.shape;
  const out: Shape4 =
    c.pad === 'same'
      ? [B, H * c.stride, W * c.stride, w.shape[2]]
      : [B, (H - 1) * c.stride + w.shape[0], (W - 1) * c.stride + w.shape[1], w.shape[2]];
  return tf.conv2dTranspose(a, w, out, c.stride, c.pad);
}

async function lossAndGrads(c: Case): Promise<Float32Array[]> {
  const [y, da, dw] = tf.tidy(() => {
    const a = tf.tensor4d(values(size(c.a), 1), c.a);
    const w = tf.tensor4d(values(size(c.w), 2), c.w);
    const outShape = apply(c, a, w).shape;
    const r = tf.tensor(values(size(outShape), 3), outShape);
    const f = (a_: tf.Tensor, w_: tf.Tensor) =>
      tf.sum(tf.mul(apply(c, a_ as tf.Tensor4D, w_ as tf.Tensor4D), r));
    const { value, grads } = tf.valueAndGrads(f)([a, w]);
    value.dispose();
    return [apply(c, a, w), grads[0]!, grads[1]!];
  });
  const out = [
    (await y.data()) as Float32Array,
    (await da.data()) as Float32Array,
    (await dw.data()) as Float32Array,
  ];
  tf.dispose([y, da, dw]);
  return out;
}

function maxRelErr(got: Float32Array, want: Float32Array): number {
  let err = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return got.length === want.length ? err / scale : Infinity;
}

/** Sums over all but the last axis (the matmul route when big enough), and one that is not. */
const SUMS: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
  { shape: [4, 14, 14, 32], axis: [0, 1, 2], keepDims: false }, // one pass
  { shape: [8, 30, 30, 8], axis: [0, 1, 2], keepDims: true }, // two passes
  { shape: [5, 33, 33, 4], axis: [2, 0, 1], keepDims: false }, // odd rows, one pass
  { shape: [300, 70], axis: [0], keepDims: false }, // rank 2
  { shape: [16, 40, 40], axis: [0, 1], keepDims: false }, // last dim not a multiple of 2·2
  { shape: [16, 40, 40], axis: [1, 2], keepDims: false }, // not all but last: stock
];

async function sums(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const [i, c] of SUMS.entries()) {
    const s = tf.tidy(() =>
      tf.sum(tf.tensor(values(size(c.shape), 10 + i), c.shape), c.axis, c.keepDims),
    );
    out.push((await s.data()) as Float32Array);
    s.dispose();
  }
  return out;
}

async function sumResults() {
  await tf.setBackend('cpu');
  const want = await sums();
  await tf.setBackend('webgl');
  await sums();
  const before = tf.memory().numTensors;
  const got = await sums();
  const leaked = tf.memory().numTensors - before;
  return SUMS.map((c, i) => ({
    name: `sum ${c.shape.join('×')} over [${c.axis.join()}]`,
    matmul: reducesAllButLast(c.axis, c.shape),
    leaked,
    error: maxRelErr(got[i]!, want[i]!),
  }));
}

function usesTaps(c: Case): boolean {
  if (c.op !== 'conv2d') return false;
  return convByTapsApplies(backend_util.computeConv2DInfo(c.a, c.w, c.stride, 1, c.pad));
}

/** Whether the case's Conv2DBackpropInput (convT forward, or conv ∂x) takes the tap route. */
function inputTaps(c: Case, outShape: Shape4): boolean {
  const x = c.op === 'conv2d' ? c.a : outShape; // the forward conv's input
  return inputByTapsApplies(backend_util.computeConv2DInfo(x, c.w, c.stride, 1, c.pad));
}

async function main(): Promise<unknown> {
  installWebglKernels();
  const results = [];
  for (const c of CASES) {
    await tf.setBackend('cpu');
    const want = await lossAndGrads(c);
    await tf.setBackend('webgl');
    await lossAndGrads(c); // compile
    const before = tf.memory().numTensors;
    const got = await lossAndGrads(c);
    const leaked = tf.memory().numTensors - before;
    results.push({
      name: c.name,
      taps: usesTaps(c),
      inputTaps: inputTaps(
        c,
        tf.tidy(() => apply(c, tf.zeros(c.a), tf.zeros(c.w)).shape),
      ),
      leaked,
      errors: got.map((g, i) => maxRelErr(g, want[i]!)),
    });
  }
  return { backend: tf.getBackend(), results, sums: await sumResults() };
}

const out = document.getElementById('out') as HTMLElement;
main()
  .then((r) => (out.textContent = JSON.stringify(r)))
  .catch((e: Error) => (out.textContent = JSON.stringify({ error: e.stack ?? e.message })))
  .finally(() => (out.dataset.done = 'true'));
