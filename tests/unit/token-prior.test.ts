// The token prior against direct computations: −log p recomputed from its logits by hand, the
// causal mask on whole sequences, gradients by finite differences, greedy decoding step by step,
// label dropout and dropout, the code tables of prepareData against the tokenizer, a short
// training run on rule-made codes against the unigram baseline, and no tensors left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import type { CodeAssignment, LatentModel, LossContext } from '../../src/models/latent-model';
import { TokenPrior, type TokenPriorConfig } from '../../src/models/token-prior';
import { VqVae } from '../../src/models/vq-vae';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const K = 6;
const L = 49;
const P = 784;

/**
 * A fake tokenizer whose codes are written in the image: pixel t (t < 49) = c_t / (K − 1);
 * recon = Σ pixels. Enough for the prior, which only reads codes, recon and the layout.
 */
class StubTokenizer implements LatentModel {
  readonly variables = [tf.variable(tf.scalar(1), true, `stub_${Math.random()}`)];
  disposed = false;
  readonly codeLayout = { positions: L, gridHeight: 7, gridWidth: 7, size: K };
  codes(x: tf.Tensor2D): CodeAssignment {
    const indices = tf.tidy(() =>
      tf.cast(tf.round(tf.mul(tf.slice(x, [0, 0], [x.shape[0], L]), K - 1)), 'int32'),
    ) as tf.Tensor2D;
    return { indices, size: K };
  }
  evaluate(x: tf.Tensor2D): Record<string, tf.Tensor1D> {
    return { recon: tf.sum(x, 1) as tf.Tensor1D };
  }
  loss(): never {
    throw new Error('frozen');
  }
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return imagesOf(indices);
  }
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.clone(x);
  }
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.clone(x);
  }
  scheduleValues() {
    return {};
  }
  applyLiveConfig() {}
  dispose() {
    this.disposed = true;
    this.variables[0]!.dispose();
  }
}

/** Images that carry the codes: int32 [B,49] → [B,784]. */
function imagesOf(codes: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = tf.div(tf.cast(codes, 'float32'), K - 1);
    return tf.concat([c, tf.zeros([codes.shape[0], P - L])], 1) as tf.Tensor2D;
  });
}

const CONFIG: TokenPriorConfig = {
  layers: 2,
  heads: 2,
  width: 8,
  dropout: 0,
  conditional: true,
  labelDropout: 0,
  classes: 10,
  seed: 3,
};

function prior(config: Partial<TokenPriorConfig> = {}, train: tf.Tensor2D | null = null) {
  return new TokenPrior({ ...CONFIG, ...config }, new StubTokenizer(), train);
}

/** n random code sequences.   → number[n][49] */
function randomCodes(n: number, seed: number): number[][] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: L }, () => Math.floor(rng() * K)));
}

/** Sequences by a rule: c_0 = 2y mod K, c_t = (c_{t−1} + y + 1) mod K, y = label. */
function ruleCodes(labels: number[]): number[][] {
  return labels.map((y) => {
    const c = [(2 * y) % K];
    for (let t = 1; t < L; t++) c.push((c[t - 1]! + y + 1) % K);
    return c;
  });
}

const int2d = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
const int1d = (v: number[]) => tf.tensor1d(v, 'int32');

/** Σ_t −log softmax(logits_t)[c_t], by hand from logits [B,49,K]. */
function nllByHand(logits: number[][][], codes: number[][]): number[] {
  return codes.map((c, b) =>
    c.reduce((acc, code, t) => {
      const row = logits[b]![t]!;
      const top = Math.max(...row);
      const logZ = top + Math.log(row.reduce((a, v) => a + Math.exp(v - top), 0));
      return acc + logZ - row[code]!;
    }, 0),
  );
}

