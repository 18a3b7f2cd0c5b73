/**
 * Inspect answers that move through a continuous latent: manifold, decodePoints, encode,
 * interpolate, bilinear and traversal. Latent points are built in JS (src/core/latent-grids,
 * slerp) from a few read-back codes, then decoded in one batched model call per question.
 *
 * Which latent:
 *   VAE, AE   z = model.embed(x) (posterior mean μ, or the code), decoded by decodeLatent.
 *   VQ-VAE    z_e = encodeContinuous(x) [49·D] for interpolate and bilinear only, decoded by
 *             decodeContinuous after quantising (the decoder only ever saw z_q).
 *   dVAE, categorical VAE: no continuous latent; these questions reject with an Error.
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  bilinearGrid,
  columnMeanStd,
  linspace,
  planeToLatent,
  traversalGrid,
} from '../../core/latent-grids';
import { gaussianGrid } from '../../core/normal-quantile';
import { projectPca } from '../../core/pca';
import { interpolationPath } from '../../core/slerp';
import type { LatentModel } from '../../models/latent-model';
import {
  checkFinite,
  checkInt,
  digitBatch,
  digitLabels,
  imageBatch,
  latentTensor,
  LIMITS,
  probeEmbeddings,
  readAndDispose,
  readImages,
  resolvePlane,
  sliceImages,
} from './io';
import type { DigitRef, InspectAnswer, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';

type Answer<K extends InspectAnswer['kind']> = Extract<InspectAnswer, { kind: K }>;
type Query<K extends InspectQuery['kind']> = Extract<InspectQuery, { kind: K }>;

/** The continuous latent of a VAE or AE, or a clear error for the other models. */
function continuousLatent(m: LatentModel, what: string) {
  const decodeLatent = m.decodeLatent?.bind(m);
  if (!decodeLatent || !m.latentDim)
    throw new Error(`${what} needs a continuous latent (VAE or autoencoder)`);
  return { L: m.latentDim, decode: decodeLatent };
}

/**
 * The space interpolate and bilinear move through: the continuous latent, or VQ-VAE's z_e
 * (decoded quantised unless `quantise` is false).
 */
function pathSpace(m: LatentModel, what: string) {
  if (m.decodeLatent && m.latentDim) {
    const decode = m.decodeLatent.bind(m);
    return {
      vq: false,
      encode: (x: tf.Tensor2D) => m.embed(x),
      decode: (z: tf.Tensor2D) => decode(z),
    };
  }
  if (m.encodeContinuous && m.decodeContinuous) {
    const encode = m.encodeContinuous.bind(m);
    const decode = m.decodeContinuous.bind(m);
    return {
      vq: true,
      encode,
      decode: (z: tf.Tensor2D, quantise = true) => decode(z, quantise),
    };
  }
  throw new Error(
    `${what} needs a continuous latent (VAE, autoencoder, or VQ-VAE's z_e); ` +
      "a Gumbel-softmax model's codes are categorical: compare its code maps instead",
  );
}

/** The digits' codes in `encode`'s space, read back.   [refs.length, L] */
async function codesOf(
  trainer: Trainer,
  refs: readonly DigitRef[],
  encode: (x: tf.Tensor2D) => tf.Tensor2D,
): Promise<{ codes: Float32Array; L: number }> {
  const x = digitBatch(trainer, refs);
  try {
    const z = encode(x);
    const L = z.shape[1];
    return { codes: await readAndDispose(z), L };
  } finally {
    x.dispose();
  }
}

/** Row i of a row-major buffer with rows of length L. */
const row = (data: Float32Array, i: number, L: number) => data.subarray(i * L, (i + 1) * L);

/**
 * n×n decoded grid, rows top (largest y) to bottom, spaced by g_i = Φ⁻¹((i + ½)/n):
 *   L = 2            axes z₁, z₂: VAE z = g (its prior is N(0, I)); AE z = mean + std·g with the
 *                    probe codes' per-dimension mean and std (an AE's codes are not N(0, I)).
 *   dims [i, j]      z_i, z_j as above (VAE g, AE mean + std·g), every other dimension at the
 *                    mean of the probe embeddings; xs, ys are the values of z_i and z_j.
 *   L > 2            the scatter's PCA plane: x = g·√λ₁, y = g·√λ₂, z = m + x·c₁ + y·c₂.
 */
