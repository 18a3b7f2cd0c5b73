// The phase-decomposed Conv2DBackpropInput (src/backends/wasm/conv-wasm-backprop-input) on the wasm backend,
// checked against the pure-JS CPU backend: as conv2dTranspose's forward pass, as conv2d's ∂x, and
// inside the full gradients of a small conv net. The wasm build for Node loads its .wasm files
// from node_modules by itself (SIMD, single-threaded here).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/ops/register-gradients';
import '../../src/backends/wasm/conv-wasm-gradients';
import { installFastWasmConvBackpropInput } from '../../src/backends/wasm/conv-wasm-backprop-input';
import { isKernelOverridden } from '../../src/backends/shared/override-kernel';
import { seededValues as values } from './seeded';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
type Strides = number | [number, number];
type Backend = 'cpu' | 'wasm';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * |actual − ref| ≤ 1e-4 · max|ref| for every entry: 1e-4 relative to the tensor's scale (an
 * entry-wise relative test would flag float32 summation-order noise on entries near zero).
 */
function expectClose(actual: Float32Array, ref: Float32Array, what: string) {
  expect(actual.length, what).toBe(ref.length);
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  expect(scale, `${what}: reference is all zeros`).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (ref[i] ?? NaN)) / scale);
  }
  expect(worst, `${what}: max |wasm − cpu| / max|cpu|`).toBeLessThanOrEqual(1e-4);
}

async function on<T>(backend: Backend, f: () => T): Promise<T> {
  expect(await tf.setBackend(backend)).toBe(true);
  return f();
}

let packageKernel: tf.KernelConfig | undefined;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
  packageKernel = tf.getKernel('Conv2DBackpropInput', 'wasm');
  expect(installFastWasmConvBackpropInput()).toBe(true);
});

describe('Conv2DBackpropInput kernel registration', () => {
  it('replaces the wasm kernel (idempotently, keeping setupFunc) and leaves the CPU one', () => {
    const wasm = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(packageKernel).toBeDefined();
    expect(isKernelOverridden('wasm', 'Conv2DBackpropInput')).toBe(true);
    expect(wasm?.kernelFunc).not.toBe(packageKernel?.kernelFunc);
    expect(wasm?.setupFunc).toBeDefined();
    expect(wasm?.setupFunc).toBe(packageKernel?.setupFunc);
    expect(installFastWasmConvBackpropInput()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(wasm?.kernelFunc);
    expect(isKernelOverridden('cpu', 'Conv2DBackpropInput')).toBe(false);
  });
});

/** The forward conv's output shape (= conv2dTranspose's input shape) for x and W. */
function convOutShape(xShape: Shape4, wShape: Shape4, strides: Strides, pad: Pad): Shape4 {
  return tf.backend_util.computeConv2DInfo(xShape, wShape, strides, 1, pad).outShape as Shape4;
}

/**
 * Both uses of the kernel for a forward conv x [B,H,W,Ci] * W [KH,KW,Ci,Co]: conv2dTranspose of
 * a random dy back to x's shape, and conv2d's ∂x for the loss Σ conv2d(x, W) ⊙ R.
 */
function bothUses(xShape: Shape4, wShape: Shape4, strides: Strides, pad: Pad, seed: number) {
  const dyShape = convOutShape(xShape, wShape, strides, pad);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(xShape), seed), xShape);
    const w = tf.tensor4d(values(size(wShape), seed + 1), wShape);
    const dy = tf.tensor4d(values(size(dyShape), seed + 2), dyShape);
    const transposed = tf.conv2dTranspose(dy, w, xShape, strides, pad);
    const loss = (x_: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(x_ as tf.Tensor4D, w, strides, pad), dy));
    const dx = tf.grad(loss)(x);
    expect(transposed.shape).toEqual(xShape);
    expect(dx.shape).toEqual(xShape);
    return {
      transposed: transposed.dataSync() as Float32Array,
      dx: dx.dataSync() as Float32Array,
    };
  });
}

// [x [B,H,W,Ci], W [KH,KW,Ci,Co], strides, pad]: the forward conv whose ∂x the kernel computes.
const cases: [Shape4, Shape4, Strides, Pad][] = [];
// Kernel sizes 1–5 × stride 1/2 × 'same'/'valid' on odd and even sizes, varying batch and channels.
const sizes = [7, 14, 15, 28];
let n = 0;
for (const k of [1, 2, 3, 4, 5]) {
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      const hw = sizes[n % sizes.length]!;
      const batch = n % 3 === 0 ? 1 : 2;
      const ci = [1, 3, 8, 16][n % 4]!;
      const co = [4, 1, 5, 8, 2][n % 5]!;
      cases.push([[batch, hw, hw, ci], [k, k, ci, co], stride, pad]);
      n++;
    }
  }
}
cases.push(
  [[2, 14, 14, 32], [3, 3, 32, 64], 2, 'same'], // the VQ-VAE decoder's layers
  [[3, 15, 15, 4], [5, 5, 4, 3], 3, 'same'], // stride 3
  [[1, 14, 15, 3], [3, 3, 3, 2], 3, 'valid'], // stride 3, non-square, leftover rows
  [[2, 15, 14, 3], [4, 3, 3, 5], [2, 1], 'same'], // different strides per axis
  [[2, 7, 14, 2], [3, 5, 2, 4], [1, 3], 'valid'],
  [
    [2, 7, 7, 3],
    [3, 3, 3, 4],
    2,
    [
      [0, 0],
      [0, 5],
      [2, 0],
      [0, 0],
    ],
  ], // explicit, big bottom pad
  [
    [1, 8, 8, 2],
    [2, 2, 2, 3],
    2,
    [
      [0, 0],
      [3, 1],
      [1, 4],
      [0, 0],
    ],
  ], // padding beyond a phase
  [[2, 14, 14, 2], [1, 1, 2, 3], 2, 'valid'], // 1×1 stride 2: three phases without taps
);

