import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import { KMeans } from '../../src/models/kmeans';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const P = 4;

/** N points around four corners of the unit square in the first two coordinates. */
function toySet(N: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const x = new Float32Array(N * P);
  for (let i = 0; i < N; i++) {
    const c = i % 4;
    x[i * P] = (c & 1) + 0.1 * (rng() - 0.5);
    x[i * P + 1] = (c >> 1) + 0.1 * (rng() - 0.5);
    x[i * P + 2] = 0.05 * rng();
    x[i * P + 3] = 0.05 * rng();
  }
  return x;
}

const dist2 = (x: ArrayLike<number>, i: number, c: ArrayLike<number>, k: number) => {
  let d = 0;
  for (let p = 0; p < P; p++) d += (x[i * P + p]! - c[k * P + p]!) ** 2;
  return d;
};

/** One Lloyd iteration in plain JS (float64): assignments, errors before and after, means. */
function directLloyd(x: Float32Array, c: Float32Array, K: number) {
  const N = x.length / P;
  const a = Array.from({ length: N }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (dist2(x, i, c, k) < dist2(x, i, c, best)) best = k;
    return best;
  });
  const before = a.reduce((s, k, i) => s + dist2(x, i, c, k), 0) / N;
  const means = new Float64Array(K * P);
  const sizes = new Array<number>(K).fill(0);
  a.forEach((k, i) => {
    sizes[k]!++;
    for (let p = 0; p < P; p++) means[k * P + p]! += x[i * P + p]!;
  });
  for (let k = 0; k < K; k++) for (let p = 0; p < P; p++) means[k * P + p]! /= sizes[k]! || 1;
  const after = a.reduce((s, k, i) => s + dist2(x, i, means, k), 0) / N;
  return { before, after, means, sizes };
}

describe('k-means', () => {
  it('k-means++ picks K distinct training images, the same for the same seed', async () => {
    const N = 40;
    const data = toySet(N, 1);
    const x = tf.tensor2d(data, [N, P]);
    const seeds = [];
    for (const seed of [3, 3]) {
      const m = new KMeans({ inputDim: P, clusters: 4, seed });
      m.seed(x);
      seeds.push(Array.from(await m.centroids.data()));
      m.dispose();
    }
    expect(seeds[0]).toEqual(seeds[1]);
    const c = seeds[0]!;
    const rows = Array.from({ length: 4 }, (_, k) => c.slice(k * P, (k + 1) * P).join(','));
    expect(new Set(rows).size).toBe(4);
    for (let k = 0; k < 4; k++) {
      const hit = Array.from({ length: N }, (_, i) => dist2(data, i, c, k)).some((d) => d < 1e-12);
      expect(hit).toBe(true);
    }
    // D² sampling spreads the seeds: on four tight corners they land in four different corners.
    const corners = rows.map((r) =>
      r
        .split(',')
        .slice(0, 2)
        .map((v) => Math.round(Number(v)))
        .join(),
    );
    expect(new Set(corners).size).toBe(4);
    x.dispose();
  });

  it('does a Lloyd iteration like a direct computation, and never raises the error', async () => {
    const N = 60;
    const data = toySet(N, 2);
    const x = tf.tensor2d(data, [N, P]);
    const m = new KMeans({ inputDim: P, clusters: 3, seed: 5 });
    await m.fit(x, { iteration: 1, seed: 0 });
    let last = Infinity;
    for (let it = 2; it <= 6; it++) {
      const c = (await m.centroids.data()) as Float32Array;
      const direct = directLloyd(data, c, 3);
      const r = await m.fit(x, { iteration: it, seed: 0 });
      expect(r.info!.assignedSquaredError as number).toBeCloseTo(direct.before, 5);
      expect(r.terms.squaredError!).toBeCloseTo(direct.after, 5);
      expect(r.info!.clusterSizes).toEqual(direct.sizes);
      const next = await m.centroids.data();
      direct.means.forEach((v, i) => expect(next[i]!).toBeCloseTo(v, 5));
      expect(r.terms.squaredError!).toBeLessThanOrEqual(direct.before + 1e-6);
      expect(r.terms.squaredError!).toBeLessThanOrEqual(last + 1e-6);
      last = r.terms.squaredError!;
    }
    // Converged: one more iteration moves nothing.
    for (let it = 7; it <= 12; it++) await m.fit(x, { iteration: it, seed: 0 });
    expect((await m.fit(x, { iteration: 13, seed: 0 })).converged).toBe(true);
    x.dispose();
    m.dispose();
  });

  it('re-seeds an empty cluster with the farthest image and says so', async () => {
    const N = 40;
    const data = toySet(N, 3);
    data.set([5, 5, 0, 0], 7 * P); // image 7 is far from everything
    const x = tf.tensor2d(data, [N, P]);
    const m = new KMeans({ inputDim: P, clusters: 3, seed: 1 });
    // Centroids: two near the data, one far away that no image is nearest to.
    m.centroids.assign(tf.tensor2d([0.5, 0.5, 0, 0, 0.6, 0.4, 0, 0, -50, -50, 0, 0], [3, P]));
    const r = await m.fit(x, { iteration: 2, seed: 0 });
    expect(r.info!.emptyClusters).toEqual([2]);
    expect(r.events![0]).toMatch(/re-seeded 1 empty cluster \(2\)/);
    const c = await m.centroids.data();
    expect(Array.from(c.slice(2 * P, 3 * P))).toEqual([5, 5, 0, 0]);
    x.dispose();
    m.dispose();
  });

  it('encodes to the nearest centroid and decodes and samples centroids', async () => {
    const m = new KMeans({ inputDim: P, clusters: 2, seed: 1 });
    m.centroids.assign(tf.tensor2d([0, 0, 0, 0, 1, 1, 1, 1], [2, P]));
    const x = tf.tensor2d([0.9, 0.8, 1, 1, 0.1, 0, 0.2, 0], [2, P]);
    const codes = m.codes(x);
    expect(Array.from(await codes.indices.data())).toEqual([1, 0]);
    const e = m.evaluate(x).squaredError!;
    const expected = [0.01 + 0.04, 0.01 + 0.04];
    (await e.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    const s = await m.sample(16, 2).data();
    for (let i = 0; i < 16; i++) expect([0, 1]).toContain(s[i * P]);
    tf.dispose([x, codes.indices, e]);
    m.dispose();
  });

  it('leaks no tensors in a Lloyd iteration, evaluation, codes and samples', async () => {
    const N = 40;
    const x = tf.tensor2d(toySet(N, 4), [N, P]);
    const m = new KMeans({ inputDim: P, clusters: 3, seed: 1 });
    await m.fit(x, { iteration: 1, seed: 0 });
    const before = tf.memory().numTensors;
    for (let it = 2; it <= 4; it++) await m.fit(x, { iteration: it, seed: 0 });
    tf.dispose(Object.values(m.evaluate(x)));
    const c = m.codes(x);
    tf.dispose([c.indices, m.decodeCodes(c.indices), m.sample(4, 1), m.embed(x), m.reconstruct(x)]);
    const l = m.loss(x, { step: 1, seed: 1 });
    tf.dispose([l.total, ...Object.values(l.terms)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });
});
