import { beforeAll, describe, expect, it } from 'vitest';
import { codeUsage, deadCodes, perplexity } from '../../src/core/codebook-stats';
import { mulberry32 } from '../../src/core/rng';
import {
  createEmaState,
  disposeEmaState,
  emaUpdate,
  kmeansInit,
  nearestCode,
  quantize,
  restartDeadCodes,
  squaredDistances,
  straightThrough,
  vqLosses,
} from '../../src/ops/vector-quantize';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** Standard normal draws from our seeded RNG (Box–Muller), independent of TF.js. */
function normals(n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    out.push(r * Math.cos(angle), r * Math.sin(angle));
  }
  return out.slice(0, n);
}

/** Row-major [rows, cols] → nested arrays. */
function rowsOf(flat: ArrayLike<number>, cols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(Array.from(flat).slice(i, i + cols));
  return rows;
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Math.abs(a - e) > tol * (1 + Math.abs(e))) {
      throw new Error(`element ${i}: ${a} vs expected ${e} (tol ${tol})`);
    }
  }
}

const squaredDistance = (a: number[], b: number[]) =>
  a.reduce((acc, x, j) => acc + (x - b[j]!) ** 2, 0);

/** Brute force in float64: the first k with the smallest ‖ze_i − e_k‖², plus the gap to the runner-up. */
function bruteNearest(ze: number[][], codebook: number[][]): { index: number; gap: number }[] {
  return ze.map((z) => {
    let best = 0;
    let bestDist = Infinity;
    let second = Infinity;
    codebook.forEach((e, k) => {
      const d = squaredDistance(z, e);
      if (d < bestDist) {
        second = bestDist;
        bestDist = d;
        best = k;
      } else if (d < second) {
        second = d;
      }
    });
    return { index: best, gap: second - bestDist };
  });
}

/** Runs fn inside tf.tidy and checks the tensor count is unchanged afterwards. */
function expectNoLeak(fn: () => void) {
  const before = tf.memory().numTensors;
  tf.tidy(fn);
  expect(tf.memory().numTensors).toBe(before);
}

describe('nearestCode', () => {
  it.each([
    [1, 2, 1],
    [7, 3, 2],
    [50, 16, 8],
    [200, 64, 5],
    [33, 5, 32],
  ])('equals a brute-force double loop (M=%i, K=%i, D=%i)', (M, K, D) => {
    const zeArr = normals(M * D, 11 * M + K);
    const cbArr = normals(K * D, 13 * K + D);
    const ze = rowsOf(zeArr, D);
    const codebook = rowsOf(cbArr, D);
    const reference = bruteNearest(ze, codebook);
    // The data avoid near-ties, so float32 rounding cannot flip a choice.
    expect(Math.min(...reference.map((r) => r.gap))).toBeGreaterThan(1e-4);

    const zeT = tf.tensor2d(zeArr, [M, D]);
    const cbT = tf.tensor2d(cbArr, [K, D]);
    const indices = nearestCode(zeT, cbT);
    expect(indices.dtype).toBe('int32');
    expect(indices.shape).toEqual([M]);
    expect(Array.from(indices.dataSync())).toEqual(reference.map((r) => r.index));

    const distances = squaredDistances(zeT, cbT).dataSync();
    const direct = ze.flatMap((z) => codebook.map((e) => squaredDistance(z, e)));
    expectAllClose(distances, direct, 1e-4);
    tf.dispose([zeT, cbT, indices]);
  });

  it('breaks exact ties towards the lowest code index, like the brute force', () => {
    // Codes 1 and 3 are the same vector; ze = 0 is equidistant from ±1 codes 0 and 2.
    const codebook = [
      [1, 0],
      [2, 2],
      [-1, 0],
      [2, 2],
    ];
    const ze = [
      [0, 0],
      [2, 2],
      [1.9, 2.2],
    ];
    const reference = bruteNearest(ze, codebook).map((r) => r.index);
    expect(reference).toEqual([0, 1, 1]);
    const indices = nearestCode(tf.tensor2d(ze), tf.tensor2d(codebook));
    expect(Array.from(indices.dataSync())).toEqual(reference);
  });
});

