// The codebook view (VQ-VAE, dVAE) against the model computed directly in the test: shapes and
// no leak, the PCA of the union re-fitted here, codeOf against model.codes and (VQ-VAE) a
// brute-force nearest code, the fixed subsample, and clear rejections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitPca, projectPca } from '../../src/core/pca';
import type { ModelKind } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import { subsampleRows } from '../../src/train/inspect/codebook-view';
import { CODEBOOK_VIEW_MAX_VECTORS, type InspectAnswer } from '../../src/contracts/inspect';
import { inspect } from '../../src/train/inspect/inspector';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

type View = Extract<InspectAnswer, { kind: 'codebookView' }>;

const K = small.codebookSize!; // 8
const D = small.codeDim!; // 4
const POSITIONS = 49;
const PROBES = 48; // 48 · 49 = 2352 > 2000 positions: subsampled

async function view(t: Trainer, probes: number): Promise<View> {
  return (await inspect(t, { kind: 'codebookView', probes })) as View;
}

/** Reads f()'s tensor back (a copy) and disposes it. */
async function read(f: () => tf.Tensor): Promise<Float32Array> {
  const out = tf.tidy(f);
  const data = Float32Array.from(await out.data());
  out.dispose();
  return data;
}

const firstProbes = (t: Trainer, n: number) =>
  tf.slice(t.probeX, [0, 0], [n, t.pixels]) as tf.Tensor2D;

/**
 * The encoder outputs computed here from the model's public views, [n·49, D] row-major: VQ-VAE
 * z_e from encodeContinuous; dVAE Σ_k q(k|x) e_k with q = exp(codeLogits), summed in JS.
 */
