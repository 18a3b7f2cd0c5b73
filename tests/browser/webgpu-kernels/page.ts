// Test page of tests/browser/webgpu-kernels.test.mjs: our webgpu kernels (src/backends/webgpu/webgpu-kernels)
// against TF.js's cpu backend on the same inputs. Starts webgpu the app's way, runs every case
// there, then again on cpu, and shows the largest relative error of each case.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../src/ops/register-gradients';
import { describeGpu, startOnlyBackend } from '../../../src/backends/setup';
import { webgpuBiasAddCalls } from '../../../src/backends/webgpu/webgpu-bias-add';
import { webgpuConvCalls } from '../../../src/backends/webgpu/webgpu-conv';
import { webgpuMatMulCalls } from '../../../src/backends/webgpu/webgpu-matmul';

const out = document.getElementById('out') as HTMLElement;

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

/**
 * tol: the largest error |ours − cpu| / max(1, |cpu|) allowed; 1e-5 unless a case sums many
 * terms (float32 sums of n terms in another order differ by up to about n·6e-8 relative, more
 * where random signs cancel): those give their own.
 */
type Case = { name: string; inputs: number[][]; run: (xs: tf.Tensor[]) => tf.Tensor; tol?: number };
/** The tolerance for sums of many (thousands of) random terms. */
const LONG_SUMS = 5e-4;

const mm = (a: number[], b: number[], ta: boolean, tb: boolean, tol?: number): Case => ({
  name: `matMul ${a}×${b}${ta ? ' tA' : ''}${tb ? ' tB' : ''}`,
  inputs: [a, b],
  tol,
  run: ([x, y]) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb),
});
const sum = (
  shape: number[],
  axis: number | number[],
  keepDims = false,
  mean = false,
  tol?: number,
): Case => ({
  name: `${mean ? 'mean' : 'sum'} ${shape} axis ${axis}${keepDims ? ' keepDims' : ''}`,
  inputs: [shape],
  tol,
  run: ([x]) => (mean ? tf.mean(x!, axis, keepDims) : tf.sum(x!, axis, keepDims)),
});

type Pad = 'same' | 'valid' | number;
const conv = (x: number[], w: number[], stride: number, pad: Pad, dilation = 1): Case => ({
  name: `conv2d ${x}*${w} stride ${stride} pad ${pad} dilation ${dilation}`,
  inputs: [x, w],
  run: ([a, b]) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', dilation),
});
/** Both gradients of Σ r·conv2d(x, w) (Conv2DBackpropInput and …Filter), flattened and joined. */
const convGrads = (x: number[], w: number[], stride: number, pad: Pad): Case => ({
  name: `conv2d gradients ${x}*${w} stride ${stride} pad ${pad}`,
  inputs: [x, w],
  run: ([a, b]) => {
    const f = (p: tf.Tensor, q: tf.Tensor) => {
      const y = tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, stride, pad);
      return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
    };
    const [dx, dw] = tf.grads(f)([a!, b!]);
    return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
  },
});

/** The k-means step's counts and sums over one-hot rows (cast from int32), as vector-quantize.ts. */
const codeSums = (m: number, k: number, d: number, counts: boolean): Case => ({
  name: `one-hot ${counts ? 'counts' : 'sums'} ${m}×${k}×${d}`,
  inputs: [
    [m, k],
    [m, d],
  ],
  run: ([scores, samples]) => {
    const oneHot = tf.cast(tf.oneHot(tf.argMin(scores!, 1) as tf.Tensor1D, k), 'float32');
    return counts
      ? tf.sum(oneHot, 0)
      : tf.matMul(oneHot as tf.Tensor2D, samples as tf.Tensor2D, true, false);
  },
});