describe('quantize', () => {
  it('returns the chosen codebook rows, their indices and the one-hot assignments', () => {
    const [M, K, D] = [20, 6, 3];
    const zeArr = normals(M * D, 1);
    const cbArr = normals(K * D, 2);
    const codebook = rowsOf(cbArr, D);
    const reference = bruteNearest(rowsOf(zeArr, D), codebook).map((r) => r.index);
    const { zq, indices, oneHot } = quantize(
      tf.tensor2d(zeArr, [M, D]),
      tf.tensor2d(cbArr, [K, D]),
    );
    expect(Array.from(indices.dataSync())).toEqual(reference);
    expect(zq.arraySync()).toEqual(reference.map((k) => codebook[k]!.map(Math.fround)));
    expect(oneHot.dtype).toBe('float32');
    expect(oneHot.arraySync()).toEqual(
      reference.map((k) => Array.from({ length: K }, (_, j) => (j === k ? 1 : 0))),
    );
  });

  it('is differentiable in the codebook inside a tape: ∂Σ(zq ⊙ W)/∂e_k = Σ_{i→k} W_i', () => {
    const [M, K, D] = [9, 4, 2];
    const ze = tf.tensor2d(normals(M * D, 3), [M, D]);
    const weights = normals(M * D, 4);
    const W = tf.tensor2d(weights, [M, D]);
    const grad = tf.grad((cb: tf.Tensor) => tf.sum(tf.mul(quantize(ze, cb as tf.Tensor2D).zq, W)))(
      tf.tensor2d(normals(K * D, 5), [K, D]),
    );
    const indices = nearestCode(ze, tf.tensor2d(normals(K * D, 5), [K, D])).dataSync();
    const expected = new Array<number>(K * D).fill(0);
    indices.forEach((k, i) => {
      for (let j = 0; j < D; j++) expected[k * D + j]! += weights[i * D + j]!;
    });
    expectAllClose(grad.dataSync(), expected, 1e-5);
  });
});