export async function manifold(
  trainer: Trainer,
  q: Query<'manifold'>,
): Promise<Answer<'manifold'>> {
  const { L, decode } = continuousLatent(trainer.model, 'the manifold');
  const n = checkInt('n', q.n, 1, LIMITS.grid);
  const g = gaussianGrid(n);
  const prior = !trainer.model.fitLatentGaussian; // AE: codes of no fixed prior
  let xs: number[];
  let ys: number[];
  let axes: string;
  let z: Float64Array;
  if (q.dims) {
    const [i, j] = q.dims;
    checkInt('dims[0]', i, 0, L - 1);
    checkInt('dims[1]', j, 0, L - 1);
    if (i === j) throw new Error('the manifold needs two different dims');
    const { mean, std } = await probeStats(trainer);
    const axis = (d: number) => (prior ? [...g] : g.map((v) => mean[d]! + std[d]! * v));
    xs = axis(i);
    ys = axis(j).reverse();
    axes = `dims ${i}, ${j}`;
    z = new Float64Array(n * n * L);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        const o = (r * n + c) * L;
        z.set(mean, o);
        z[o + i] = xs[c]!;
        z[o + j] = ys[r]!;
      }
  } else if (L === 2) {
    const { mean, std } = prior ? { mean: [0, 0], std: [1, 1] } : await probeStats(trainer);
    xs = g.map((v) => mean[0]! + std[0]! * v);
    ys = g.map((v) => mean[1]! + std[1]! * v).reverse();
    axes = 'z₁, z₂';
    z = planeToLatent(null, gridPoints(xs, ys));
  } else {
    const plane = (await resolvePlane(trainer, L))!;
    xs = g.map((v) => v * Math.sqrt(plane.variances[0] ?? 0));
    ys = g.map((v) => v * Math.sqrt(plane.variances[1] ?? 0)).reverse();
    axes = 'PC 1, PC 2';
    z = planeToLatent(plane, gridPoints(xs, ys));
  }
  const images = await readImages(trainer, decodeLatentPoints(decode, z, L));
  return { kind: 'manifold', n, images, xs, ys, axes };
}

/** Per-dimension mean and std of the probe digits' embeddings. */
async function probeStats(trainer: Trainer) {
  const e = await probeEmbeddings(trainer);
  return columnMeanStd(e.data, e.n, e.dims);
}

/** [x0, y0, x1, y1, …] for rows ys (outer) × columns xs (inner). */
function gridPoints(xs: number[], ys: number[]): Float64Array {
  const out = new Float64Array(xs.length * ys.length * 2);
  ys.forEach((y, r) =>
    xs.forEach((x, c) => {
      out[2 * (r * xs.length + c)] = x;
      out[2 * (r * xs.length + c) + 1] = y;
    }),
  );
  return out;
}

/** One decode call on row-major points; the input tensor is disposed before returning. */
function decodeLatentPoints(
  decode: (z: tf.Tensor2D) => tf.Tensor2D,
  points: ArrayLike<number>,
  L: number,
): tf.Tensor2D {
  const z = latentTensor(points, L);
  try {
    return decode(z);
  } finally {
    z.dispose();
  }
}

/** Plane points (scatter clicks) → images; the plane is mapped back to the latent as above. */
export async function decodePoints(
  trainer: Trainer,
  q: Query<'decodePoints'>,
): Promise<Answer<'decodePoints'>> {
  const { L, decode } = continuousLatent(trainer.model, 'decoding plane points');
  const { points } = q;
  if (points.length % 2 !== 0) throw new Error('points must be [x0, y0, x1, y1, …]');
  checkInt('number of points', points.length / 2, 0, LIMITS.points);
  points.forEach((v, i) => checkFinite(`points[${i}]`, v));
  if (points.length === 0)
    return { kind: 'decodePoints', images: imageBatch(trainer, new Float32Array(0)) };
  const z = planeToLatent(await resolvePlane(trainer, L), points);
  return {
    kind: 'decodePoints',
    images: await readImages(trainer, decodeLatentPoints(decode, z, L)),
  };
}

/**
 * A digit's plane point (its embedding, projected by the scatter's PCA when the embedding is not
 * 2-D), its reconstruction (model.reconstruct) and the input itself. Every model.
 */
