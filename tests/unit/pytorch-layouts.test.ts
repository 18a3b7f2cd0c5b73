// TF.js → PyTorch weight layouts: a weight permuted for PyTorch and applied the way PyTorch
// applies it (NCHW, explicit 'same' padding, direct loops) gives TF.js's result.
import { beforeAll, describe, expect, it } from 'vitest';
import { permute, toTorchLayout } from '../../src/train/export/layouts';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** TF 'same' padding of one axis, as model.py's same_pads: (before, after). */
function samePads(size: number, k: number, s: number): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const rand = (n: number, seed: number) =>
  Float32Array.from(tf.randomUniform([n], -1, 1, 'float32', seed).dataSync());

/** nn.Conv2d on x [Ci,H,W] with W [Co,Ci,k,k] after explicit padding, stride s.  → [Co,OH,OW] */
function torchConv2d(
  x: Float32Array,
  [ci, h, w]: [number, number, number],
  wt: Float32Array,
  co: number,
  k: number,
  s: number,
) {
  const [top] = samePads(h, k, s);
  const [left] = samePads(w, k, s);
  const oh = Math.ceil(h / s);
  const ow = Math.ceil(w / s);
  const out = new Float32Array(co * oh * ow);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let acc = 0;
        for (let c = 0; c < ci!; c++)
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++) {
              const y = i * s + a - top;
              const z = j * s + b - left;
              if (y < 0 || y >= h! || z < 0 || z >= w!) continue; // zero padding
              acc += wt[((o * ci! + c) * k + a) * k + b]! * x[(c * h! + y) * w! + z]!;
            }
        out[(o * oh + i) * ow + j] = acc;
      }
  return out;
}

/** nn.ConvTranspose2d(padding=0) on x [Ci,H,W], W [Ci,Co,k,k], cropped to [Co,H·s,W·s]. */
function torchConvTranspose(
  x: Float32Array,
  [ci, h, w]: [number, number, number],
  wt: Float32Array,
  co: number,
  k: number,
  s: number,
) {
  const fullH = (h! - 1) * s + k;
  const fullW = (w! - 1) * s + k;
  const full = new Float32Array(co * fullH * fullW);
  for (let c = 0; c < ci!; c++)
    for (let i = 0; i < h!; i++)
      for (let j = 0; j < w!; j++)
        for (let o = 0; o < co; o++)
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++)
              full[(o * fullH + i * s + a) * fullW + j * s + b]! +=
                x[(c * h! + i) * w! + j]! * wt[((c * co + o) * k + a) * k + b]!;
  const H = h! * s;
  const W = w! * s;
  const [top] = samePads(H, k, s);
  const [left] = samePads(W, k, s);
  const out = new Float32Array(co * H * W);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        out[(o * H + i) * W + j] = full[(o * fullH + i + top) * fullW + j + left]!;
  return out;
}

const closeTo = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
};