describe('straight-through estimator', () => {
  const [B, P, D, O] = [4, 3, 2, 5];
  const M = B * P;
  // A small "decoder" z [M, D] → tanh(z W) [M, O] and a squared-error reconstruction loss.
  const W = () => tf.tensor2d(normals(D * O, 21), [D, O]);
  const target = () => tf.tensor2d(normals(M * O, 22), [M, O]);
  const reconLoss = (z: tf.Tensor) =>
    tf.sum(tf.square(tf.sub(tf.tanh(tf.matMul(z as tf.Tensor2D, W())), target())));

  it('forwards zq exactly (= ze + (zq − ze) up to rounding)', () => {
    const ze = tf.tensor2d(normals(M * D, 23), [M, D]);
    const zq = tf.tensor2d(normals(M * D, 24), [M, D]);
    const out = straightThrough(ze, zq);
    expect(out.dataSync()).toEqual(zq.dataSync());
    expectAllClose(out.dataSync(), tf.add(ze, tf.sub(zq, ze)).dataSync(), 1e-6);
    expect(() => straightThrough(ze, tf.zeros([M, D + 1]))).toThrow();
  });

  it('passes the decoder gradient ∂L/∂zq unchanged to ze and none to zq', () => {
    const ze = tf.tensor2d(normals(M * D, 25), [M, D]);
    const zq = tf.tensor2d(normals(M * D, 26), [M, D]);
    const [gZe, gZq] = tf.grads((a: tf.Tensor, b: tf.Tensor) => reconLoss(straightThrough(a, b)))([
      ze,
      zq,
    ]);
    const direct = tf.grad(reconLoss)(zq);
    expect(Math.max(...Array.from(direct.dataSync(), Math.abs))).toBeGreaterThan(1e-2);
    expectAllClose(gZe!.dataSync(), direct.dataSync(), 1e-6);
    expect(Array.from(gZq!.dataSync())).toEqual(new Array(M * D).fill(0));
  });

  it('full VQ loss: codebook learns only from the codebook term, encoder from recon + β·commitment', () => {
    const beta = 0.25;
    const K = 5;
    const zeArr = normals(M * D, 27);
    const cbArr = normals(K * D, 28);
    const ze = tf.tensor2d(zeArr, [M, D]);
    const codebook = tf.tensor2d(cbArr, [K, D]);
    const totalLoss = (zeIn: tf.Tensor, cbIn: tf.Tensor) => {
      const { zq } = quantize(zeIn as tf.Tensor2D, cbIn as tf.Tensor2D);
      const { codebookLoss, commitmentLoss } = vqLosses(zeIn, zq, P);
      return tf.addN([
        reconLoss(straightThrough(zeIn, zq)),
        codebookLoss,
        tf.mul(commitmentLoss, beta),
      ]);
    };
    const [gZe, gCb] = tf.grads(totalLoss)([ze, codebook]);

    // Codebook: the gradient of the codebook term alone, and its closed form
    // ∂/∂e_k = (2 / B) Σ_{i→k} (e_k − ze_i).
    const codebookOnly = tf.grad(
      (cbIn: tf.Tensor) => vqLosses(ze, quantize(ze, cbIn as tf.Tensor2D).zq, P).codebookLoss,
    )(codebook);
    expectAllClose(gCb!.dataSync(), codebookOnly.dataSync(), 1e-6);
    const zeRows = rowsOf(zeArr, D);
    const cbRows = rowsOf(cbArr, D);
    const assigned = bruteNearest(zeRows, cbRows).map((r) => r.index);
    const expectedCb = new Array<number>(K * D).fill(0);
    assigned.forEach((k, i) => {
      for (let j = 0; j < D; j++)
        expectedCb[k * D + j]! += (2 / B) * (cbRows[k]![j]! - zeRows[i]![j]!);
    });
    expectAllClose(gCb!.dataSync(), expectedCb, 1e-5);

    // Encoder output: ∂L_recon/∂zq (straight through) + β (2 / B)(ze − zq); no codebook term.
    const zqArr = assigned.flatMap((k) => cbRows[k]!);
    const reconAtZq = tf
      .grad(reconLoss)(tf.tensor2d(zqArr, [M, D]))
      .dataSync();
    const expectedZe = Array.from(
      reconAtZq,
      (g, n) => g + beta * (2 / B) * (zeArr[n]! - zqArr[n]!),
    );
    expectAllClose(gZe!.dataSync(), expectedZe, 1e-5);
  });
});

