// The inspector's answers against the model computed directly in the test: plane points,
// manifold tiles, interpolation endpoints, traversals, code maps and Gumbel draws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianGrid } from '../../src/core/normal-quantile';
import { projectPca } from '../../src/core/pca';
import { mulberry32 } from '../../src/core/rng';
import type { ModelKind } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import type { ImageBatch, InspectAnswer, InspectQuery } from '../../src/contracts/inspect';
import { inspect } from '../../src/train/inspect/inspector';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const P = 784;

async function ask<K extends InspectQuery['kind']>(
  t: Trainer,
  q: Extract<InspectQuery, { kind: K }>,
): Promise<Extract<InspectAnswer, { kind: K }>> {
  return (await inspect(t, q)) as Extract<InspectAnswer, { kind: K }>;
}

async function build(model: ModelKind, extra: Partial<TrainConfig> = {}): Promise<Trainer> {
  const t = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model, ...extra });
  for (let i = 0; i < 3; i++) t.trainStep();
  await t.flush();
  await t.evaluate();
  return t;
}

/** Reads f()'s tensor back and disposes it. */
async function read(f: () => tf.Tensor): Promise<Float32Array> {
  const out = tf.tidy(f);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return Float32Array.from(data);
}

const probes = (t: Trainer, idx: number[]) => tf.gather(t.probeX, idx) as tf.Tensor2D;
const image = (b: ImageBatch, i: number) => b.pixels.subarray(i * P, (i + 1) * P);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

describe('2-D VAE', () => {
  let t: Trainer;
  beforeAll(async () => (t = await build('vae')), 300_000);
  afterAll(() => t.dispose());
  const decodeAt = (z: number[][]) => read(() => t.model.decodeLatent!(tf.tensor2d(z)));

  it('decodePoints at the encode point of a probe digit gives its reconstruction', async () => {
    expect(t.plane).toBeNull();
    const enc = await ask(t, { kind: 'encode', digit: { probe: 5 } });
    const mu = await read(() => t.model.embed(probes(t, [5])));
    expectClose(enc.point, mu, 1e-6);
    expectClose(enc.input.pixels, await read(() => probes(t, [5])), 1e-7);
    const dec = await ask(t, { kind: 'decodePoints', points: enc.point });
    expectClose(dec.images.pixels, enc.reconstruction.pixels);
  });

  it('manifold tile (r, c) is decodeLatent(xs[c], ys[r]) on the Φ⁻¹ grid', async () => {
    const m = await ask(t, { kind: 'manifold', n: 4 });
    expect(m.axes).toBe('z₁, z₂');
    expectClose(m.xs, gaussianGrid(4), 1e-12);
    expectClose(m.ys, gaussianGrid(4).reverse(), 1e-12);
    const z = m.ys.flatMap((y) => m.xs.map((x) => [x, y]));
    expectClose(m.images.pixels, await decodeAt(z));
  });

  it('interpolation runs from the reconstruction of a to that of b', async () => {
    const a = { probe: 0 };
    const b = { probe: 7 };
    const ip = await ask(t, { kind: 'interpolate', a, b, steps: 5 });
    const recon = await read(() => t.model.reconstruct(probes(t, [0, 7])));
    for (const path of [ip.linear, ip.slerp]) {
      expectClose(image(path, 0), recon.subarray(0, P));
      expectClose(image(path, 4), recon.subarray(P));
    }
    const mu = await read(() => t.model.embed(probes(t, [0, 7])));
    const mid = [(mu[0]! + mu[2]!) / 2, (mu[1]! + mu[3]!) / 2];
    expectClose(image(ip.linear, 2), await decodeAt([mid]));
  });

  it('bilinear corners are the corner digits; traversal varies one dim at a time', async () => {
    const corners = [1, 2, 3, 4].map((probe) => ({ probe })) as [
      { probe: number },
      { probe: number },
      { probe: number },
      { probe: number },
    ];
    const bl = await ask(t, { kind: 'bilinear', corners, n: 3 });
    const recon = await read(() => t.model.reconstruct(probes(t, [1, 2, 3, 4])));
    [0, 2, 6, 8].forEach((tile, i) =>
      expectClose(image(bl.images, tile), recon.subarray(i * P, (i + 1) * P)),
    );
    const tr = await ask(t, {
      kind: 'traversal',
      digit: { probe: 6 },
      dims: [1, 0],
      steps: 3,
      range: 1.5,
    });
    expect(tr.values).toEqual([-1.5, 0, 1.5]);
    const [m0, m1] = await read(() => t.model.embed(probes(t, [6])));
    const z = [
      ...tr.values.map((v) => [m0!, v]), // dim 1 first
      ...tr.values.map((v) => [v, m1!]),
    ];
    expectClose(tr.images.pixels, await decodeAt(z));
  });
});

