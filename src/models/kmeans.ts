/**
 * K-means as an autoencoder on pixels: the code of an image is the index of its nearest
 * centroid, and the decoder is a table lookup.
 *
 *   encoder  z(x) = argmin_k ‖x − c_k‖²      x [B, P] → z ∈ {0 … K−1}        (one code per image)
 *   decoder  x̂ = c_z                          centroids C [K, P]
 *   loss     J = (1/N) Σ_i ‖x_i − c_{z(x_i)}‖²  squared error per image, summed over the P pixels
 *
 * Fitted without gradients by Lloyd's algorithm over the whole training set on the device, in
 * chunks of CHUNK images (one [n, P]×[P, K] distance product and one [K, n]×[n, P] sum per chunk):
 *   assign   a_i = argmin_k ‖x_i − c_k‖²                      (E-step with hard assignments)
 *   update   c_k = mean of { x_i : a_i = k }                   (M-step)
 * Each iteration can only lower J. Start: k-means++ (Arthur & Vassilvitskii 2007) on a seeded
 * subset of at most SEED_POOL training images, sampled on the device. A cluster left with no
 * image is re-seeded with the training images farthest from their centroid (reported).
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, permutation } from '../core/rng';
import type { TrainConfig } from '../contracts/config';
import { principalPlane } from '../ops/centroid-plane';
import { oneHotFloat } from '../ops/one-hot';
import { squaredDistances } from '../ops/vector-quantize';
import type {
  CodeAssignment,
  FitContext,
  FitResult,
  LatentModel,
  LossContext,
  LossOutput,
} from './latent-model';

export interface KMeansConfig {
  inputDim: number;
  /** K clusters (10–512 in the lab). */
  clusters: number;
  seed: number;
}

export const KMEANS_DEFAULTS: KMeansConfig = { inputDim: 784, clusters: 64, seed: 1 };

/** Images per distance product in a pass over the training set. */
const CHUNK = 2048;
/** k-means++ seeds from at most this many training images (a seeded random subset). */
export const SEED_POOL = 10_000;

/** What one Lloyd iteration reports. */
export interface LloydReport {
  /** Squared error per image of the training images, with this iteration's assignments and the updated centroids. */
  squaredError: number;
  /** The same with the centroids before the update (the assignment step's error). */
  assignedError: number;
  /** Training images assigned to each cluster in this iteration.   [K] */
  sizes: number[];
  /** Clusters that received no image and were re-seeded with the farthest images. */
  empty: number[];
  /** Σ |c_new − c_old| over every centroid pixel: 0 once no image changes cluster. */
  moved: number;
}

export class KMeans implements LatentModel {
  readonly config: KMeansConfig;
  readonly variables: tf.Variable[] = [];
  /** The centroids c_k as images.   [K, P] */
  readonly centroids: tf.Variable<tf.Rank.R2>;

  constructor(config: Partial<KMeansConfig> = {}) {
    this.config = { ...KMEANS_DEFAULTS, ...config };
    const { clusters: K, inputDim: P } = this.config;
    if (!(Number.isInteger(K) && K >= 2)) throw new Error(`k-means needs K ≥ 2 clusters, got ${K}`);
    // Random images until the first iteration seeds them by k-means++.
    const start = tf.randomUniform([K, P], 0, 1, 'float32', this.config.seed);
    this.centroids = tf.variable(start as tf.Tensor2D, false, undefined, 'float32');
  }

  get savedVariables(): tf.Variable[] {
    return [this.centroids];
  }

  get codeLayout() {
    return { positions: 1, gridHeight: 1, gridWidth: 1, size: this.config.clusters };
  }

