// Incremental decoding with a key/value cache (src/models/layers/transformer-cache.ts) against the
// full forward pass it replaces: at every position, the cached step's logits equal apply()'s over
// the whole prefix; generateCodes (which steps the cache) draws the same codes as the former loop
// that re-ran apply() over the growing prefix at each step (kept below as the reference), greedy,
// sampled and guided; and neither leaves tensors behind. On the cpu and wasm backends.
import { setFlagsFromString } from 'node:v8';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels } from '../../src/backends/wasm/wasm-kernels';
import { mulberry32 } from '../../src/core/rng';
import type { GenerateOptions } from '../../src/models/latent-model';
import { CausalTransformer, type TransformerShape } from '../../src/models/layers/transformer';
import { TransformerCache } from '../../src/models/layers/transformer-cache';
import {
  CLASS_TOKENS,
  classTokens,
  generateCodes,
  type SamplingPrior,
} from '../../src/models/token-prior-sampling';
import { tf } from './tf-setup';

setFlagsFromString('--experimental-wasm-relaxed-simd');

beforeAll(() => installWasmKernels());

const BACKENDS = ['cpu', 'wasm'] as const;

/** Random tokens < vocab.   → int32 [rows,T] */
function randomTokens(rows: number, T: number, vocab: number, seed: number): tf.Tensor2D {
  const rng = mulberry32(seed);
  const values = Int32Array.from({ length: rows * T }, () => Math.floor(rng() * vocab));
  return tf.tensor2d(values, [rows, T], 'int32');
}

/**
 * A random transformer whose embeddings are N(0, 1) rather than N(0, 0.02²), so that tokens and
 * positions move the logits well apart (no near-ties for argmax to break by rounding).
 */
function randomTransformer(shape: TransformerShape, seed: number): CausalTransformer {
  const m = new CausalTransformer(shape, seed, 'cache_test');
  tf.tidy(() => {
    m.tokenEmbedding.assign(tf.randomNormal(m.tokenEmbedding.shape, 0, 1, 'float32', seed + 2));
    m.positionEmbedding.assign(
      tf.randomNormal(m.positionEmbedding.shape, 0, 1, 'float32', seed + 3),
    );
  });
  return m;
}

/**
 * The former generateCodes, the reference: at step t, apply() over the whole prefix [rows,1+t]
 * and the logits at its last position.   labels int32 [n] → [n,positions]
 */
function fullRecomputeCodes(
  prior: SamplingPrior,
  labels: tf.Tensor1D,
  opts: GenerateOptions,
): tf.Tensor2D {
  const { transformer, K, positions, conditional } = prior;
  const n = labels.shape[0];
  const { temperature, topK, seed } = opts;
  const w = conditional ? (opts.guidance ?? 0) : 0;
  const rows = w > 0 ? 2 * n : n;
  let seq = tf.tidy(() => {
    const tokens = classTokens(labels, n, K, conditional);
    if (w === 0) return tokens;
    const any = tf.fill([n], -1, 'int32') as tf.Tensor1D;
    return tf.concat([tokens, classTokens(any, n, K, conditional)]);
  });
  for (let t = 0; t < positions; t++) {
    const next = tf.tidy(() => {
      const all = transformer.apply(seq, { dropout: 0, training: false, seed: 0 }).logits;
      let last = tf.reshape(tf.slice(all, [0, t, 0], [rows, 1, K]), [rows, K]);
      if (w > 0) {
        const given = tf.slice(last, [0, 0], [n, K]);
        const any = tf.slice(last, [n, 0], [n, K]);
        last = tf.add(given, tf.mul(tf.sub(given, any), w));
      }
      let drawn: tf.Tensor2D;
      if (!(temperature > 0)) drawn = tf.reshape(tf.argMax(last, 1), [n, 1]);
      else {
        last = tf.div(last, temperature);
        if (topK > 0 && topK < K) {
          const kth = tf.slice(tf.topk(last, topK).values, [0, topK - 1], [n, 1]);
          last = tf.where(tf.less(last, kth), tf.fill(last.shape, -1e9), last);
        }
        drawn = tf.multinomial(last as tf.Tensor2D, 1, seed * 256 + t + 1) as tf.Tensor2D;
      }
      const code = tf.cast(drawn, 'int32');
      return tf.concat([seq, w > 0 ? tf.concat([code, code]) : code], 1);
    }) as tf.Tensor2D;
    seq.dispose();
    seq = next;
  }
  const codes = tf.slice(seq, [0, 1], [n, positions]) as tf.Tensor2D;
  seq.dispose();
  return codes;
}

