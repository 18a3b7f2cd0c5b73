// Causal multi-head self-attention against a direct computation in plain JavaScript (loops over
// heads, queries and keys on Float32Arrays), the causal mask's effect, LayerNorm and GELU by their
// formulas, and no tensors left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import { causalMask, causalSelfAttention, gelu, layerNorm } from '../../src/ops/attention';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const B = 2;
const T = 5;
const W = 8;
const H = 2;

function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
}

const x = randomArray(B * T * W, 1);
const wqkv = randomArray(W * 3 * W, 2, 0.5);
const bqkv = randomArray(3 * W, 3, 0.1);
const wo = randomArray(W * W, 4, 0.5);
const bo = randomArray(W, 5, 0.1);

/** y = x M + b for one row x [n] and M [n, m] row-major. */
function affine(row: ArrayLike<number>, m: Float32Array, b: Float32Array, n: number, cols: number) {
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let s = b[j]!;
    for (let i = 0; i < n; i++) s += row[i]! * m[i * cols + j]!;
    out[j] = s;
  }
  return out;
}

/** Output [B,T,W] and weights [B,H,T,T] of masked softmax attention, head by head. */
function reference(input: Float32Array) {
  const d = W / H;
  const out = new Float64Array(B * T * W);
  const weights = new Float64Array(B * H * T * T);
  for (let b = 0; b < B; b++) {
    const qkv = Array.from({ length: T }, (_, t) =>
      affine(input.subarray((b * T + t) * W, (b * T + t + 1) * W), wqkv, bqkv, W, 3 * W),
    );
    const merged = Array.from({ length: T }, () => new Float64Array(W));
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let e = 0; e < d; e++) s += qkv[i]![h * d + e]! * qkv[j]![W + h * d + e]!;
          scores.push(s / Math.sqrt(d));
        }
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const z = exps.reduce((a, v) => a + v, 0);
        for (let j = 0; j <= i; j++) {
          const a = exps[j]! / z;
          weights[((b * H + h) * T + i) * T + j] = a;
          for (let e = 0; e < d; e++)
            merged[i]![h * d + e] = merged[i]![h * d + e]! + a * qkv[j]![2 * W + h * d + e]!;
        }
      }
    }
    for (let t = 0; t < T; t++) out.set(affine(merged[t]!, wo, bo, W, W), (b * T + t) * W);
  }
  return { out, weights };
}

function params() {
  return {
    wqkv: tf.tensor2d(wqkv, [W, 3 * W]),
    bqkv: tf.tensor1d(bqkv),
    wo: tf.tensor2d(wo, [W, W]),
    bo: tf.tensor1d(bo),
  };
}

describe('causalSelfAttention', () => {
  it('matches masked softmax attention computed head by head in plain JavaScript', () => {
    const p = params();
    const input = tf.tensor3d(x, [B, T, W]);
    const { output, weights } = causalSelfAttention(input, p, H, true);
    expect(output.shape).toEqual([B, T, W]);
    expect(weights!.shape).toEqual([B, H, T, T]);
    const ref = reference(x);
    const got = output.dataSync();
    const gotW = weights!.dataSync();
    for (let i = 0; i < ref.out.length; i++) expect(got[i]).toBeCloseTo(ref.out[i]!, 5);
    for (let i = 0; i < ref.weights.length; i++) expect(gotW[i]).toBeCloseTo(ref.weights[i]!, 5);
    tf.dispose([output, weights!, input, ...Object.values(p)]);
  });

  it('is causal: changing a later token never changes an earlier output', () => {
    const p = params();
    const changed = Float32Array.from(x);
    const t0 = 3;
    for (let e = 0; e < W; e++) changed[t0 * W + e] = changed[t0 * W + e]! + 0.7; // batch row 0, position 3
    const a = causalSelfAttention(tf.tensor3d(x, [B, T, W]), p, H).output.arraySync();
    const b = causalSelfAttention(tf.tensor3d(changed, [B, T, W]), p, H).output.arraySync();
    for (let t = 0; t < T; t++) {
      const diff = Math.max(...a[0]![t]!.map((v, e) => Math.abs(v - b[0]![t]![e]!)));
      if (t < t0) expect(diff).toBe(0);
      else expect(diff).toBeGreaterThan(1e-3);
    }
    expect(b[1]).toEqual(a[1]); // the other sequence is untouched
    tf.dispose(Object.values(p));
  });

  it('masks with 0 on and below the diagonal, −1e9 above', () => {
    const mask = causalMask(4);
    const m = mask.arraySync();
    mask.dispose();
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(m[i]![j]).toBe(j > i ? -1e9 : 0);
  });

  it('leaves no tensors behind, not even at the first call', () => {
    const p = params();
    const input = tf.tensor3d(x, [B, T, W]);
    const run = () => {
      const r = causalSelfAttention(input, p, H, true);
      tf.dispose([r.output, r.weights!]);
    };
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([input, ...Object.values(p)]);
  });
});

describe('layerNorm and gelu', () => {
  it('layerNorm: γ(x − mean)/√(var + ε) + β per row', () => {
    const rows = [
      [1, 2, 3, 4],
      [-1, 0.5, 0.5, 9],
    ];
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 0.1, -0.2, 0.3];
    const got = layerNorm(tf.tensor2d(rows), tf.tensor1d(gamma), tf.tensor1d(beta)).arraySync();
    rows.forEach((r, i) => {
      const mean = r.reduce((a, v) => a + v, 0) / r.length;
      const v = r.reduce((a, u) => a + (u - mean) ** 2, 0) / r.length;
      r.forEach((u, j) => {
        const want = (gamma[j]! * (u - mean)) / Math.sqrt(v + 1e-5) + beta[j]!;
        expect(got[i]![j]).toBeCloseTo(want, 5);
      });
    });
  });

  it('gelu: the tanh form, close to x·Φ(x)', () => {
    const xs = [-3, -1, -0.2, 0, 0.4, 1.5, 4];
    const got = gelu(tf.tensor1d(xs)).arraySync();
    xs.forEach((v, i) => {
      const tanhForm = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
      expect(got[i]).toBeCloseTo(tanhForm, 5);
    });
  });
});