  /**
   * k-means++ on the device: the first centroid a uniformly chosen image of the pool, each next
   * one an image drawn with probability ∝ D(x)², its squared distance to the nearest centroid so
   * far. The draw is Gumbel-max: argmax_i (log D_i² + G_i) with G_i = −log(−log U_i) is index i
   * with probability D_i² / Σ D² exactly; the uniforms U come from the seeded generator, so the
   * same seed draws the same images. No read-back, and no running-sum kernel in the bundle.
   */
  seed(x: tf.Tensor2D): void {
    const { clusters: K, seed } = this.config;
    const N = x.shape[0];
    if (N < K)
      throw new Error(`k-means with K = ${K} needs at least ${K} training images, got ${N}`);
    const rng = mulberry32(seed * 7919 + 17);
    const M = Math.min(N, SEED_POOL);
    const pool = tf.tidy(() =>
      N === M ? tf.clone(x) : tf.gather(x, tf.tensor1d(permutation(N, rng).slice(0, M), 'int32')),
    ) as tf.Tensor2D; //                                                                      [M, P]
    const poolSq = tf.tidy(() => tf.sum(tf.square(pool), 1)); //                              [M]
    const distTo = (c: tf.Tensor2D) =>
      tf.relu(
        tf.add(
          tf.sub(poolSq, tf.mul(tf.reshape(tf.matMul(pool, c, false, true), [M]), 2)),
          tf.sum(tf.square(c)),
        ),
      );
    const chosen: tf.Tensor2D[] = [
      tf.tidy(() => tf.slice(pool, [Math.floor(rng() * M), 0], [1, -1]) as tf.Tensor2D),
    ];
    let minD = tf.tidy(() => distTo(chosen[0]!)); //                                          [M]
    const gumbel = new Float32Array(M);
    for (let k = 1; k < K; k++) {
      for (let i = 0; i < M; i++) gumbel[i] = -Math.log(-Math.log(rng() * (1 - 2e-7) + 1e-7));
      const [c, d] = tf.tidy(() => {
        // log 0 = −∞: an image already chosen (D² = 0) is never drawn again.
        const keys = tf.add(tf.log(minD), tf.tensor1d(gumbel)); //                             [M]
        const index = tf.reshape(tf.argMax(keys), [1]);
        const next = tf.gather(pool, index) as tf.Tensor2D; //                                [1, P]
        return [next, tf.minimum(minD, distTo(next))];
      });
      minD.dispose();
      minD = d as tf.Tensor1D;
      chosen.push(c as tf.Tensor2D);
    }
    this.centroids.assign(tf.tidy(() => tf.concat(chosen, 0)));
    tf.dispose([...chosen, minD, pool, poolSq]);
  }

  /** One Lloyd iteration over x, the whole training set [N, P]; seeds first when `first`. */
  async lloyd(x: tf.Tensor2D, first: boolean): Promise<LloydReport> {
    if (first) this.seed(x);
    const { clusters: K, inputDim: P } = this.config;
    const N = x.shape[0];
    let sums = tf.zeros([K, P]) as tf.Tensor2D; //                 Σ of the images in each cluster
    let sizes = tf.zeros([K]) as tf.Tensor1D;
    const assigned: tf.Tensor1D[] = []; // a_i, int32, one tensor per chunk
    const nearest: tf.Tensor1D[] = []; //  min_k ‖x_i − c_k‖², one tensor per chunk
    for (let s = 0; s < N; s += CHUNK) {
      const n = Math.min(CHUNK, N - s);
      const [sumsNext, sizesNext, a, d] = tf.tidy(() => {
        const xc = tf.slice(x, [s, 0], [n, P]) as tf.Tensor2D; //                          [n, P]
        const dist = squaredDistances(xc, this.centroids); //                                [n, K]
        const a = tf.argMin(dist, 1) as tf.Tensor1D; //                                       [n]
        const oneHot = oneHotFloat(a, K) as tf.Tensor2D; //                                  [n, K]
        return [
          tf.add(sums, tf.matMul(oneHot, xc, true, false)), //                               [K, P]
          tf.add(sizes, tf.sum(oneHot, 0)), //                                               [K]
          a,
          tf.relu(tf.min(dist, 1)), //                                                        [n]
        ];
      });
      tf.dispose([sums, sizes]);
      sums = sumsNext as tf.Tensor2D;
      sizes = sizesNext as tf.Tensor1D;
      assigned.push(a as tf.Tensor1D);
      nearest.push(d as tf.Tensor1D);
    }
    const counts = await sizes.data();
    const empty: number[] = [];
    for (let k = 0; k < K; k++) if (counts[k] === 0) empty.push(k);
    // Empty clusters take the images farthest from their centroid, farthest first (read back
    // only when a cluster is empty, which is rare).
    const farthest = empty.length > 0 ? await farthestImages(nearest, empty.length) : null;
    const next = tf.tidy(() => {
      const means = tf.div(sums, tf.reshape(tf.maximum(sizes, 1), [K, 1])) as tf.Tensor2D;
      if (!farthest) return means;
      const far = tf.tensor1d(farthest, 'int32'); //                                          [E]
      const rows = tf.concat([means, tf.gather(x, far)]); //                          [K + E, P]
      const pick = new Int32Array(K);
      for (let k = 0; k < K; k++) pick[k] = k;
      empty.forEach((k, j) => (pick[k] = K + j));
      return tf.gather(rows, tf.tensor1d(pick, 'int32')) as tf.Tensor2D;
    });
    // J with the new centroids and this pass's assignments; and with the old ones (the pass's).
    const errors = tf.tidy(() => {
      let after = tf.scalar(0);
      for (let i = 0, s = 0; s < N; s += CHUNK, i++) {
        const xc = tf.slice(x, [s, 0], [Math.min(CHUNK, N - s), P]);
        after = tf.add(after, tf.sum(tf.squaredDifference(xc, tf.gather(next, assigned[i]!))));
      }
      const moved = tf.sum(tf.abs(tf.sub(next, this.centroids)));
      return tf.concat([
        tf.div(tf.stack([after, tf.sum(tf.concat(nearest))]), N),
        tf.reshape(moved, [1]),
      ]);
    });
    this.centroids.assign(next);
    const [afterJ, beforeJ, moved] = await errors.data();
    tf.dispose([sums, sizes, next, errors, ...assigned, ...nearest]);
    return {
      squaredError: afterJ!,
      assignedError: beforeJ!,
      sizes: Array.from(counts),
      empty,
      moved: moved!,
    };
  }

