/**
 * A small decoder-only (GPT-style) transformer over token sequences, pre-LayerNorm
 * (Radford et al. 2019; Xiong et al. 2020):
 *
 *   h⁰ = E[tokens] + P[0 … T−1]                         E [V,W] token, P [length,W] position embedding
 *   for each of `layers` blocks:
 *     h ← h + drop(Attn(LN₁(h)))                        causal multi-head (ops/attention)
 *     h ← h + drop(GELU(LN₂(h) W₁ + b₁) W₂ + b₂)        MLP W → 4W → W
 *   logits = LN_f(h) W_head + b_head                    [B,T,outputs]
 *
 * Dropout (rate `dropout`) acts on the attention and MLP outputs, only when training, with masks
 * drawn from the call's seed so runs are reproducible. Linear layers: Glorot-uniform weights
 * (layers/dense); embeddings: N(0, 0.02²) (GPT-2's); LayerNorm γ = 1, β = 0; all from `seed`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { causalSelfAttention, gelu, layerNorm } from '../../ops/attention';
import { oneHotFloat } from '../../ops/one-hot';
import { Dense } from './dense';

export interface TransformerShape {
  /** V: input tokens. */
  vocab: number;
  /** Output classes per position (the head's size). */
  outputs: number;
  /** Longest sequence (rows of the position embedding). */
  length: number;
  width: number;
  layers: number;
  heads: number;
}

export interface TransformerCall {
  /** Dropout rate on the attention and MLP outputs; applied only when `training`. */
  dropout: number;
  training: boolean;
  /** Seed of this call's dropout masks. */
  seed: number;
  /** Also return every layer's attention weights [B,h,T,T]. */
  keepAttention?: boolean;
}

/** LayerNorm's scale γ and shift β.   [W] each */
interface Norm {
  gamma: tf.Variable;
  beta: tf.Variable;
}

interface Block {
  ln1: Norm;
  qkv: Dense; // [W,3W]
  proj: Dense; // [W,W]
  ln2: Norm;
  fc: Dense; // [W,4W]
  out: Dense; // [4W,W]
}

let transformerCount = 0;

export class CausalTransformer {
  readonly shape: TransformerShape;
  readonly tokenEmbedding: tf.Variable; // E [V,W]
  readonly positionEmbedding: tf.Variable; // P [length,W]
  readonly blocks: Block[];
  readonly lnF: Norm;
  readonly head: Dense; // [W,outputs]

  constructor(shape: TransformerShape, seed: number, name = 'transformer') {
    const { vocab: V, outputs, length, width: W, layers, heads } = shape;
    if (W % heads !== 0) throw new Error(`width ${W} is not divisible by ${heads} heads`);
    this.shape = shape;
    const id = `${name}_${transformerCount++}`;
    const normal = (dims: number[], s: number, n: string) =>
      tf.tidy(() => tf.variable(tf.randomNormal(dims, 0, 0.02, 'float32', s), true, `${id}/${n}`));
    const norm = (n: string): Norm =>
      tf.tidy(() => ({
        gamma: tf.variable(tf.ones([W]), true, `${id}/${n}/gamma`),
        beta: tf.variable(tf.zeros([W]), true, `${id}/${n}/beta`),
      }));
    this.tokenEmbedding = normal([V, W], seed, 'tokens');
    this.positionEmbedding = normal([length, W], seed + 1, 'positions');
    this.blocks = Array.from({ length: layers }, (_, l) => {
      const s = seed + 16 * (l + 1);
      const b = `${id}/block${l}`;
      return {
        ln1: norm(`block${l}/ln1`),
        qkv: new Dense(W, 3 * W, s, `${b}/qkv`),
        proj: new Dense(W, W, s + 2, `${b}/proj`),
        ln2: norm(`block${l}/ln2`),
        fc: new Dense(W, 4 * W, s + 4, `${b}/fc`),
        out: new Dense(4 * W, W, s + 6, `${b}/out`),
      };
    });
    this.lnF = norm('lnF');
    this.head = new Dense(W, outputs, seed + 8, `${id}/head`);
  }

  get variables(): tf.Variable[] {
    const n = (m: Norm) => [m.gamma, m.beta];
    return [
      this.tokenEmbedding,
      this.positionEmbedding,
      ...this.blocks.flatMap((b) => [
        ...n(b.ln1),
        ...b.qkv.variables,
        ...b.proj.variables,
        ...n(b.ln2),
        ...b.fc.variables,
        ...b.out.variables,
      ]),
      ...n(this.lnF),
      ...this.head.variables,
    ];
  }

  /**
   * tokens int32 [B,T] (T ≤ length) → logits [B,T,outputs]; position t sees tokens 0 … t only.
   * With `keepAttention`, also one attention tensor [B,h,T,T] per layer (else an empty list).
   */
  apply(
    tokens: tf.Tensor2D,
    call: TransformerCall,
  ): { logits: tf.Tensor3D; attention: tf.Tensor4D[] } {
    const [B, T] = tokens.shape;
    const { width: W, heads, length, outputs } = this.shape;
    if (T > length) throw new Error(`sequence of ${T} tokens, the transformer takes ${length}`);
    const drop = call.training && call.dropout > 0;
    let site = 0;
    // Each dropout site gets its own seed from the call's seed.
    const dropout = (h: tf.Tensor2D) =>
      drop ? (tf.dropout(h, call.dropout, undefined, call.seed * 64 + site++) as tf.Tensor2D) : h;
    return tf.tidy(() => {
      const attention: tf.Tensor4D[] = [];
      // E[tokens] as one-hot · E, a 2-D matMul both ways (wasm has no UnsortedSegmentSum, the
      // gradient of a gather).                                     [B·T,V] · [V,W] → [B·T,W]
      const oneHot = oneHotFloat(tf.reshape(tokens, [B * T]), this.shape.vocab) as tf.Tensor2D;
      const tok = tf.matMul(oneHot, this.tokenEmbedding as tf.Tensor2D);
      const pos = tf.slice(this.positionEmbedding, [0, 0], [T, W]); //                [T,W]
      let h = tf.reshape(tf.add(tf.reshape(tok, [B, T, W]), pos), [B * T, W]) as tf.Tensor2D;
      for (const b of this.blocks) {
        const a = causalSelfAttention(
          tf.reshape(layerNorm(h, b.ln1.gamma, b.ln1.beta), [B, T, W]) as tf.Tensor3D,
          { wqkv: b.qkv.w, bqkv: b.qkv.b, wo: b.proj.w, bo: b.proj.b },
          heads,
          call.keepAttention,
        );
        if (a.weights) attention.push(a.weights);
        h = tf.add(h, dropout(tf.reshape(a.output, [B * T, W]) as tf.Tensor2D)); //   [B·T,W]
        const m = b.out.apply(gelu(b.fc.apply(layerNorm(h, b.ln2.gamma, b.ln2.beta)))); // [B·T,W]
        h = tf.add(h, dropout(m));
      }
      const logits = this.head.apply(layerNorm(h, this.lnF.gamma, this.lnF.beta)); // [B·T,out]
      return { logits: tf.reshape(logits, [B, T, outputs]) as tf.Tensor3D, attention };
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