describe('vqLosses', () => {
  const [B, H, Wd, D] = [3, 2, 2, 4];
  const P = H * Wd;
  const zeArr = normals(B * P * D, 31);
  const zqArr = normals(B * P * D, 32);
  // Σ over positions and D of one image, averaged over images.
  const direct = zeArr.reduce((acc, z, n) => acc + (z - zqArr[n]!) ** 2, 0) / B;

  it('sums over D and the positions of an image, averages over images ([M, D] or [B, H, W, D])', () => {
    const flat = vqLosses(tf.tensor2d(zeArr, [B * P, D]), tf.tensor2d(zqArr, [B * P, D]), P);
    expect(flat.codebookLoss.shape).toEqual([]);
    expect(flat.codebookLoss.dataSync()[0]).toBeCloseTo(direct, 4);
    expect(flat.commitmentLoss.dataSync()[0]).toBeCloseTo(direct, 4);
    const spatial = vqLosses(tf.tensor4d(zeArr, [B, H, Wd, D]), tf.tensor4d(zqArr, [B, H, Wd, D]));
    expect(spatial.codebookLoss.dataSync()[0]).toBeCloseTo(direct, 4);
    expect(spatial.commitmentLoss.dataSync()[0]).toBeCloseTo(direct, 4);
    expect(() => vqLosses(tf.zeros([5, D]), tf.zeros([5, D]), 2)).toThrow();
    expect(() => vqLosses(tf.zeros([4, D]), tf.zeros([4, D]))).toThrow();
  });

  it('codebook and commitment terms are equal forward but send gradient to opposite sides', () => {
    const ze = tf.tensor2d(zeArr, [B * P, D]);
    const zq = tf.tensor2d(zqArr, [B * P, D]);
    const [cbZe, cbZq] = tf.grads((a: tf.Tensor, b: tf.Tensor) => vqLosses(a, b, P).codebookLoss)([
      ze,
      zq,
    ]);
    const [cmZe, cmZq] = tf.grads((a: tf.Tensor, b: tf.Tensor) => vqLosses(a, b, P).commitmentLoss)(
      [ze, zq],
    );
    const zeros = new Array<number>(zeArr.length).fill(0);
    // codebook: ∂/∂ze = 0, ∂/∂zq = (2 / B)(zq − ze); commitment: ∂/∂ze = (2 / B)(ze − zq), ∂/∂zq = 0.
    expect(Array.from(cbZe!.dataSync())).toEqual(zeros);
    expectAllClose(
      cbZq!.dataSync(),
      zeArr.map((z, n) => (2 / B) * (zqArr[n]! - z)),
      1e-5,
    );
    expectAllClose(
      cmZe!.dataSync(),
      zeArr.map((z, n) => (2 / B) * (z - zqArr[n]!)),
      1e-5,
    );
    expect(Array.from(cmZq!.dataSync())).toEqual(zeros);
  });
});

