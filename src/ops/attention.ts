/**
 * Causal multi-head self-attention (Vaswani et al. 2017, "Attention Is All You Need", §3.2), the
 * layer normalisation (Ba, Kiros & Hinton 2016) and the GELU (Hendrycks & Gimpel 2016) of a
 * decoder-only transformer, as plain TF.js math on given weights.
 *
 *   x [B,T,W] → [q k v] = x Wqkv + bqkv                     [B,T,3W], split into h heads of d = W/h
 *   A_n = softmax(q_n k_nᵀ / √d + M)                        [B·h,T,T]   M_ij = 0 (j ≤ i), −1e9 (j > i)
 *   o_n = A_n v_n                                           [B·h,T,d]
 *   out = [o_1 … o_h] Wo + bo                               [B,T,W]
 * The additive mask M gives position i no weight on any later position j > i (e^{−1e9} = 0 in
 * float32), so the output at i depends on x_0 … x_i only. The heads are one batched matMul over
 * [B·h,T,d] (no per-head loop); the projections are 2-D matMuls over [B·T,W] (our wasm GEMM).
 * attentionStep is the same layer for one new position against cached keys and values.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Weights of one attention layer. */
export interface AttentionParams {
  wqkv: tf.Tensor; // [W, 3W]   columns: q (W), then k (W), then v (W); head n = columns n·d … n·d+d−1
  bqkv: tf.Tensor; // [3W]
  wo: tf.Tensor; // [W, W]
  bo: tf.Tensor; // [W]
}

/** Large enough that exp(score − 1e9) is exactly 0 in float32, small enough to stay finite. */
export const MASKED = -1e9;

/**
 * M [T,T]: 0 on and below the diagonal, −1e9 above (query i may not see key j > i). A new tensor
 * per call (T·T floats, T ≤ 50 here): nothing outlives the call, so a disposed model leaves none.
 */
export function causalMask(T: number): tf.Tensor2D {
  const values = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = MASKED;
  return tf.tensor2d(values, [T, T]);
}

/**
 * Causal multi-head self-attention.   x [B,T,W] → output [B,T,W]; with `keepWeights` also the
 * attention weights A [B,h,T,T] (row i: query position i's distribution over keys 0 … i).
 */
export function causalSelfAttention(
  x: tf.Tensor3D,
  p: AttentionParams,
  heads: number,
  keepWeights = false,
): { output: tf.Tensor3D; weights?: tf.Tensor4D } {
  const [B, T, W] = x.shape;
  if (W % heads !== 0) throw new Error(`width ${W} is not divisible by ${heads} heads`);
  const d = W / heads;
  return tf.tidy(() => {
    const mask = causalMask(T); //                                                     [T,T]
    const flat = tf.reshape(x, [B * T, W]) as tf.Tensor2D; //                        [B·T,W]
    const qkv = tf.add(tf.matMul(flat, p.wqkv as tf.Tensor2D), p.bqkv); //          [B·T,3W]
    // [B,T,3h,d] → [B,3h,T,d]: axis 1 holds the q heads, then the k heads, then the v heads.
    const byHead = tf.transpose(tf.reshape(qkv, [B, T, 3 * heads, d]), [0, 2, 1, 3]);
    const part = (i: number) =>
      tf.reshape(tf.slice(byHead, [0, i * heads, 0, 0], [B, heads, T, d]), [
        B * heads,
        T,
        d,
      ]) as tf.Tensor3D; //                                                            [B·h,T,d]
    const q = tf.mul(part(0), 1 / Math.sqrt(d)) as tf.Tensor3D;
    const k = part(1);
    const v = part(2);
    const scores = tf.add(tf.matMul(q, k, false, true), mask); //                   [B·h,T,T]
    const attn = tf.softmax(scores) as tf.Tensor3D; //                                [B·h,T,T]
    const o = tf.matMul(attn, v); //                                                   [B·h,T,d]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [B, heads, T, d]), [0, 2, 1, 3]), [
      B * T,
      W,
    ]) as tf.Tensor2D; //                                                               [B·T,W]
    const out = tf.add(tf.matMul(merged, p.wo as tf.Tensor2D), p.bo); //              [B·T,W]
    return {
      output: tf.reshape(out, [B, T, W]) as tf.Tensor3D,
      weights: keepWeights ? (tf.reshape(attn, [B, heads, T, T]) as tf.Tensor4D) : undefined,
    };
  });
}

/** One layer's cached keys and values, head by head.   k, v [B·h,t,d] each */
export type KeyValue = { k: tf.Tensor3D; v: tf.Tensor3D };

/**
 * One new position of causal self-attention against the keys and values of the earlier ones
 * (a key/value cache, as GPT-2 decodes): the same weights and math as causalSelfAttention at
 * its last position, with no mask (every cached key is in the past).
 *   x [B,W] (the new position), past [B·h,t,d] each (absent at t = 0)
 *   → output [B,W], cache [B·h,t+1,d] each (past with the new key and value appended)
 * The returned cache is new; the caller disposes the past one.
 */
export function attentionStep(
  x: tf.Tensor2D,
  p: AttentionParams,
  heads: number,
  past?: KeyValue,
): { output: tf.Tensor2D; cache: KeyValue } {
  const [B, W] = x.shape;
  if (W % heads !== 0) throw new Error(`width ${W} is not divisible by ${heads} heads`);
  const d = W / heads;
  return tf.tidy(() => {
    const qkv = tf.add(tf.matMul(x, p.wqkv as tf.Tensor2D), p.bqkv); //                [B,3W]
    // [B,3h,d]: the q heads, then the k heads, then the v heads.
    const byHead = tf.reshape(qkv, [B, 3 * heads, d]);
    const part = (i: number) =>
      tf.reshape(tf.slice(byHead, [0, i * heads, 0], [B, heads, d]), [
        B * heads,
        1,
        d,
      ]) as tf.Tensor3D; //                                                           [B·h,1,d]
    const q = tf.mul(part(0), 1 / Math.sqrt(d)) as tf.Tensor3D;
    const k = past ? (tf.concat([past.k, part(1)], 1) as tf.Tensor3D) : part(1); // [B·h,t+1,d]
    const v = past ? (tf.concat([past.v, part(2)], 1) as tf.Tensor3D) : part(2);
    const attn = tf.softmax(tf.matMul(q, k, false, true)); //                      [B·h,1,t+1]
    // [B·h,1,d] → [B,h·d]: the heads side by side, as causalSelfAttention merges them.
    const merged = tf.reshape(tf.matMul(attn, v), [B, W]) as tf.Tensor2D; //              [B,W]
    const output = tf.add(tf.matMul(merged, p.wo as tf.Tensor2D), p.bo) as tf.Tensor2D; // [B,W]
    return { output, cache: { k, v } };
  });
}

/** Layer normalisation over the last axis: γ ⊙ (x − μ)/√(σ² + ε) + β.   x [N,W], γ β [W] → [N,W] */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5) {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); //                             [N,1] each
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta) as tf.Tensor2D;
  });
}

/** GELU, tanh form (GPT-2's): ½x(1 + tanh(√(2/π)(x + 0.044715x³))).   [same as x] */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const inner = tf.mul(
      tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)),
      Math.sqrt(2 / Math.PI),
    );
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
  });
}