const SMALL: TransformerShape = {
  vocab: 13,
  outputs: 9,
  length: 12,
  width: 24,
  layers: 2,
  heads: 3,
};

/** The prior's layout: K codes, 49 positions, class tokens K … K + 10. */
const K = 7;
const PRIOR: TransformerShape = {
  vocab: K + CLASS_TOKENS,
  outputs: K,
  length: 50,
  width: 16,
  layers: 2,
  heads: 2,
};

describe.each(BACKENDS)('key/value cache on the %s backend', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it("each step's logits equal apply()'s at that position", () => {
    for (const [seed, shape] of [
      [1, SMALL],
      [2, { ...SMALL, width: 32, heads: 4, layers: 3 }],
      [3, { ...SMALL, width: 16, heads: 1, layers: 1 }],
    ] as const) {
      const m = randomTransformer(shape, 100 * seed);
      const rows = 3;
      const T = shape.length;
      const tokens = randomTokens(rows, T, shape.vocab, seed);
      const full = m.apply(tokens, { dropout: 0, training: false, seed: 0 }).logits;
      const want = full.arraySync();
      full.dispose();
      const cache = new TransformerCache(m, rows);
      let worst = 0;
      let scale = 0;
      for (let t = 0; t < T; t++) {
        expect(cache.length).toBe(t);
        const x = tf.slice(tokens, [0, t], [rows, 1]);
        const step = cache.step(x);
        expect(step.shape).toEqual([rows, shape.outputs]);
        step.arraySync().forEach((row, b) =>
          row.forEach((v, k) => {
            worst = Math.max(worst, Math.abs(v - want[b]![t]![k]!));
            scale = Math.max(scale, Math.abs(want[b]![t]![k]!));
          }),
        );
        x.dispose();
        step.dispose();
      }
      // One step past the position embedding's rows is refused.
      const extra = tf.zeros([rows, 1], 'int32') as tf.Tensor2D;
      expect(() => cache.step(extra)).toThrow(/position 12/);
      extra.dispose();
      console.log(
        `${backend} W=${shape.width} h=${shape.heads} L=${shape.layers}: ` +
          `max |Δlogit| ${worst.toExponential(2)} over ${T} positions (max |logit| ${scale.toFixed(2)})`,
      );
      expect(scale).toBeGreaterThan(0.5);
      expect(worst).toBeLessThan(1e-5);
      cache.dispose();
      tokens.dispose();
      m.dispose();
    }
  });

  it('generateCodes draws the same codes as the full recompute: greedy, sampled, guided', () => {
    const m = randomTransformer(PRIOR, 7);
    for (const conditional of [true, false]) {
      const prior: SamplingPrior = { transformer: m, K, positions: 49, conditional };
      const labels = tf.tensor1d([0, 4, -1, 9], 'int32');
      for (const opts of [
        { temperature: 0, topK: 0, seed: 5 },
        { temperature: 0, topK: 0, seed: 5, guidance: 1.5 },
        { temperature: 1, topK: 0, seed: 11 },
        { temperature: 0.8, topK: 3, seed: 12, guidance: 1 },
      ]) {
        const got = generateCodes(prior, labels, opts);
        const want = fullRecomputeCodes(prior, labels, opts);
        expect(got.shape).toEqual([4, 49]);
        const codes = got.arraySync();
        expect(codes).toEqual(want.arraySync());
        // Not a degenerate run: the codes vary along each sequence.
        expect(codes.every((row) => new Set(row).size > 1)).toBe(true);
        got.dispose();
        want.dispose();
      }
      labels.dispose();
    }
    m.dispose();
  });

  it('leaves no tensors behind: steps, dispose, generation guided and unguided', () => {
    const m = randomTransformer(PRIOR, 9);
    const labels = tf.tensor1d([1, -1, 3], 'int32');
    const before = tf.memory().numTensors;
    const cache = new TransformerCache(m, 3);
    for (let t = 0; t < 5; t++) {
      const x = tf.fill([3, 1], t, 'int32') as tf.Tensor2D;
      // Inside a tidy too: the cache keeps its keys and values past it.
      tf.tidy(() => {
        cache.step(x); // the logits, freed by the tidy
      });
      x.dispose();
    }
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const guidance of [0, 1]) {
      const prior: SamplingPrior = { transformer: m, K, positions: 49, conditional: true };
      generateCodes(prior, labels, { temperature: 1, topK: 3, seed: 2, guidance }).dispose();
      generateCodes(prior, labels, { temperature: 0, topK: 0, seed: 2, guidance }).dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    labels.dispose();
    m.dispose();
  });
});