describe('TokenPrior', () => {
  const codes = randomCodes(3, 1);
  const labels = [2, 7, -1];

  it('−log p(c | y) is Σ_t −log softmax(logits)[c_t], computed by hand from the logits', () => {
    const m = prior();
    const c = int2d(codes);
    const y = int1d(labels);
    const byHand = nllByHand(m.logits(c, y).arraySync(), codes);
    const got = m.nll(c, y).arraySync();
    got.forEach((v, i) => expect(v).toBeCloseTo(byHand[i]!, 3));
    const x = imagesOf(c);
    const terms = m.evaluate(x, { step: 1, seed: 1, labels: y });
    terms.nll!.arraySync().forEach((v, i) => expect(v).toBeCloseTo(byHand[i]!, 3));
    const recon = tf.sum(x, 1).arraySync() as number[];
    terms.recon!.arraySync().forEach((v, i) => expect(v).toBeCloseTo(recon[i]!, 4));
    terms.bound!.arraySync().forEach((v, i) => expect(v).toBeCloseTo(recon[i]! + byHand[i]!, 3));
    terms.uniform!.arraySync().forEach((v) => expect(v).toBeCloseTo(L * Math.log(K), 4));
    // Before prepareData: the batch's own Laplace-smoothed frequencies.
    const counts = new Array<number>(K).fill(1);
    for (const row of codes) for (const k of row) counts[k]!++;
    const total = codes.length * L + K;
    terms.unigram!.arraySync().forEach((v, i) => {
      const want = codes[i]!.reduce((a, k) => a - Math.log(counts[k]! / total), 0);
      expect(v).toBeCloseTo(want, 3);
    });
    const loss = m.loss(x, { step: 1, seed: 1, labels: y });
    expect(loss.total.arraySync()).toBeCloseTo(byHand.reduce((a, v) => a + v, 0) / 3, 3);
    m.dispose();
  });

  it('is causal: changing code t changes the logits after position t only; the label all', () => {
    const m = prior();
    const y = int1d(labels);
    const base = m.logits(int2d(codes), y).arraySync();
    const t0 = 20;
    const changed = codes.map((row) => row.map((k, t) => (t === t0 ? (k + 1) % K : k)));
    const after = m.logits(int2d(changed), y).arraySync();
    const diffAt = (a: number[][][], t: number) =>
      Math.max(...a[0]![t]!.map((v, k) => Math.abs(v - base[0]![t]![k]!)));
    for (let t = 0; t < L; t++) {
      if (t <= t0) expect(diffAt(after, t)).toBe(0);
      else expect(diffAt(after, t)).toBeGreaterThan(1e-6);
    }
    const other = m.logits(int2d(codes), int1d([3, 7, -1])).arraySync();
    expect(diffAt(other, 0)).toBeGreaterThan(1e-6);
    m.dispose();
  });

  it('labels: "any" for −1 or no labels; ignored by an unconditional prior', () => {
    const m = prior();
    const c = int2d(codes);
    const none = m.nll(c).arraySync();
    const any = m.nll(c, int1d([-1, -1, -1])).arraySync();
    none.forEach((v, i) => expect(v).toBeCloseTo(any[i]!, 5));
    expect(m.labelClasses).toBe(10);
    const u = prior({ conditional: false });
    const a = u.nll(c, int1d(labels)).arraySync();
    u.nll(c)
      .arraySync()
      .forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    expect(u.labelClasses).toBeUndefined();
    m.dispose();
    u.dispose();
  });

  it('label dropout 1 trains every sequence under "any"; dropout only when training, seeded', () => {
    const c = int2d(codes);
    const x = imagesOf(c);
    const y = int1d([1, 2, 3]);
    const m = prior({ labelDropout: 1 });
    const train = (seed: number) =>
      m.loss(x, { step: 1, seed, labels: y, training: true }).total.arraySync();
    const anyNll = m.nll(c).arraySync();
    expect(train(5)).toBeCloseTo(anyNll.reduce((a, v) => a + v, 0) / 3, 4);
    const evalNll = m.evaluate(x, { step: 1, seed: 5, labels: y }).nll!.arraySync();
    m.applyLiveConfig({ priorDropout: 0.5 } as never);
    expect(m.config.dropout).toBe(0.5);
    expect(train(5)).toBe(train(5));
    expect(train(5)).not.toBeCloseTo(train(6), 3);
    expect(train(5)).not.toBeCloseTo(anyNll.reduce((a, v) => a + v, 0) / 3, 3);
    const evalAfter = m.evaluate(x, { step: 1, seed: 5, labels: y }).nll!.arraySync();
    evalAfter.forEach((v, i) => expect(v).toBeCloseTo(evalNll[i]!, 5));
    m.dispose();
  });

  it('the gradient of the loss matches finite differences', () => {
    const m = prior();
    const x = imagesOf(int2d(codes));
    const ctx: LossContext = { step: 1, seed: 1, labels: int1d(labels) };
    const lossValue = () => tf.tidy(() => m.loss(x, ctx).total.arraySync());
    const { grads } = tf.variableGrads(() => m.loss(x, ctx).total, m.variables);
    const picks = [
      m.transformer.positionEmbedding,
      m.transformer.blocks[0]!.qkv.w,
      m.transformer.head.w,
    ];
    for (const v of picks) {
      const g = grads[v.name]!.dataSync();
      let i = 0;
      for (let j = 1; j < g.length; j++) if (Math.abs(g[j]!) > Math.abs(g[i]!)) i = j;
      const values = v.dataSync().slice();
      const eps = 1e-2;
      const at = (delta: number) => {
        const w = values.slice();
        w[i] = w[i]! + delta;
        v.assign(tf.tensor(w, v.shape));
        return lossValue();
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(values, v.shape));
      expect(Math.abs(g[i]!)).toBeGreaterThan(1e-3);
      expect(Math.abs(fd - g[i]!)).toBeLessThan(0.03 * Math.abs(g[i]!) + 2e-3);
    }
    m.dispose();
  });

  it('generate: reproducible from its seed; top-k = 1 and temperature 0 are greedy decoding', () => {
    const m = prior();
    const y = int1d([0, 4, -1, 9]);
    const opts = { temperature: 1, topK: 0, seed: 11 };
    const a = m.generate(y, opts).arraySync();
    expect(m.generate(y, opts).arraySync()).toEqual(a);
    expect(m.generate(y, { ...opts, seed: 12 }).arraySync()).not.toEqual(a);
    expect(a.flat().every((k) => Number.isInteger(k) && k >= 0 && k < K)).toBe(true);
    // Greedy decoding by hand: at step t, the argmax of the full-sequence logits at position t.
    const greedy = Array.from({ length: 4 }, () => new Array<number>(L).fill(0));
    for (let t = 0; t < L; t++) {
      const logits = m.logits(int2d(greedy), y).arraySync();
      greedy.forEach((row, b) => {
        const r = logits[b]![t]!;
        row[t] = r.indexOf(Math.max(...r));
      });
    }
    expect(m.generate(y, { temperature: 1, topK: 1, seed: 5 }).arraySync()).toEqual(greedy);
    expect(m.generate(y, { temperature: 0, topK: 0, seed: 5 }).arraySync()).toEqual(greedy);
    // Top-k = 2 only ever picks one of the two most likely codes of its own prefix.
    const two = m.generate(y, { temperature: 1, topK: 2, seed: 9 }).arraySync();
    const logits = m.logits(int2d(two), y).arraySync();
    two.forEach((row, b) =>
      row.forEach((k, t) => {
        const r = logits[b]![t]!;
        expect(r.filter((v) => v > r[k]!).length).toBeLessThan(2);
      }),
    );
    const images = m.sample(5, 1);
    expect(images.shape).toEqual([5, P]);
    expect(m.sampleGiven(int1d([1, 2]), 1).shape).toEqual([2, P]);
    m.dispose();
  });

  it('guidance: greedy decoding on ℓ(c|y) + w·(ℓ(c|y) − ℓ(c|any)), computed by hand', () => {
    const m = prior();
    const y = int1d([0, 4, 9]);
    const any = int1d([-1, -1, -1]);
    const w = 1.5;
    const guided = Array.from({ length: 3 }, () => new Array<number>(L).fill(0));
    for (let t = 0; t < L; t++) {
      const given = m.logits(int2d(guided), y).arraySync();
      const free = m.logits(int2d(guided), any).arraySync();
      guided.forEach((row, b) => {
        const r = given[b]![t]!.map((v, k) => v + w * (v - free[b]![t]![k]!));
        row[t] = r.indexOf(Math.max(...r));
      });
    }
    expect(m.generate(y, { temperature: 0, topK: 0, seed: 5, guidance: w }).arraySync()).toEqual(
      guided,
    );
    // w = 0 is the prior itself, draw for draw.
    const opts = { temperature: 1, topK: 0, seed: 3 };
    expect(m.generate(y, { ...opts, guidance: 0 }).arraySync()).toEqual(
      m.generate(y, opts).arraySync(),
    );
    m.dispose();
  });

  it('attention: one [B,h,50,50] tensor per layer, causal rows that sum to 1', () => {
    const m = prior();
    const att = m.attention(int2d(codes), int1d(labels));
    expect(att.length).toBe(CONFIG.layers);
    for (const a of att) {
      expect(a.shape).toEqual([3, CONFIG.heads, L + 1, L + 1]);
      const v = a.arraySync() as number[][][][];
      for (const row of [0, 1, 25, 49]) {
        const r = v[1]![1]![row]!;
        expect(r.reduce((s, u) => s + u, 0)).toBeCloseTo(1, 5);
        expect(r.slice(row + 1).every((u) => u === 0)).toBe(true);
      }
    }
    m.dispose();
  });

  it('owns the tokenizer (disposes it), not the training set; checkpoints tokenizer first', () => {
    const train = imagesOf(int2d(codes));
    const tokenizer = new StubTokenizer();
    const m = new TokenPrior(CONFIG, tokenizer, train);
    expect(m.savedVariables.slice(0, -1)).toEqual([...tokenizer.variables, ...m.variables]);
    expect(m.variables.length).toBe(2 + 12 * CONFIG.layers + 4);
    m.dispose();
    expect(tokenizer.disposed).toBe(true);
    expect(train.isDisposed).toBe(false);
  });

  it('prepareData: the code table is the tokenizer’s codes, recon its evaluate, f the counts', async () => {
    const tokenizer = new VqVae({ codebookSize: 8, codeDim: 4, hidden: 4, seed: 2 });
    const rng = mulberry32(4);
    const N = 23;
    const train = tf.tensor2d(
      Float32Array.from({ length: N * P }, () => rng()),
      [N, P],
    );
    const wantCodes = tokenizer.codes(train).indices.arraySync();
    const m = new TokenPrior(CONFIG, tokenizer, train);
    expect(m.prepared).toBe(false);
    await m.prepareData();
    expect(m.prepared).toBe(true);
    const before = tf.memory().numTensors;
    await m.prepareData(); // idempotent
    expect(tf.memory().numTensors).toBe(before);
    const t = m.tables!;
    expect(t.codes.dtype).toBe('int32');
    expect(t.codes.arraySync()).toEqual(wantCodes);
    const counts = new Array<number>(8).fill(0);
    for (const row of wantCodes) for (const k of row) counts[k]!++;
    t.logFrequencies
      .arraySync()
      .forEach((v, k) => expect(v).toBeCloseTo(Math.log((counts[k]! + 1) / (N * L + 8)), 4));
    // The counts are saved with the checkpoint (the unigram baseline of a loaded prior).
    const saved = m.codeCounts();
    expect(Array.from(saved.dataSync())).toEqual(counts);
    saved.dispose();
    expect(m.savedVariables.at(-1)!.shape).toEqual([8]);
    // The loss from the tables (rows by ctx.indices) equals the loss from encoding the images.
    const rows = [3, 0, 17];
    const x = tf.gather(train, int1d(rows)) as tf.Tensor2D;
    const ctx = { step: 1, seed: 1, labels: int1d([1, 2, 3]) };
    const fromTable = m.loss(x, { ...ctx, indices: int1d(rows) }).terms;
    const encoded = m.loss(x, ctx).terms;
    for (const k of ['nll', 'recon', 'bound', 'unigram', 'uniform'])
      expect(fromTable[k]!.arraySync()).toBeCloseTo(encoded[k]!.arraySync(), 2);
    const unigram = rows.reduce(
      (a, r) => a - wantCodes[r]!.reduce((s, k) => s + Math.log((counts[k]! + 1) / (N * L + 8)), 0),
      0,
    );
    expect(fromTable.unigram!.arraySync()).toBeCloseTo(unigram / 3, 3);
    m.dispose();
    train.dispose();
  });

  it('a short training run on rule-made codes brings nll far under the unigram baseline', async () => {
    // One sequence per class: c_0 = 2y, c_t = (c_{t−1} + y + 1) mod K; the true −log p(c | y) is 0.
    const labels = Array.from({ length: 12 }, (_, i) => i % 3);
    const seqs = ruleCodes(labels);
    const train = imagesOf(int2d(seqs));
    const m = prior({ layers: 1, width: 16, heads: 2, labelDropout: 0.1 }, train);
    await m.prepareData();
    const opt = tf.train.adam(1e-2);
    const y = int1d(labels);
    const all = int1d(labels.map((_, i) => i));
    const evalTerms = () =>
      tf.tidy(() => {
        const t = m.loss(train, { step: 0, seed: 0, labels: y }).terms;
        return { nll: t.nll!.arraySync(), unigram: t.unigram!.arraySync() };
      });
    const start = evalTerms();
    for (let step = 1; step <= 100; step++) {
      const ctx = { step, seed: step, training: true, indices: all, labels: y };
      opt.minimize(() => m.loss(train, ctx).total, false, m.variables);
    }
    const end = evalTerms();
    expect(start.nll).toBeGreaterThan(0.8 * start.unigram);
    expect(end.nll).toBeLessThan(0.1 * end.unigram);
    // All the mass on one sequence per class: greedy decoding returns it.
    const greedy = m.generate(int1d([0, 1, 2]), { temperature: 0, topK: 0, seed: 1 });
    expect(greedy.arraySync()).toEqual(seqs.slice(0, 3));
    opt.dispose();
    m.dispose();
    train.dispose();
  });

  it('leaves no tensors behind: training steps, evaluate, generate, sample, attention', async () => {
    const train = imagesOf(int2d(randomCodes(10, 3)));
    const m = prior({ dropout: 0.2, labelDropout: 0.3 }, train);
    await m.prepareData();
    const opt = tf.train.adam(1e-3);
    const c = int2d(codes);
    const y = int1d(labels);
    const x = imagesOf(c);
    const idx = int1d([0, 4, 9]);
    const all = (seed: number) => {
      tf.tidy(() => {
        const ctx = { step: seed, seed, training: true, indices: idx, labels: y };
        opt.minimize(() => m.loss(x, ctx).total, false, m.variables);
      });
      tf.dispose(m.evaluate(x, { step: 1, seed, labels: y }));
      tf.dispose(m.loss(x, { step: 1, seed }).terms);
      m.generate(y, { temperature: 0.8, topK: 3, seed }).dispose();
      m.sample(2, seed).dispose();
      m.sampleGiven(y, seed).dispose();
      tf.dispose(m.attention(c, y));
      tf.dispose(m.nll(c, y));
    };
    all(1);
    const before = tf.memory().numTensors;
    all(2);
    all(3);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    m.dispose();
    train.dispose();
  });
});