const CASES: Case[] = [
  codeSums(6272, 128, 16, true),
  codeSums(6272, 128, 16, false),
  // vec4 program: every transpose, partial tiles (m = 12, n = 20), batches, broadcast batch.
  mm([12, 16], [16, 20], false, false),
  mm([16, 12], [16, 20], true, false),
  mm([12, 16], [20, 16], false, true),
  mm([16, 12], [20, 16], true, true),
  mm([3, 12, 8], [3, 8, 36], false, false),
  mm([1, 12, 8], [2, 8, 36], false, false),
  mm([2, 8, 12], [8, 36], true, false),
  // scalar program: dimensions that are not multiples of 4 (the latent size 2 …).
  mm([9, 6], [6, 2], false, false),
  mm([9, 2], [2, 13], false, false),
  mm([6, 9], [6, 2], true, false),
  mm([9, 6], [2, 6], false, true),
  mm([2, 9], [7, 2], true, true),
  mm([2, 5, 3], [1, 3, 7], false, false),
  // The MLP VAE's own products (batch 128, 784 → 512 → 2): many workgroups, every transpose.
  mm([128, 784], [784, 512], false, false, LONG_SUMS),
  mm([128, 512], [784, 512], false, true, LONG_SUMS),
  mm([128, 784], [128, 512], true, false, LONG_SUMS),
  mm([128, 512], [512, 2], false, false, LONG_SUMS),
  mm([128, 2], [512, 2], false, true),
  mm([128, 512], [128, 2], true, false, LONG_SUMS),
  // The VQ-VAE's (6,272 grid vectors of 16 against 128 codes): distances, code sums, lookup.
  mm([6272, 16], [128, 16], false, true),
  mm([6272, 128], [6272, 16], true, false, LONG_SUMS),
  mm([6272, 128], [128, 16], false, false),
  // Sum and Mean: leading axes (ours, vec4 and scalar widths); trailing and middle axes (stock),
  // among them the app's loss reductions (a [128] mean went wrong on our former row program).
  sum([10, 12], 0),
  sum([10, 6], 0, true),
  sum([3, 4, 8], [0, 1]),
  sum([10, 12], 1),
  sum([10, 7], -1, true),
  sum([2, 3, 5], [1, 2]),
  sum([30], 0),
  sum([4, 5, 6], 1), // middle axis: the stock kernel
  sum([10, 12], 0, false, true),
  sum([10, 7], 1, false, true),
  sum([128, 784], 1, false, false, LONG_SUMS),
  sum([128, 2], 1),
  sum([128], 0, false, true),
  sum([128, 784], 0, false, false, LONG_SUMS),
  sum([128, 512], 0),
  sum([128, 784], [0, 1], false, false, LONG_SUMS),
  sum([6272, 128], 0, false, false, LONG_SUMS),
  sum([6272, 16], 1, true),
  // Convolutions: strides, paddings, a dilation, one input or output channel; the gradients;
  // a transposed convolution (the conv VAE's decoder layers).
  conv([2, 7, 7, 3], [3, 3, 3, 8], 2, 'same'),
  conv([2, 6, 5, 4], [3, 3, 4, 5], 1, 'valid'),
  conv([1, 8, 8, 2], [3, 3, 2, 4], 1, 'same', 2),
  conv([2, 7, 7, 1], [3, 3, 1, 6], 2, 1),
  conv([2, 6, 6, 6], [3, 3, 6, 1], 1, 'same'),
  convGrads([2, 7, 7, 3], [3, 3, 3, 8], 2, 'same'),
  convGrads([2, 6, 6, 4], [3, 3, 4, 1], 1, 'same'),
  convGrads([2, 8, 8, 1], [3, 3, 1, 4], 2, 'valid'),
  {
    name: 'conv2dTranspose 2,4,4,8 → 2,7,7,5 stride 2 same',
    inputs: [
      [2, 4, 4, 8],
      [3, 3, 5, 8],
    ],
    run: ([a, b]) =>
      tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 7, 7, 5], 2, 'same'),
  },
  // Bias adds (a per-channel vector on either side; vec4 and scalar channel counts).
  {
    name: 'bias add 4,16,16,12 + 12',
    inputs: [[4, 16, 16, 12], [12]],
    run: ([a, b]) => tf.add(a!, b!),
  },
  {
    name: 'bias add 1,5 + 900,5',
    inputs: [
      [1, 5],
      [900, 5],
    ],
    run: ([a, b]) => tf.add(a!, b!),
  },
  // AddN of more tensors than a shader may bind (8 storage buffers).
  { name: 'addN of 11', inputs: Array(11).fill([5, 3]), run: (xs) => tf.addN(xs) },
];

async function runAll(inputs: Float32Array[][]): Promise<Float32Array[]> {
  const results: Float32Array[] = [];
  for (const [i, c] of CASES.entries()) {
    const xs = c.inputs.map((shape, j) => tf.tensor(inputs[i]![j]!, shape));
    const y = tf.tidy(() => c.run(xs));
    results.push((await y.data()) as Float32Array);
    tf.dispose([...xs, y]);
  }
  return results;
}

async function main() {
  await startOnlyBackend('webgpu');
  const gpu = await describeGpu('webgpu');
  const inputs = CASES.map((c, i) =>
    c.inputs.map((shape, j) =>
      values(
        shape.reduce((p, d) => p * d, 1),
        100 * i + j + 1,
      ),
    ),
  );
  const before = tf.memory().numTensors;
  const callsBefore = webgpuMatMulCalls();
  const convsBefore = webgpuConvCalls();
  const biasBefore = webgpuBiasAddCalls();
  const ours = await runAll(inputs);
  const ourMatMuls = webgpuMatMulCalls() - callsBefore;
  const ourConvs = webgpuConvCalls() - convsBefore;
  const ourBiasAdds = webgpuBiasAddCalls() - biasBefore;
  const leaked = tf.memory().numTensors - before;
  await tf.setBackend('cpu');
  const ref = await runAll(inputs);
  const errors = CASES.map((c, i) => {
    const a = ours[i]!;
    const b = ref[i]!;
    let err = a.length === b.length ? 0 : Infinity;
    for (let j = 0; j < b.length; j++)
      err = Math.max(err, Math.abs(a[j]! - b[j]!) / Math.max(1, Math.abs(b[j]!)));
    return { name: c.name, err, tol: c.tol ?? 1e-5 };
  });
  return {
    software: gpu?.software ?? null,
    summary: gpu?.summary ?? null,
    ourMatMuls,
    ourConvs,
    ourBiasAdds,
    leaked,
    errors,
  };
}

main().then(
  (r) => {
    out.textContent = JSON.stringify(r);
    out.dataset.done = 'true';
  },
  (e: Error) => {
    out.textContent = JSON.stringify({ error: `${e.message}\n${e.stack}` });
    out.dataset.done = 'true';
  },
);