describe('conv2dTranspose forward and conv2d ∂x on wasm match the CPU backend', () => {
  it.each(cases)('x %j, W %j, strides %j, pad %j', async (xShape, wShape, strides, pad) => {
    const ref = await on('cpu', () => bothUses(xShape, wShape, strides, pad, 17));
    const got = await on('wasm', () => bothUses(xShape, wShape, strides, pad, 17));
    expectClose(got.transposed, ref.transposed, 'conv2dTranspose');
    expectClose(got.dx, ref.dx, 'conv2d ∂x');
  });

  it('hands NCHW (which it does not rewrite) to the package kernel', async () => {
    const dyShape: Shape4 = [2, 3, 4, 4]; // NCHW: forward conv of x [2,2,7,7], W 3×3, stride 2
    const run = () =>
      tf.tidy(() => {
        const dy = tf.tensor4d(values(size(dyShape), 3), dyShape);
        const w = tf.tensor4d(values(3 * 3 * 2 * 3, 4), [3, 3, 2, 3]);
        const attrs = {
          strides: [2, 2],
          pad: 'same',
          dataFormat: 'NCHW',
          inputShape: [2, 2, 7, 7],
        };
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs);
        return (dx as tf.Tensor).dataSync() as Float32Array;
      });
    expectClose(await on('wasm', run), await on('cpu', run), 'NCHW ∂x');
  });
});

/**
 * Loss and gradients of a conv2d → relu → conv2dTranspose net: every gradient passes through
 * Conv2DBackpropInput (the transposed conv's forward pass and the first conv's ∂x).
 */
async function netGrads(backend: Backend): Promise<Float32Array[]> {
  return on(backend, () =>
    tf.tidy(() => {
      const x = tf.tensor4d(values(3 * 15 * 15 * 2, 31), [3, 15, 15, 2]);
      const w1 = tf.tensor4d(values(3 * 3 * 2 * 6, 32), [3, 3, 2, 6]);
      const w2 = tf.tensor4d(values(3 * 3 * 4 * 6, 33), [3, 3, 4, 6]);
      const r = tf.tensor4d(values(3 * 15 * 15 * 4, 34), [3, 15, 15, 4]);
      const f = (x_: tf.Tensor, w1_: tf.Tensor, w2_: tf.Tensor) => {
        const h = tf.relu(tf.conv2d(x_ as tf.Tensor4D, w1_ as tf.Tensor4D, 2, 'same'));
        const y = tf.conv2dTranspose(h, w2_ as tf.Tensor4D, [3, 15, 15, 4], 2, 'same');
        return tf.sum(tf.mul(y, r));
      };
      const { value, grads } = tf.valueAndGrads(f)([x, w1, w2]);
      return [value, ...grads].map((t) => t.dataSync() as Float32Array);
    }),
  );
}

describe('gradients of a conv2d → conv2dTranspose net on wasm', () => {
  it('match the CPU backend', async () => {
    const ref = await netGrads('cpu');
    const got = await netGrads('wasm');
    ['loss', '∂x', '∂W1', '∂W2'].forEach((what, i) => expectClose(got[i]!, ref[i]!, what));
  });
});

describe('Conv2DBackpropInput on wasm: memory', () => {
  it('a training step leaves no tensors and no backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(2 * 14 * 14 * 2, 5), [2, 14, 14, 2]);
    const w1 = tf.variable(tf.tensor4d(values(3 * 3 * 2 * 4, 6), [3, 3, 2, 4]));
    const w2 = tf.variable(tf.tensor4d(values(4 * 4 * 3 * 4, 7), [4, 4, 3, 4]));
    const opt = tf.train.sgd(0.01);
    const loss = () =>
      tf.tidy(() => {
        const h = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 2, 'same'));
        const y = tf.conv2dTranspose(h, w2 as tf.Tensor4D, [2, 14, 14, 3], 2, 'same'); // cropped
        return tf.mean(tf.square(y)) as tf.Scalar;
      });
    const step = () => opt.minimize(loss, false, [w1, w2]);
    step(); // warm-up (lazy kernel setup may allocate once)

    const tensorsBefore = tf.memory().numTensors;
    const idsBefore = tf.engine().backend.numDataIds();
    step();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Catches intermediates leaked inside the kernel, which the engine's tensor count never sees.
    expect(tf.engine().backend.numDataIds()).toBe(idsBefore);
    opt.dispose();
    tf.dispose([x, w1, w2]);
  });
});