async function encoderReference(t: Trainer, model: ModelKind, n: number): Promise<Float32Array> {
  const m = t.model;
  if (model === 'vqvae') return read(() => m.encodeContinuous!(firstProbes(t, n)));
  const logq = await read(() => m.codeLogits!(firstProbes(t, n))); // [n, 49, K]
  const E = await read(() => m.codebookVectors!()); //                [K, D]
  const out = new Float32Array(n * POSITIONS * D);
  for (let r = 0; r < n * POSITIONS; r++)
    for (let k = 0; k < K; k++) {
      const q = Math.exp(logq[r * K + k]!);
      for (let d = 0; d < D; d++) out[r * D + d]! += q * E[k * D + d]!;
    }
  return out;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

describe('subsampleRows', () => {
  it('keeps every row up to the limit, in order', () => {
    expect(Array.from(subsampleRows(5, 5))).toEqual([0, 1, 2, 3, 4]);
  });

  it('above the limit: a fixed set of distinct rows in increasing order, all positions', () => {
    const rows = subsampleRows(2352, 2000);
    expect(rows).toHaveLength(2000);
    expect(rows.every((r, i) => r >= 0 && r < 2352 && (i === 0 || r > rows[i - 1]!))).toBe(true);
    expect(Array.from(subsampleRows(2352, 2000))).toEqual(Array.from(rows));
    expect(new Set(Array.from(rows, (r) => r % POSITIONS)).size).toBe(POSITIONS);
  });
});

describe.each(['vqvae', 'dvae'] as const)('codebook view, %s', (model) => {
  let t: Trainer;
  beforeAll(async () => {
    t = new Trainer(dataset(PROBES), { ...TRAIN_DEFAULTS, ...small, model });
    for (let i = 0; i < 2; i++) t.trainStep();
    await t.flush();
  }, 300_000); // conv models step slowly on the CPU backend
  afterAll(() => t.dispose());

  it('answers with the contract shapes and leaves no tensor behind', async () => {
    await view(t, 8); // warm-up (kernels)
    const before = tf.memory().numTensors;
    const a = await view(t, 8);
    expect(tf.memory().numTensors).toBe(before);
    const M = 8 * POSITIONS;
    expect(a.kind).toBe('codebookView');
    expect(a.codebookSize).toBe(K);
    expect(a.codebook).toBeInstanceOf(Float32Array);
    expect(a.codebook).toHaveLength(K * 2);
    expect(a.encoder).toBeInstanceOf(Float32Array);
    expect(a.encoder).toHaveLength(M * 2);
    for (const ints of [a.codeOf, a.labels, a.position]) {
      expect(ints).toBeInstanceOf(Int32Array);
      expect(ints).toHaveLength(M);
    }
    expect([...a.codebook, ...a.encoder].every(Number.isFinite)).toBe(true);
    expect(a.codeOf.every((k) => k >= 0 && k < K)).toBe(true);
    // Up to the limit every position of every digit, image-major.
    expect(Array.from(a.labels)).toEqual(Array.from({ length: M }, (_, r) => Math.floor(r / 49)));
    expect(Array.from(a.position)).toEqual(Array.from({ length: M }, (_, r) => r % 49));
    const [v1, v2] = a.variance;
    expect(v1).toBeGreaterThanOrEqual(v2);
    expect(v2).toBeGreaterThanOrEqual(0);
    expect(v1 + v2).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('projects codebook and encoder outputs with one PCA of their union', async () => {
    const a = await view(t, 8);
    const M = 8 * POSITIONS;
    const C = await read(() => t.model.codebookVectors!());
    if (model === 'vqvae') {
      const vq = t.model as unknown as { codebook: tf.Tensor2D };
      expect(Array.from(C)).toEqual(Array.from(await read(() => tf.clone(vq.codebook))));
    }
    const union = new Float32Array((K + M) * D);
    union.set(C);
    union.set(await encoderReference(t, model, 8), K * D);
    const pca = fitPca(union, K + M, D, 2);
    const p = projectPca(pca, union, K + M, D);
    const scale = Math.max(...p.map(Math.abs));
    expectClose(a.codebook, p.subarray(0, K * 2), 1e-4 * scale);
    expectClose(a.encoder, p.subarray(K * 2), 1e-4 * scale);

    // The answer's own plane: centred, uncorrelated axes, PC 1 the wider, fractions of the total.
    const all = [...a.codebook, ...a.encoder];
    const N = K + M;
    const col = (c: number) => all.filter((_, i) => i % 2 === c);
    const [x, y] = [col(0), col(1)];
    const mean = (v: number[]) => v.reduce((s, u) => s + u, 0) / v.length;
    expect(Math.abs(mean(x))).toBeLessThan(1e-4 * scale);
    expect(Math.abs(mean(y))).toBeLessThan(1e-4 * scale);
    const vx = mean(x.map((u) => u * u));
    const vy = mean(y.map((u) => u * u));
    const cxy = mean(x.map((u, i) => u * y[i]!));
    expect(Math.abs(cxy)).toBeLessThan(1e-3 * vx);
    expect(vx).toBeGreaterThanOrEqual(vy);
    let total = 0;
    for (let i = 0; i < N; i++)
      for (let d = 0; d < D; d++) total += (union[i * D + d]! - pca.mean[d]!) ** 2 / N;
    expect(a.variance[0]).toBeCloseTo(vx / total, 4);
    expect(a.variance[1]).toBeCloseTo(vy / total, 4);
  });

  it('subsamples to the limit, the same rows every time, and codeOf matches model.codes', async () => {
    const a = await view(t, PROBES);
    const b = await view(t, PROBES);
    const M = CODEBOOK_VIEW_MAX_VECTORS;
    expect(a.codeOf).toHaveLength(M);
    expect(a.encoder).toHaveLength(M * 2);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.position)).toEqual(Array.from(a.position));
    expect(Array.from(b.encoder)).toEqual(Array.from(a.encoder));
    expect(a.labels.every((l) => l >= 0 && l < PROBES)).toBe(true);
    expect(a.position.every((i) => i >= 0 && i < POSITIONS)).toBe(true);

    const codes = await read(() => t.model.codes!(firstProbes(t, PROBES)).indices); // [48, 49]
    const row = (i: number) => a.labels[i]! * POSITIONS + a.position[i]!;
    expect(Array.from(a.codeOf)).toEqual(Array.from(a.codeOf, (_, i) => codes[row(i)]!));

    // Reference: VQ-VAE, the nearest code vector to z_e; dVAE, the most likely code.
    if (model === 'vqvae') {
      const C = await read(() => t.model.codebookVectors!());
      const Z = await encoderReference(t, model, PROBES);
      const nearest = (r: number) => {
        let best = 0;
        let bestDist = Infinity;
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += (Z[r * D + d]! - C[k * D + d]!) ** 2;
          if (s < bestDist) [best, bestDist] = [k, s];
        }
        return best;
      };
      expect(Array.from(a.codeOf)).toEqual(Array.from(a.codeOf, (_, i) => nearest(row(i))));
    } else {
      const logq = await read(() => t.model.codeLogits!(firstProbes(t, PROBES)));
      const argmax = (r: number) => {
        let best = 0;
        for (let k = 1; k < K; k++) if (logq[r * K + k]! > logq[r * K + best]!) best = k;
        return best;
      };
      expect(Array.from(a.codeOf)).toEqual(Array.from(a.codeOf, (_, i) => argmax(row(i))));
    }
  });

  it('rejects a bad number of probes without leaking', async () => {
    const before = tf.memory().numTensors;
    await expect(view(t, 0)).rejects.toThrow(/number of probes/);
    await expect(view(t, PROBES + 1)).rejects.toThrow(/number of probes/);
    await expect(view(t, 2.5)).rejects.toThrow(/number of probes/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.each(['vae', 'ae', 'catvae'] as const)('codebook view, %s', (model) => {
  it('rejects, naming the models that can answer', async () => {
    const t = new Trainer(dataset(8), { ...TRAIN_DEFAULTS, ...small, model });
    try {
      await expect(view(t, 4)).rejects.toThrow(/needs .*\(VQ-VAE or dVAE\)/);
    } finally {
      t.dispose();
    }
  });
});
