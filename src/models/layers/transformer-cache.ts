/**
 * Incremental decoding of a CausalTransformer (layers/transformer) with a key/value cache: each
 * step takes one new token per row and returns the logits at its position, the same as apply()
 * over the whole prefix gives there, without recomputing the earlier positions.
 *
 *   step t (tokens x_t [rows,1]):
 *     h = E[x_t] + P[t]                                               [rows,W]
 *     for each block l:
 *       q, k_t, v_t = LN₁(h) Wqkv + bqkv;  K_l ← [K_l; k_t], V_l ← [V_l; v_t]   [rows·h,t+1,d]
 *       h ← h + Attn(q; K_l, V_l)                                     ops/attention attentionStep
 *       h ← h + GELU(LN₂(h) W₁ + b₁) W₂ + b₂
 *     logits = LN_f(h) W_head + b_head                                [rows,outputs]
 *
 * No dropout (generation only). Work per step is O(t) instead of apply()'s O(t²) over the prefix.
 * The cache owns its K, V tensors: each step replaces them (disposing the old ones), and
 * dispose() frees the last; the transformer's weights stay the transformer's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionStep, gelu, layerNorm, type KeyValue } from '../../ops/attention';
import { oneHotFloat } from '../../ops/one-hot';
import type { CausalTransformer } from './transformer';

export class TransformerCache {
  /** Per block, the keys and values of positions 0 … t−1.   [rows·h,t,d] each */
  private kv: KeyValue[] = [];
  private t = 0;

  constructor(
    readonly transformer: CausalTransformer,
    readonly rows: number,
  ) {}

  /** Positions cached so far (the position of the next step's token). */
  get length(): number {
    return this.t;
  }

  /** The next token of every row → the logits at its position.   int32 [rows,1] → [rows,outputs] */
  step(tokens: tf.Tensor2D): tf.Tensor2D {
    const { shape, blocks, lnF, head } = this.transformer;
    const { width: W, heads, length, vocab } = shape;
    const rows = this.rows;
    const t = this.t;
    if (tokens.shape[0] !== rows || tokens.shape[1] !== 1)
      throw new Error(`step takes [${rows},1] tokens, got [${tokens.shape.join(',')}]`);
    if (t >= length) throw new Error(`position ${t}: the transformer takes ${length}`);
    const { logits, kv } = tf.tidy(() => {
      // E[x_t] as one-hot · E (as apply() does), plus P[t].          [rows,V] · [V,W] → [rows,W]
      const oneHot = oneHotFloat(tf.reshape(tokens, [rows]), vocab) as tf.Tensor2D;
      const tok = tf.matMul(oneHot, this.transformer.tokenEmbedding as tf.Tensor2D);
      let h = tf.add(tok, tf.slice(this.transformer.positionEmbedding, [t, 0], [1, W]));
      const next: KeyValue[] = [];
      blocks.forEach((b, l) => {
        const a = attentionStep(
          layerNorm(h as tf.Tensor2D, b.ln1.gamma, b.ln1.beta),
          { wqkv: b.qkv.w, bqkv: b.qkv.b, wo: b.proj.w, bo: b.proj.b },
          heads,
          this.kv[l],
        );
        next.push(a.cache);
        h = tf.add(h, a.output); //                                                   [rows,W]
        h = tf.add(
          h,
          b.out.apply(gelu(b.fc.apply(layerNorm(h as tf.Tensor2D, b.ln2.gamma, b.ln2.beta)))),
        );
      });
      const out = head.apply(layerNorm(h as tf.Tensor2D, lnF.gamma, lnF.beta)); // [rows,outputs]
      return { logits: out, kv: next };
    });
    // Kept past any tidy the caller runs this step in: the cache outlives it.
    for (const c of kv) {
      tf.keep(c.k);
      tf.keep(c.v);
    }
    this.release();
    this.kv = kv;
    this.t = t + 1;
    return logits;
  }

  private release(): void {
    for (const c of this.kv) {
      c.k.dispose();
      c.v.dispose();
    }
    this.kv = [];
  }

  /** Frees the cached keys and values (the cache is then empty, at position 0). */
  dispose(): void {
    this.release();
    this.t = 0;
  }
}
