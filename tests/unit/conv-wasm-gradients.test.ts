// Conv2D / conv2dTranspose gradients on the wasm backend (with src/backends/wasm/conv-wasm-gradients) checked
// against the pure-JS CPU backend. The wasm build for Node loads its .wasm files from
// node_modules by itself (SIMD, single-threaded here); no setWasmPaths is needed.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/ops/register-gradients';
import '../../src/backends/wasm/conv-wasm-gradients';
import { seededValues as values } from './seeded';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid';
type Backend = 'cpu' | 'wasm';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Loss and gradients on one backend. The loss Σ (op(a, w) ⊙ R) with a fixed random R makes the
 * upstream gradient dy = R non-uniform, so every entry of ∂a and ∂w is exercised.
 */
async function lossAndGrads(
  backend: Backend,
  op: (a: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
  aShape: Shape4,
  wShape: Shape4,
  outShape: Shape4,
  seed: number,
): Promise<{ loss: number; da: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  const [loss, da, dw] = tf.tidy(() => {
    const a = tf.tensor4d(values(size(aShape), seed), aShape);
    const w = tf.tensor4d(values(size(wShape), seed + 1), wShape);
    const r = tf.tensor4d(values(size(outShape), seed + 2), outShape);
    const f = (a_: tf.Tensor, w_: tf.Tensor) =>
      tf.sum(tf.mul(op(a_ as tf.Tensor4D, w_ as tf.Tensor4D), r));
    const { value, grads } = tf.valueAndGrads(f)([a, w]);
    return [value, grads[0], grads[1]] as const;
  });
  expect(da?.shape).toEqual(aShape);
  expect(dw?.shape).toEqual(wShape);
  const out = {
    loss: (await loss.data())[0] ?? NaN,
    da: (await da!.data()) as Float32Array,
    dw: (await dw!.data()) as Float32Array,
  };
  tf.dispose([loss, da!, dw!]);
  return out;
}

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

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

describe('Conv2DBackpropFilter kernel registration', () => {
  it('adds a wasm kernel and leaves the CPU kernel untouched', () => {
    const wasm = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    const cpu = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    expect(wasm).toBeDefined();
    expect(cpu).toBeDefined();
    expect(cpu?.kernelFunc).not.toBe(wasm?.kernelFunc);
    // Conv2dTranspose's forward pass is the wasm backend's own kernel.
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
  });
});

// [input, filter [KH,KW,Ci,Co], stride, pad]: 28×28 and 7×7, 1–16 channels, 3×3 and 4×4.
const conv2dCases: [Shape4, Shape4, number, Pad][] = [
  [[2, 28, 28, 1], [3, 3, 1, 8], 1, 'same'],
  [[3, 28, 28, 1], [3, 3, 1, 16], 2, 'same'],
  [[2, 28, 28, 4], [3, 3, 4, 8], 2, 'valid'], // 27 of 28 rows read: leftover row
  [[2, 28, 28, 2], [4, 4, 2, 4], 2, 'same'], // asymmetric 'same' padding
  [[4, 7, 7, 16], [3, 3, 16, 16], 1, 'valid'],
  [[2, 7, 7, 16], [4, 4, 16, 8], 2, 'same'],
  [[3, 7, 7, 3], [4, 4, 3, 5], 2, 'valid'], // 6 of 7 rows read
  [[2, 7, 7, 8], [3, 3, 8, 4], 1, 'same'],
];

describe('conv2d gradients on wasm match the CPU backend', () => {
  it.each(conv2dCases)('x %j, W %j, stride %i, %s', async (xShape, wShape, stride, pad) => {
    const outShape = tf.backend_util.computeConv2DInfo(xShape, wShape, stride, 1, pad)
      .outShape as Shape4;
    const op = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(x, w, stride, pad);
    const ref = await lossAndGrads('cpu', op, xShape, wShape, outShape, 11);
    const got = await lossAndGrads('wasm', op, xShape, wShape, outShape, 11);
    expect(Math.abs(got.loss - ref.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(ref.loss) + 1e-3);
    expectClose(got.da, ref.da, 'dx');
    expectClose(got.dw, ref.dw, 'dW');
  });
});

// [input, filter [KH,KW,Cout,Cin], output, stride, pad]; tf.conv2dTranspose's filter is [h,w,out,in].
const transposeCases: [Shape4, Shape4, Shape4, number, Pad][] = [
  [[2, 7, 7, 16], [4, 4, 8, 16], [2, 14, 14, 8], 2, 'same'],
  [[3, 7, 7, 4], [3, 3, 1, 4], [3, 14, 14, 1], 2, 'same'],
  [[2, 7, 7, 4], [4, 4, 2, 4], [2, 16, 16, 2], 2, 'valid'],
  [[2, 7, 7, 4], [3, 3, 2, 4], [2, 15, 15, 2], 2, 'valid'],
  [[4, 7, 7, 8], [3, 3, 8, 8], [4, 7, 7, 8], 1, 'same'],
  [[2, 28, 28, 4], [3, 3, 1, 4], [2, 28, 28, 1], 1, 'same'],
  [[2, 28, 28, 2], [4, 4, 3, 2], [2, 31, 31, 3], 1, 'valid'],
];

describe('conv2dTranspose gradients on wasm match the CPU backend', () => {
  it.each(transposeCases)(
    'x %j, W %j → %j, stride %i, %s',
    async (xShape, wShape, outShape, stride, pad) => {
      const op = (x: tf.Tensor4D, w: tf.Tensor4D) =>
        tf.conv2dTranspose(x, w, outShape, stride, pad);
      const ref = await lossAndGrads('cpu', op, xShape, wShape, outShape, 23);
      const got = await lossAndGrads('wasm', op, xShape, wShape, outShape, 23);
      expect(Math.abs(got.loss - ref.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(ref.loss) + 1e-3);
      expectClose(got.da, ref.da, 'dx');
      expectClose(got.dw, ref.dw, 'dW');
    },
  );
});

describe('wasm conv gradients: memory', () => {
  it('leaves no tensors and no backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(3 * 28 * 28 * 2, 5), [3, 28, 28, 2]);
    const w1 = tf.tensor4d(values(3 * 3 * 2 * 4, 6), [3, 3, 2, 4]);
    const w2 = tf.tensor4d(values(4 * 4 * 3 * 4, 7), [4, 4, 3, 4]);
    const step = () =>
      tf.tidy(() => {
        const f = (x_: tf.Tensor, w1_: tf.Tensor, w2_: tf.Tensor) => {
          const h = tf.relu(tf.conv2d(x_ as tf.Tensor4D, w1_ as tf.Tensor4D, 2, 'same'));
          const y = tf.conv2dTranspose(h, w2_ as tf.Tensor4D, [3, 28, 28, 3], 2, 'same');
          return tf.mean(tf.square(y));
        };
        const grads = tf.grads(f)([x, w1, w2]);
        return tf.add(tf.sum(grads[1]!), tf.sum(grads[2]!)); // one scalar out of the tidy
      });
    step().dispose(); // warm-up (lazy kernel setup may allocate once)

    const tensorsBefore = tf.memory().numTensors;
    const idsBefore = tf.engine().backend.numDataIds();
    const out = step();
    expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
    out.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Catches intermediates leaked inside the kernel, which the engine's tensor count never sees.
    expect(tf.engine().backend.numDataIds()).toBe(idsBefore);

    const filter = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy: tf.ones([3, 14, 14, 4]) },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 4] },
      ) as tf.Tensor;
    expect(filter.shape).toEqual([3, 3, 2, 4]);
    tf.dispose(filter);
    tf.dispose([x, w1, w2]);
  });
});