describe('EMA codebook update', () => {
  /** Closed form of one EMA step, in float64. */
  function emaReference(
    clusterSize: number[],
    embedSum: number[][],
    ze: number[][],
    assignment: number[],
    decay: number,
    epsilon: number,
  ) {
    const K = clusterSize.length;
    const D = embedSum[0]!.length;
    const counts = new Array<number>(K).fill(0);
    const sums = embedSum.map(() => new Array<number>(D).fill(0));
    assignment.forEach((k, i) => {
      counts[k]! += 1;
      for (let j = 0; j < D; j++) sums[k]![j]! += ze[i]![j]!;
    });
    const N = clusterSize.map((n, k) => decay * n + (1 - decay) * counts[k]!);
    const m = embedSum.map((row, k) => row.map((v, j) => decay * v + (1 - decay) * sums[k]![j]!));
    const total = N.reduce((a, b) => a + b, 0);
    const smoothed = N.map((n) => ((n + epsilon) / (total + K * epsilon)) * total);
    return { N, m, codes: m.map((row, k) => row.map((v) => v / smoothed[k]!)) };
  }

  it('matches the closed form after one update on hand-made data', () => {
    const ze = [
      [1, 2],
      [3, 0],
      [-1, -1],
      [0.5, 4],
      [-2, 1],
    ];
    const assignment = [0, 0, 2, 0, 2]; // code 1 unused this batch
    const clusterSize = [2, 1, 0.5];
    const embedSum = [
      [1, 1],
      [-2, 0.5],
      [0, -1],
    ];
    const [decay, epsilon] = [0.9, 0.01];
    const expected = emaReference(clusterSize, embedSum, ze, assignment, decay, epsilon);

    const codebook = tf.variable(tf.zeros([3, 2]) as tf.Tensor2D);
    const state = {
      clusterSize: tf.variable(tf.tensor1d(clusterSize), false),
      embedSum: tf.variable(tf.tensor2d(embedSum), false),
    };
    const zeT = tf.tensor2d(ze);
    const oneHot = tf.oneHot(tf.tensor1d(assignment, 'int32'), 3, 1, 0, 'float32') as tf.Tensor2D;
    const before = tf.memory().numTensors;
    emaUpdate(state, codebook, zeT, oneHot, decay, epsilon);
    expect(tf.memory().numTensors).toBe(before); // only the variables' contents changed
    expectAllClose(state.clusterSize.dataSync(), expected.N, 1e-6);
    expectAllClose(state.embedSum.dataSync(), expected.m.flat(), 1e-6);
    expectAllClose(codebook.dataSync(), expected.codes.flat(), 1e-5);
    tf.dispose([codebook, state.clusterSize, state.embedSum, zeT, oneHot]);
  });

  it('with decay 0 the codes become the cluster means (exactly up to Laplace smoothing)', () => {
    const [M, K, D] = [60, 4, 3];
    const zeArr = normals(M * D, 41);
    const cbArr = normals(K * D, 42);
    const ze = tf.tensor2d(zeArr, [M, D]);
    const codebook = tf.variable(tf.tensor2d(cbArr, [K, D]));
    const state = createEmaState(codebook, 5);
    const { oneHot, indices } = quantize(ze, codebook);
    const assignment = Array.from(indices.dataSync());
    const zeRows = rowsOf(zeArr, D);
    const means = Array.from({ length: K }, (_, k) => {
      const members = zeRows.filter((_, i) => assignment[i] === k);
      expect(members.length).toBeGreaterThan(0);
      return Array.from(
        { length: D },
        (_, j) => members.reduce((a, r) => a + r[j]!, 0) / members.length,
      );
    });

    // Tiny ε: Ñ_k ≈ n_k, so e_k ≈ mean of its cluster.
    emaUpdate(state, codebook, ze, oneHot, 0, 1e-7);
    expectAllClose(codebook.dataSync(), means.flat(), 1e-4);
    expectAllClose(state.clusterSize.dataSync(), codeUsage(assignment, K), 1e-6);

    // Large ε: e_k = mean_k · n_k / Ñ_k with Ñ_k = (n_k + ε)/(M + Kε)·M.
    const epsilon = 2;
    emaUpdate(state, codebook, ze, oneHot, 0, epsilon);
    const counts = codeUsage(assignment, K);
    const shrunk = means.flatMap((row, k) => {
      const n = counts[k]!;
      const smoothed = ((n + epsilon) / (M + K * epsilon)) * M;
      return row.map((v) => (v * n) / smoothed);
    });
    expectAllClose(codebook.dataSync(), shrunk, 1e-4);
    disposeEmaState(state);
    tf.dispose([ze, codebook, oneHot, indices]);
  });

  it('createEmaState is consistent with the codebook and rejects bad settings', () => {
    const codebook = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const state = createEmaState(codebook, 3);
    expect(Array.from(state.clusterSize.dataSync())).toEqual([3, 3]);
    expect(Array.from(state.embedSum.dataSync())).toEqual([3, 6, 9, 12]);
    const oneHot = tf.tensor2d([[1, 0]]);
    expect(() => emaUpdate(state, codebook, tf.tensor2d([[0, 0]]), oneHot, 1)).toThrow();
    expect(() => emaUpdate(state, codebook, tf.tensor2d([[0, 0]]), oneHot, -0.1)).toThrow();
    disposeEmaState(state);
    codebook.dispose();
  });
});