describe('8-D VAE', () => {
  let t: Trainer;
  beforeAll(async () => (t = await build('vae', { latentDim: 8 })), 300_000);
  afterAll(() => t.dispose());
  const decodeAt = (z: number[][]) => read(() => t.model.decodeLatent!(tf.tensor2d(z)));

  it('encode projects the posterior mean onto the scatter’s PCA plane; decodePoints maps back', async () => {
    const plane = t.plane!;
    expect(plane.mean).toHaveLength(8);
    const enc = await ask(t, { kind: 'encode', digit: { probe: 3 } });
    const mu = await read(() => t.model.embed(probes(t, [3])));
    expectClose(enc.point, projectPca(plane, mu, 1, 8), 1e-5);
    const p = [0.3, -0.7];
    const z = Array.from(
      plane.mean,
      (m, j) => m + p[0]! * plane.components[0]![j]! + p[1]! * plane.components[1]![j]!,
    );
    const dec = await ask(t, { kind: 'decodePoints', points: p });
    expectClose(dec.images.pixels, await decodeAt([z]));
  });

  it('manifold: the PCA plane by default, two dims at the probe mean on request', async () => {
    const pc = await ask(t, { kind: 'manifold', n: 3 });
    expect(pc.axes).toBe('PC 1, PC 2');
    expectClose(
      pc.xs,
      gaussianGrid(3).map((g) => g * Math.sqrt(t.plane!.variances[0]!)),
      1e-9,
    );
    const dims = await ask(t, { kind: 'manifold', n: 3, dims: [3, 5] });
    expect(dims.axes).toBe('dims 3, 5');
    expectClose(dims.xs, gaussianGrid(3), 1e-12);
    const all = await read(() => t.model.embed(t.probeX));
    const n = all.length / 8;
    const mean = Array.from({ length: 8 }, (_, j) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += all[i * 8 + j]!;
      return s / n;
    });
    const z = dims.ys.flatMap((y) =>
      dims.xs.map((x) => mean.map((v, j) => (j === 3 ? x : j === 5 ? y : v))),
    );
    expectClose(dims.images.pixels, await decodeAt(z), 1e-4);
  });
});

describe('2-D autoencoder', () => {
  it('spaces its manifold by the probe codes’ mean and std', async () => {
    const t = await build('ae');
    const m = await ask(t, { kind: 'manifold', n: 3 });
    const codes = await read(() => t.model.embed(t.probeX));
    const n = codes.length / 2;
    const x = Array.from({ length: n }, (_, i) => codes[2 * i]!);
    const mean = x.reduce((a, b) => a + b) / n;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expectClose(
      m.xs,
      gaussianGrid(3).map((g) => mean + std * g),
      1e-4,
    );
    t.dispose();
  }, 300_000);
});

describe.each(['catvae', 'dvae', 'vqvae'] as const)('%s codes', (model) => {
  let t: Trainer;
  beforeAll(async () => (t = await build(model)), 300_000);
  afterAll(() => t.dispose());

  it('codeMap equals model.codes; atlas image k decodes code k everywhere', async () => {
    const map = await ask(t, { kind: 'codeMap', probes: [4, 0, 9] });
    const codes = await read(() => tf.cast(t.model.codes!(probes(t, [4, 0, 9])).indices, 'int32'));
    expect(Array.from(map.indices)).toEqual(Array.from(codes));
    const { positions } = t.model.codeLayout!;
    const atlas = await ask(t, { kind: 'codebookAtlas' });
    const k = 3;
    const direct = await read(() =>
      t.model.decodeCodes!(tf.fill([1, positions], k, 'int32') as tf.Tensor2D),
    );
    expectClose(image(atlas.images, k), direct);
  });
});

describe.each(['catvae', 'dvae'] as const)('%s Gumbel', (model) => {
  let t: Trainer;
  beforeAll(async () => (t = await build(model)), 300_000);
  afterAll(() => t.dispose());

  it('gumbel: hard = argmax(log π + g), rows sorted by probability', async () => {
    const q = { kind: 'gumbel' as const, probe: 2, position: 1, tau: 0.7, seed: 5, top: 4 };
    const answer = await ask(t, q);
    const K = t.model.codeLayout!.size;
    const logits = (await read(() => t.model.codeLogits!(probes(t, [2])))).subarray(K, 2 * K);
    const probs = Array.from(logits, Math.exp);
    expect(probs.reduce((a, b) => a + b)).toBeCloseTo(1, 5); // log-softmax normalised
    const rng = mulberry32(q.seed);
    const g = probs.map(() => -Math.log(-Math.log(rng() + 2 ** -33)));
    const perturbed = probs.map((p, k) => Math.log(p) + g[k]!);
    expect(answer.hard).toBe(perturbed.indexOf(Math.max(...perturbed)));
    expect(answer.rows).toHaveLength(4);
    const expSoft = perturbed.map((v) => Math.exp(v / q.tau));
    const total = expSoft.reduce((a, b) => a + b);
    answer.rows.forEach((r, i) => {
      if (i > 0) expect(r.prob).toBeLessThanOrEqual(answer.rows[i - 1]!.prob);
      expect(r.prob).toBeCloseTo(probs[r.code]!, 5);
      expect(r.logit).toBeCloseTo(logits[r.code]!, 6);
      expect(r.gumbel).toBeCloseTo(g[r.code]!, 9);
      expect(r.soft).toBeCloseTo(expSoft[r.code]! / total, 5);
    });
    expect(answer.rows[0]!.prob).toBeCloseTo(Math.max(...probs), 6);
  });
});

describe('vqvae interpolation', () => {
  let t: Trainer;
  beforeAll(async () => (t = await build('vqvae')), 300_000);
  afterAll(() => t.dispose());

  it('interpolate: quantised paths start at the reconstruction; preQuantised decodes z_e as is', async () => {
    const ip = await ask(t, { kind: 'interpolate', a: { probe: 1 }, b: { probe: 2 }, steps: 3 });
    const recon = await read(() => t.model.reconstruct(probes(t, [1, 2])));
    expectClose(image(ip.linear, 0), recon.subarray(0, P));
    expectClose(image(ip.slerp, 2), recon.subarray(P));
    const pre = await read(() =>
      t.model.decodeContinuous!(t.model.encodeContinuous!(probes(t, [1])), false),
    );
    expectClose(image(ip.preQuantised!, 0), pre);
  });
});