describe('training a small conv net on wasm', () => {
  it('lowers the loss with a few SGD steps', async () => {
    await tf.setBackend('wasm');
    // Autoencoder 28×28×1 → conv 3×3/2 'same' → 14×14×4 (relu) → conv2dTranspose 4×4/2 → 28×28×1.
    const x = tf.tidy(() =>
      tf.div<tf.Tensor4D>(tf.add(tf.tensor4d(values(4 * 28 * 28, 42), [4, 28, 28, 1]), 1), 2),
    );
    const w1 = tf.variable(tf.mul<tf.Tensor4D>(tf.tensor4d(values(36, 1), [3, 3, 1, 4]), 0.5));
    const w2 = tf.variable(tf.mul<tf.Tensor4D>(tf.tensor4d(values(64, 2), [4, 4, 1, 4]), 0.5));
    const loss = () =>
      tf.tidy(() => {
        const h = tf.relu(tf.conv2d(x, w1, 2, 'same'));
        const y = tf.conv2dTranspose(h, w2, [4, 28, 28, 1], 2, 'same');
        return tf.mean(tf.square(tf.sub(y, x))) as tf.Scalar;
      });
    const opt = tf.train.sgd(0.5);
    const w1Before = w1.dataSync().slice();
    const first = loss();
    const initial = first.dataSync()[0] ?? NaN;
    first.dispose();
    let last = initial;
    for (let i = 0; i < 15; i++) {
      const l = opt.minimize(loss, true, [w1, w2]);
      last = l?.dataSync()[0] ?? NaN;
      l?.dispose();
    }
    const w1After = w1.dataSync();
    expect(w1After.some((v, i) => v !== w1Before[i])).toBe(true); // ∂W reached both layers
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(0.7 * initial);
    opt.dispose();
    tf.dispose([x, w1, w2]);
  });
});

describe('cost on wasm', () => {
  it('times forward+backward of conv 28×28×1 → 14×14×32 (3×3, stride 2, batch 128)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(128 * 28 * 28, 3), [128, 28, 28, 1]);
    const w = tf.tensor4d(values(3 * 3 * 32, 4), [3, 3, 1, 32]);
    const run = (withDx: boolean) => {
      const t0 = performance.now();
      const sums = tf.tidy(() => {
        const f = (x_: tf.Tensor, w_: tf.Tensor) =>
          tf.mean(tf.square(tf.conv2d(x_ as tf.Tensor4D, w_ as tf.Tensor4D, 2, 'same')));
        if (withDx) {
          const [dx, dw] = tf.grads(f)([x, w]);
          return [tf.sum(dx!), tf.sum(dw!)];
        }
        return [tf.sum(tf.grad((w_: tf.Tensor) => f(x, w_))(w))];
      });
      const vals = sums.map((s) => s.dataSync()[0] ?? NaN);
      tf.dispose(sums);
      expect(vals.every(Number.isFinite)).toBe(true);
      return performance.now() - t0;
    };
    const median = (withDx: boolean) => {
      run(withDx); // warm-up (kernel setup, wasm heap growth)
      run(withDx);
      const times = [run(withDx), run(withDx), run(withDx), run(withDx), run(withDx)];
      return times.sort((a, b) => a - b)[2] ?? NaN; // median of 5
    };
    const onlyDw = median(false);
    const both = median(true);
    console.log(
      `wasm conv 128×28×28×1 → 128×14×14×32 (3×3/2 same): forward+∂W ${onlyDw.toFixed(1)} ms, ` +
        `forward+∂x+∂W ${both.toFixed(1)} ms`,
    );
    expect(both).toBeLessThan(5000); // generous: the CPU backend needs seconds for ∂W alone
    tf.dispose([x, w]);
  });
});
