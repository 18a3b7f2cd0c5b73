/**
 * TF.js weight layouts → PyTorch's, as index permutations of row-major arrays. Pure: no TF.js.
 *   dense      W [in, out]             → nn.Linear.weight          [out, in]
 *   conv2d     W [kh, kw, Cin, Cout]   → nn.Conv2d.weight          [Cout, Cin, kh, kw]
 *   convT      W [kh, kw, Cout, Cin]   → nn.ConvTranspose2d.weight [Cin, Cout, kh, kw]
 * Dense layers next to a convolution also change the order of their NHWC features, since
 * PyTorch flattens [C, H, W] where TF.js flattens [H, W, C]:
 *   denseFromNhwc(h,w,c)  W [h·w·c, out] (rows h,w,c)   → [out, c·h·w] (columns c,h,w)
 *   denseToNhwc(h,w,c)    W [in, h·w·c]  (columns h,w,c) → [c·h·w, in]  (rows c,h,w)
 *   biasToNhwc(h,w,c)     b [h·w·c]                     → [c·h·w]
 * so that x.flatten(1) of an NCHW tensor meets the same weights as TF.js's reshape of NHWC.
 */

export type Layout =
  | { kind: 'same' }
  | { kind: 'dense' }
  | { kind: 'conv2d' }
  | { kind: 'convT' }
  /** Rows after the h·w·c features (e.g. a one-hot label joined on) keep their order. */
  | { kind: 'denseFromNhwc'; h: number; w: number; c: number }
  | { kind: 'denseToNhwc'; h: number; w: number; c: number }
  | { kind: 'biasToNhwc'; h: number; w: number; c: number };

/** out = data transposed by `perm` (out axis i is input axis perm[i]), row-major. */
export function permute(
  data: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort().some((p, i) => p !== i))
    throw new Error(`permutation [${perm}] does not fit shape [${shape}]`);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += idx[a]! * strides[a]!;
    out[o] = data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a]! < outShape[a]!) break;
      idx[a] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** A TF.js weight of `shape` in PyTorch's layout. */
export function toTorchLayout(
  data: Float32Array,
  shape: readonly number[],
  layout: Layout,
): { data: Float32Array; shape: number[] } {
  const need = (rank: number) => {
    if (shape.length !== rank)
      throw new Error(`a ${layout.kind} weight has rank ${rank}, got shape [${shape}]`);
  };
  switch (layout.kind) {
    case 'same':
      return { data, shape: [...shape] };
    case 'dense':
      need(2);
      return permute(data, shape, [1, 0]);
    case 'conv2d':
    case 'convT':
      // [kh, kw, A, B] → [B, A, kh, kw] for both (A, B = Cin, Cout or Cout, Cin).
      need(4);
      return permute(data, shape, [3, 2, 0, 1]);
    case 'denseFromNhwc': {
      need(2);
      const { h, w, c } = layout;
      const [rows, out] = shape as [number, number];
      const extra = rows - h * w * c;
      if (extra < 0) throw new Error(`expected at least ${h * w * c} input rows, got ${rows}`);
      const features = data.subarray(0, h * w * c * out);
      const p = permute(features, [h, w, c, out], [3, 2, 0, 1]).data; // [out, c·h·w]
      const rest = permute(data.subarray(h * w * c * out), [extra, out], [1, 0]).data; // [out, extra]
      const joined = new Float32Array(rows * out);
      for (let o = 0; o < out; o++) {
        joined.set(p.subarray(o * h * w * c, (o + 1) * h * w * c), o * rows);
        joined.set(rest.subarray(o * extra, (o + 1) * extra), o * rows + h * w * c);
      }
      return { data: joined, shape: [out, rows] };
    }
    case 'denseToNhwc': {
      need(2);
      const { h, w, c } = layout;
      if (shape[1] !== h * w * c) throw new Error(`expected ${h * w * c} outputs, got ${shape[1]}`);
      const p = permute(data, [shape[0]!, h, w, c], [3, 1, 2, 0]);
      return { data: p.data, shape: [h * w * c, shape[0]!] };
    }
    case 'biasToNhwc': {
      need(1);
      const { h, w, c } = layout;
      return { data: permute(data, [h, w, c], [2, 0, 1]).data, shape: [h * w * c] };
    }
  }
}