export async function encode(trainer: Trainer, q: Query<'encode'>): Promise<Answer<'encode'>> {
  const m = trainer.model;
  const x = digitBatch(trainer, [q.digit]);
  const y = digitLabels(trainer, [q.digit]); // a conditional model encodes given the label
  let embedded: Float32Array;
  let E: number;
  let reconstruction;
  let input;
  try {
    const e = m.embed(x, y);
    E = e.shape[1];
    [embedded, reconstruction, input] = await Promise.all([
      readAndDispose(e),
      readImages(trainer, m.reconstruct(x, y)),
      readImages(trainer, x.clone()),
    ]);
  } finally {
    x.dispose();
    y?.dispose();
  }
  const plane = await resolvePlane(trainer, E);
  const p = plane ? projectPca(plane, embedded, 1, E) : embedded;
  return { kind: 'encode', point: [p[0] ?? 0, p[1] ?? 0], reconstruction, input };
}

/**
 * `steps` images from digit a to digit b: linear and slerp paths between their codes (slerp
 * about the origin, see core/slerp). VQ-VAE: the paths run through z_e; `linear` and `slerp`
 * are decoded after quantising, `preQuantised` is the linear path decoded as is (what the
 * decoder makes of points between codes) and `quantised` repeats `linear`.
 */
export async function interpolate(
  trainer: Trainer,
  q: Query<'interpolate'>,
): Promise<Answer<'interpolate'>> {
  const space = pathSpace(trainer.model, 'interpolation');
  const steps = checkInt('steps', q.steps, 2, LIMITS.steps);
  const { codes, L } = await codesOf(trainer, [q.a, q.b], space.encode);
  const a = row(codes, 0, L);
  const b = row(codes, 1, L);
  const paths = new Float64Array(2 * steps * L);
  paths.set(interpolationPath(a, b, steps, 'linear'), 0);
  paths.set(interpolationPath(a, b, steps, 'slerp'), steps * L);
  const both = await readImages(trainer, decodeLatentPoints(space.decode, paths, L));
  const linear = sliceImages(trainer, both, 0, steps);
  const slerp = sliceImages(trainer, both, steps, 2 * steps);
  if (!space.vq) return { kind: 'interpolate', linear, slerp };
  const pre = decodeLatentPoints((z) => space.decode(z, false), paths.subarray(0, steps * L), L);
  const preQuantised = await readImages(trainer, pre);
  const quantised = sliceImages(trainer, linear, 0, steps);
  return { kind: 'interpolate', linear, slerp, preQuantised, quantised };
}

/** n×n grid bilinear between the corner digits' codes (TL, TR, BL, BR); VQ-VAE: z_e, quantised. */
export async function bilinear(
  trainer: Trainer,
  q: Query<'bilinear'>,
): Promise<Answer<'bilinear'>> {
  const space = pathSpace(trainer.model, 'the bilinear grid');
  const n = checkInt('n', q.n, 2, LIMITS.grid);
  const { codes, L } = await codesOf(trainer, q.corners, space.encode);
  const corners = [0, 1, 2, 3].map((i) => row(codes, i, L)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const z = bilinearGrid(corners, n);
  return {
    kind: 'bilinear',
    n,
    images: await readImages(trainer, decodeLatentPoints(space.decode, z, L)),
  };
}

/**
 * For each d in dims, `steps` values linspace(−range, range) of z_d, the other dimensions at
 * the digit's code (posterior mean or AE code). Images dim-major: dims.length × steps.
 */
export async function traversal(
  trainer: Trainer,
  q: Query<'traversal'>,
): Promise<Answer<'traversal'>> {
  const { L, decode } = continuousLatent(trainer.model, 'the traversal');
  const steps = checkInt('steps', q.steps, 2, LIMITS.steps);
  const range = checkFinite('range', q.range);
  if (range <= 0) throw new Error(`range must be > 0 (got ${range})`);
  checkInt('number of dims', q.dims.length, 1, Math.floor(LIMITS.images / steps));
  const dims = q.dims.map((d, i) => checkInt(`dims[${i}]`, d, 0, L - 1));
  const { codes } = await codesOf(trainer, [q.digit], (x) => trainer.model.embed(x));
  const values = linspace(-range, range, steps);
  const z = traversalGrid(codes, dims, values);
  const images = await readImages(trainer, decodeLatentPoints(decode, z, L));
  return { kind: 'traversal', dims, values, images };
}