describe('TF.js → PyTorch layouts', () => {
  it("'same' padding of a 3×3 kernel at stride 2 is 0 before and 1 after on even sizes", () => {
    expect(samePads(28, 3, 2)).toEqual([0, 1]);
    expect(samePads(14, 3, 2)).toEqual([0, 1]);
    expect(samePads(7, 3, 2)).toEqual([1, 1]);
    expect(samePads(28, 3, 1)).toEqual([1, 1]);
  });

  it('permute moves axes like a transpose', () => {
    const p = permute(Float32Array.from([0, 1, 2, 3, 4, 5]), [2, 3], [1, 0]);
    expect(p.shape).toEqual([3, 2]);
    expect(Array.from(p.data)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it.each([
    [6, 6, 2],
    [5, 6, 2],
    [6, 5, 1],
  ])('Conv2d [Co,Ci,k,k] on NCHW %i×%i, stride %i, equals tf.conv2d "same" on NHWC', (h, w, s) => {
    const ci = 3;
    const co = 4;
    const k = 3;
    const xNhwc = rand(h * w * ci, 1);
    const wTf = rand(k * k * ci * co, 2);
    const expected = tf.tidy(() =>
      tf
        .transpose(
          tf.conv2d(tf.tensor4d(xNhwc, [1, h, w, ci]), tf.tensor4d(wTf, [k, k, ci, co]), s, 'same'),
          [0, 3, 1, 2],
        )
        .dataSync(),
    ) as Float32Array;
    const wt = toTorchLayout(wTf, [k, k, ci, co], { kind: 'conv2d' });
    expect(wt.shape).toEqual([co, ci, k, k]);
    const xNchw = permute(xNhwc, [h, w, ci], [2, 0, 1]).data;
    closeTo(torchConv2d(xNchw, [ci, h, w], wt.data, co, k, s), expected);
  });

  it('ConvTranspose2d [Ci,Co,k,k], cropped, equals tf.conv2dTranspose "same" (7×7 → 14×14)', () => {
    const [h, w, ci, co, k, s] = [7, 7, 3, 2, 3, 2];
    const xNhwc = rand(h * w * ci, 3);
    const wTf = rand(k * k * co * ci, 4); // TF.js: [k, k, Cout, Cin]
    const expected = tf.tidy(() =>
      tf
        .transpose(
          tf.conv2dTranspose(
            tf.tensor4d(xNhwc, [1, h, w, ci]),
            tf.tensor4d(wTf, [k, k, co, ci]),
            [1, h * s, w * s, co],
            s,
            'same',
          ),
          [0, 3, 1, 2],
        )
        .dataSync(),
    ) as Float32Array;
    const wt = toTorchLayout(wTf, [k, k, co, ci], { kind: 'convT' });
    expect(wt.shape).toEqual([ci, co, k, k]);
    const xNchw = permute(xNhwc, [h, w, ci], [2, 0, 1]).data;
    closeTo(torchConvTranspose(xNchw, [ci, h, w], wt.data, co, k, s), expected);
  });

  it('dense layers around NHWC features: PyTorch flattening C,H,W meets the permuted weights', () => {
    const [h, w, c, n] = [2, 3, 4, 5];
    const feat = rand(h * w * c, 5); // one image's NHWC features
    const wIn = rand(h * w * c * n, 6); // Dense [h·w·c, n]
    const tfOut = tf.tidy(() =>
      tf.matMul(tf.tensor2d(feat, [1, h * w * c]), tf.tensor2d(wIn, [h * w * c, n])).dataSync(),
    );
    const lin = toTorchLayout(wIn, [h * w * c, n], { kind: 'denseFromNhwc', h, w, c });
    expect(lin.shape).toEqual([n, h * w * c]);
    const flatNchw = permute(feat, [h, w, c], [2, 0, 1]).data;
    const torchOut = Array.from({ length: n }, (_, o) =>
      flatNchw.reduce((acc, v, i) => acc + v * lin.data[o * h * w * c + i]!, 0),
    );
    closeTo(Float32Array.from(torchOut), tfOut as Float32Array);

    // Features with a one-hot joined after them (the CVAE's conv heads): the extra rows stay.
    const extra = 3;
    const joinedIn = Float32Array.from([...feat, 0, 1, 0]);
    const wJoined = rand((h * w * c + extra) * n, 10);
    const tfJoined = tf.tidy(() =>
      tf
        .matMul(
          tf.tensor2d(joinedIn, [1, h * w * c + extra]),
          tf.tensor2d(wJoined, [h * w * c + extra, n]),
        )
        .dataSync(),
    ) as Float32Array;
    const linJoined = toTorchLayout(wJoined, [h * w * c + extra, n], {
      kind: 'denseFromNhwc',
      h,
      w,
      c,
    });
    expect(linJoined.shape).toEqual([n, h * w * c + extra]);
    const torchIn = Float32Array.from([...flatNchw, 0, 1, 0]);
    const torchJoined = Float32Array.from({ length: n }, (_, o) =>
      torchIn.reduce((acc, v, i) => acc + v * linJoined.data[o * (h * w * c + extra) + i]!, 0),
    );
    closeTo(torchJoined, tfJoined);

    // Dense [n, h·w·c] whose output TF.js reshapes to [h,w,c]; PyTorch views it as [c,h,w].
    const z = rand(n, 7);
    const wOut = rand(n * h * w * c, 8);
    const bias = rand(h * w * c, 9);
    const tfImg = tf.tidy(() =>
      tf
        .add(
          tf.matMul(tf.tensor2d(z, [1, n]), tf.tensor2d(wOut, [n, h * w * c])),
          tf.tensor1d(bias),
        )
        .dataSync(),
    ) as Float32Array;
    const lin2 = toTorchLayout(wOut, [n, h * w * c], { kind: 'denseToNhwc', h, w, c });
    const b2 = toTorchLayout(bias, [h * w * c], { kind: 'biasToNhwc', h, w, c });
    const torchImg = Float32Array.from({ length: h * w * c }, (_, o) =>
      z.reduce((acc, v, i) => acc + v * lin2.data[o * n + i]!, b2.data[o]!),
    );
    closeTo(torchImg, permute(tfImg, [h, w, c], [2, 0, 1]).data);
  });
});