describe('kmeansInit', () => {
  /** Gaussian blobs of σ = 0.3 around the given centres, shuffled together. */
  function blobs(centres: number[][], perBlob: number, seed: number): number[] {
    const D = centres[0]!.length;
    const noise = normals(centres.length * perBlob * D, seed);
    const rows: number[][] = [];
    for (let b = 0; b < perBlob; b++) {
      centres.forEach((c, ci) =>
        rows.push(c.map((v, j) => v + 0.3 * noise[(b * centres.length + ci) * D + j]!)),
      );
    }
    return rows.flat();
  }

  it.each([
    [
      [
        [5, 5],
        [-5, 5],
        [5, -5],
        [-5, -5],
      ],
      1,
    ],
    [
      Array.from({ length: 6 }, (_, c) =>
        Array.from({ length: 8 }, (_, j) => (j === c ? 10 : 0) + (j === 7 ? -4 : 0)),
      ),
      2,
    ],
  ])('finds well-separated blob centres (case %#)', (centres, seed) => {
    const K = centres.length;
    const D = centres[0]!.length;
    const samples = tf.tensor2d(blobs(centres, 100, seed), [100 * K, D]);
    const found = rowsOf(kmeansInit(samples, K, 10, seed).dataSync(), D);
    // Every true centre has exactly one found centre within 0.15 (σ/√100 = 0.03 sampling error).
    for (const c of centres) {
      const near = found.filter((f) => Math.sqrt(squaredDistance(f, c)) < 0.15);
      expect(near.length).toBe(1);
    }
    // Deterministic per seed.
    expect(Array.from(kmeansInit(samples, K, 10, seed).dataSync())).toEqual(found.flat());
  });

  it('copes with fewer distinct samples than codes, and does not leak', () => {
    const samples = tf.tensor2d([
      [1, 1],
      [1, 1],
      [2, 0],
    ]);
    const before = tf.memory().numTensors;
    const codebook = kmeansInit(samples, 5, 3, 9);
    expect(codebook.shape).toEqual([5, 2]);
    for (const v of codebook.dataSync()) expect(Number.isFinite(v)).toBe(true);
    codebook.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('restartDeadCodes', () => {
  const [K, D, M] = [6, 3, 10];
  const cbArr = normals(K * D, 51);
  const zeArr = normals(M * D, 52);
  const counts = Int32Array.from([5, 0, 3, 0, 1, 0]);

  it('replaces dead codes by distinct rows of ze, leaves live ones, returns their indices', () => {
    const codebook = tf.variable(tf.tensor2d(cbArr, [K, D]));
    const ze = tf.tensor2d(zeArr, [M, D]);
    const before = tf.memory().numTensors;
    const restarted = restartDeadCodes(codebook, counts, ze, 1, 7);
    expect(tf.memory().numTensors).toBe(before);
    expect(restarted).toEqual([1, 3, 5]);

    const after = rowsOf(codebook.dataSync(), D);
    const original = rowsOf(Float32Array.from(cbArr), D);
    const zeRows = rowsOf(Float32Array.from(zeArr), D);
    for (const k of [0, 2, 4]) expect(after[k]).toEqual(original[k]);
    const sources = restarted.map((k) =>
      zeRows.findIndex((r) => r.every((v, j) => v === after[k]![j])),
    );
    expect(sources.every((i) => i >= 0)).toBe(true);
    expect(new Set(sources).size).toBe(restarted.length);

    // A higher threshold also catches the rarely used code 4; a different seed picks other rows.
    expect(restartDeadCodes(codebook, counts, ze, 2, 8)).toEqual([1, 3, 4, 5]);
    tf.dispose([codebook, ze]);
  });

  it('does nothing when no code is dead, and resets EMA statistics of restarted codes', () => {
    const codebook = tf.variable(tf.tensor2d(cbArr, [K, D]));
    const ze = tf.tensor2d(zeArr, [M, D]);
    expect(restartDeadCodes(codebook, counts, ze, 0, 1)).toEqual([]);
    expect(Array.from(codebook.dataSync())).toEqual(Array.from(Float32Array.from(cbArr)));

    const state = createEmaState(codebook, 4);
    const before = tf.memory().numTensors;
    const restarted = restartDeadCodes(codebook, Float32Array.from(counts), ze, 1, 3, state);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(state.clusterSize.dataSync())).toEqual([4, 1, 4, 1, 4, 1]);
    const codes = rowsOf(codebook.dataSync(), D);
    const sums = rowsOf(state.embedSum.dataSync(), D);
    for (let k = 0; k < K; k++) {
      const expected = restarted.includes(k) ? codes[k]! : codes[k]!.map((v) => v * 4);
      expectAllClose(sums[k]!, expected, 1e-6);
    }
    expect(() => restartDeadCodes(codebook, [1, 2], ze, 1, 1)).toThrow();
    disposeEmaState(state);
    tf.dispose([codebook, ze]);
  });
});

describe('codebook statistics', () => {
  it('codeUsage counts indices and rejects out-of-range ones', () => {
    expect(Array.from(codeUsage([0, 2, 2, 3, 0, 2], 5))).toEqual([2, 0, 3, 1, 0]);
    expect(() => codeUsage([0, 5], 5)).toThrow(RangeError);
    expect(() => codeUsage([-1], 5)).toThrow(RangeError);
  });

  it('perplexity: uniform use of K codes → K, one code → 1, otherwise exp(−Σ p ln p)', () => {
    expect(perplexity([3, 3, 3, 3])).toBeCloseTo(4, 12);
    expect(perplexity(new Int32Array(16).fill(7))).toBeCloseTo(16, 12);
    expect(perplexity([0, 9, 0])).toBe(1);
    expect(perplexity([0, 0])).toBe(0);
    const rng = mulberry32(5);
    const counts = Array.from({ length: 10 }, () => Math.floor(rng() * 20));
    const total = counts.reduce((a, b) => a + b, 0);
    const entropy = counts.reduce((h, c) => (c > 0 ? h - (c / total) * Math.log(c / total) : h), 0);
    expect(perplexity(counts)).toBeCloseTo(Math.exp(entropy), 12);
    // Two codes at 3:1 → exp(−¾ ln ¾ − ¼ ln ¼).
    expect(perplexity([3, 1])).toBeCloseTo(
      Math.exp(-0.75 * Math.log(0.75) - 0.25 * Math.log(0.25)),
      12,
    );
  });

  it('perplexity of the mean one-hot from quantize equals perplexity of the counts', () => {
    const [M, K, D] = [40, 8, 2];
    const { oneHot, indices } = quantize(
      tf.tensor2d(normals(M * D, 61), [M, D]),
      tf.tensor2d(normals(K * D, 62), [K, D]),
    );
    const meanAssignment = Array.from(tf.mean(oneHot, 0).dataSync());
    expect(perplexity(codeUsage(indices.dataSync(), K))).toBeCloseTo(perplexity(meanAssignment), 5);
  });

  it('deadCodes lists codes used fewer than threshold times', () => {
    expect(deadCodes([5, 0, 2, 1], 2)).toEqual([1, 3]);
    expect(deadCodes([5, 0, 2, 1], 0)).toEqual([]);
  });
});

describe('no leaks', () => {
  it('every op leaves numTensors unchanged inside tf.tidy', () => {
    const [B, P, K, D] = [2, 4, 5, 3];
    const ze = tf.tensor2d(normals(B * P * D, 71), [B * P, D]);
    const codebook = tf.tensor2d(normals(K * D, 72), [K, D]);
    expectNoLeak(() => void squaredDistances(ze, codebook));
    expectNoLeak(() => void nearestCode(ze, codebook));
    expectNoLeak(() => void quantize(ze, codebook));
    expectNoLeak(() => void straightThrough(ze, quantize(ze, codebook).zq));
    expectNoLeak(() => void vqLosses(ze, quantize(ze, codebook).zq, P));
    expectNoLeak(() => {
      tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const { zq } = quantize(a as tf.Tensor2D, b as tf.Tensor2D);
        const { codebookLoss, commitmentLoss } = vqLosses(a, zq, P);
        return tf.addN([tf.sum(tf.square(straightThrough(a, zq))), codebookLoss, commitmentLoss]);
      })([ze, codebook]);
    });
    expectNoLeak(() => void kmeansInit(ze, K, 2, 1));
    tf.dispose([ze, codebook]);
  });
});