  /**
   * One Lloyd iteration (the trainer's fit hook); converged when no centroid moved (no image
   * changed cluster). Reports cluster sizes, and re-seeded empty clusters as events.
   */
  async fit(train: tf.Tensor2D, ctx: FitContext): Promise<FitResult> {
    const r = await this.lloyd(train, ctx.iteration === 1);
    const sorted = [...r.sizes].sort((a, b) => a - b);
    const events = r.empty.length
      ? [
          `re-seeded ${r.empty.length} empty cluster${r.empty.length > 1 ? 's' : ''} (${r.empty.join(', ')}) with the training images farthest from their centroids`,
        ]
      : [];
    return {
      terms: { squaredError: r.squaredError },
      converged: r.moved === 0,
      info: {
        assignedSquaredError: r.assignedError,
        emptyClusters: r.empty,
        clusterSizeMin: sorted[0]!,
        clusterSizeMedian: sorted[Math.floor(sorted.length / 2)]!,
        clusterSizeMax: sorted[sorted.length - 1]!,
        clusterSizes: r.sizes,
      },
      events,
    };
  }

  /** Nearest centroid of each image, int32.   x [B, P] → [B] */
  private assign(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.argMin(squaredDistances(x, this.centroids), 1) as tf.Tensor1D);
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const squaredError = tf.mean(this.evaluate(x, ctx).squaredError!) as tf.Scalar;
      return { terms: { squaredError }, total: squaredError };
    });
  }

  /** ‖x − c_{z(x)}‖² per image.   → { squaredError: [B] } */
  evaluate(x: tf.Tensor2D, _ctx?: LossContext): Record<string, tf.Tensor1D> {
    return {
      squaredError: tf.tidy(() => tf.sum(tf.squaredDifference(x, this.reconstruct(x)), 1)),
    };
  }

  /** The nearest centroid's place in the plane of the centroids' two principal directions.   [B, 2] */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(principalPlane(this.centroids), this.assign(x)) as tf.Tensor2D);
  }

  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(this.centroids, this.assign(x)) as tf.Tensor2D);
  }

  codes(x: tf.Tensor2D): CodeAssignment {
    return {
      indices: tf.tidy(() => tf.reshape(this.assign(x), [-1, 1]) as tf.Tensor2D),
      size: this.config.clusters,
    };
  }

  /** indices [B, 1] → the centroids [B, P]. */
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(
      () => tf.gather(this.centroids, tf.cast(tf.reshape(indices, [-1]), 'int32')) as tf.Tensor2D,
    );
  }

  /** A uniformly random code, decoded: each sample is one of the K centroids.   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const u = tf.randomUniform([count], 0, this.config.clusters, 'float32', seed);
      const k = tf.cast(tf.minimum(tf.floor(u), this.config.clusters - 1), 'int32');
      return tf.gather(this.centroids, k) as tf.Tensor2D;
    });
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  /** No live settings: K and the seed start a new run. */
  applyLiveConfig(_c: TrainConfig): void {}

  dispose(): void {
    this.centroids.dispose();
  }
}

/** The indices of the `count` largest distances over the chunks' [n] tensors, largest first. */
async function farthestImages(chunks: tf.Tensor1D[], count: number): Promise<Int32Array> {
  const all = tf.concat(chunks);
  const d = await all.data();
  all.dispose();
  const order = Array.from(d.keys()).sort((a, b) => d[b]! - d[a]! || a - b);
  return Int32Array.from(order.slice(0, count));
}
