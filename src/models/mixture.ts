/**
 * A mixture of K Bernoullis on binary pixels, fitted by EM. Its likelihood is exact:
 *
 *   p(x) = Σ_k π_k Π_p μ_kp^x_p (1 − μ_kp)^(1−x_p)          x ∈ {0,1}^P, π [K], μ [K, P]
 *   ℓ_k(x) = log π_k + x·log μ_k + (1 − x)·log(1 − μ_k) = x·W_k + b_k     (one [n,P]×[P,K] product)
 *   log p(x) = logsumexp_k ℓ_k(x);   responsibilities r_k(x) = exp(ℓ_k(x) − log p(x))
 *   ELBO(q, θ) = Σ_k q_k (ℓ_k(x; θ) − log q_k) = log p(x; θ) − KL(q ‖ p(k | x; θ)) ≤ log p(x; θ)
 *
 * EM over the whole training set on the device, in chunks of CHUNK images; iteration t is
 *   M-step  θ_t = argmax_θ Σ_i ELBO(q_{t−1}, θ) + log prior(θ): the bound rises, from the
 *           sufficient statistics of the previous E-step
 *           N_k = Σ_i r_ik, S_k = Σ_i r_ik x_i, H = −Σ_i Σ_k r_ik log r_ik:
 *           μ_k = clamp((S_k + α) / (N_k + 2α), ε, 1 − ε)   (MAP under a Beta(α+1, α+1) prior)
 *           π_k = N_k / N                                      (maximum likelihood)
 *   E-step  q_t = r(x; θ_t): the bound touches log p(x; θ_t) (the gap closes to 0)
 *   ELBO(q, θ) summed over the set = Σ_k (S_k·W_k + N_k b_k) + H, for any θ: so the bound right
 *   after the M-step (old q, new θ) costs no extra pass. Reported per iteration, per image, all
 *   about θ_t: nll = −log p(x; θ_t), elbo = ELBO(q_{t−1}, θ_t), elboE = ELBO(q_t, θ_t).
 * Pixels are binarised before anything else: by the trainer (static or dynamic binarisation),
 * else here at 0.5. Start: each μ_k = ½ x_{i_k} + ½ x̄ for K training images drawn with the seed
 * (clamped the same way), π uniform.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, permutation } from '../core/rng';
import type { TrainConfig } from '../contracts/config';
import { principalPlane } from '../ops/centroid-plane';
import type {
  CodeAssignment,
  FitContext,
  FitResult,
  LatentModel,
  LossContext,
  LossOutput,
} from './latent-model';

export interface MixtureConfig {
  inputDim: number;
  /** K components. */
  components: number;
  /** α of the Beta(α+1, α+1) prior on every Bernoulli mean (0 = maximum likelihood). */
  smoothing: number;
  /** Means are kept in [ε, 1 − ε]. */
  epsilon: number;
  seed: number;
}

export const MIXTURE_DEFAULTS: MixtureConfig = {
  inputDim: 784,
  components: 10,
  smoothing: 1,
  epsilon: 1e-4,
  seed: 1,
};

/** Images per [n, P]×[P, K] product in a pass over the training set. */
const CHUNK = 2048;
/** EM has converged when log p(x) per training image moved by less than this (nats). */
const CONVERGED_NATS = 1e-3;
/** log π_k of an emptied component (π_k = 0) stays finite: N_k·log π_k = 0 for N_k = 0. */
const LOG_FLOOR = -1e4;

/** What one EM iteration reports, per training image (nats). */
export interface EmReport {
  /** log p(x; θ_t): the model the iteration leaves. */
  logLikelihood: number;
  /** ELBO(q_t, θ_t) after the E-step, from the statistics: equals logLikelihood (gap closed). */
  elboAfterE: number;
  /** ELBO(q_{t−1}, θ_t) after the M-step, before the E-step (first iteration: = elboAfterE). */
  elboAfterM: number;
  /** Σ_i q_t(k | x_i) / N: the weights the next M-step gives.   [K] */
  weights: number[];
}

/** θ as the two arrays of the linear form ℓ = x·Wᵀ + b.   W [K, P], b [K] */
function linearForm(mu: tf.Tensor2D, logPi: tf.Tensor1D): { w: tf.Tensor2D; b: tf.Tensor1D } {
  const logMu = tf.log(mu);
  const log1m = tf.log1p(tf.neg(mu));
  return {
    w: tf.sub(logMu, log1m) as tf.Tensor2D,
    b: tf.add(tf.sum(log1m, 1), logPi) as tf.Tensor1D,
  };
}

/** ℓ_k(x) for each image and component.   x [n, P] → [n, K] */
function componentLogJoint(x: tf.Tensor2D, mu: tf.Tensor2D, logPi: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const { w, b } = linearForm(mu, logPi);
    return tf.add(tf.matMul(x, w, false, true), b) as tf.Tensor2D;
  });
}

export class BernoulliMixture implements LatentModel {
  readonly config: MixtureConfig;
  readonly variables: tf.Variable[] = [];
  /** Bernoulli means μ_k as images.   [K, P] */
  readonly means: tf.Variable<tf.Rank.R2>;
  /** log π_k.   [K] */
  readonly logWeights: tf.Variable<tf.Rank.R1>;
  /** θ_t before the latest M-step: the test bound uses its responsibilities (q_t). */
  private readonly prevMeans: tf.Variable<tf.Rank.R2>;
  private readonly prevLogWeights: tf.Variable<tf.Rank.R1>;
  /** Statistics of the latest E-step's q: S = Σ r x [K, P], N_k = Σ r [K], H = −Σ r log r []. */
  private readonly statS: tf.Variable<tf.Rank.R2>;
  private readonly statN: tf.Variable<tf.Rank.R1>;
  private readonly statH: tf.Variable<tf.Rank.R0>;
  /** log p(x) per image at the previous iteration, for the convergence test (not saved). */
  private lastLogLikelihood: number | null = null;

  constructor(config: Partial<MixtureConfig> = {}) {
    this.config = { ...MIXTURE_DEFAULTS, ...config };
    const { components: K, inputDim: P } = this.config;
    if (!(Number.isInteger(K) && K >= 2))
      throw new Error(`a mixture needs K ≥ 2 components, got ${K}`);
    const logUniform = () => tf.fill([K], -Math.log(K)) as tf.Tensor1D;
    this.means = tf.variable(tf.fill([K, P], 0.5), false, undefined, 'float32');
    this.logWeights = tf.variable(logUniform(), false, undefined, 'float32');
    this.prevMeans = tf.variable(tf.fill([K, P], 0.5), false, undefined, 'float32');
    this.prevLogWeights = tf.variable(logUniform(), false, undefined, 'float32');
    this.statS = tf.variable(tf.zeros([K, P]), false, undefined, 'float32');
    this.statN = tf.variable(tf.zeros([K]), false, undefined, 'float32');
    this.statH = tf.variable(tf.scalar(0), false, undefined, 'float32');
  }

  /** θ, θ_prev and q's statistics: a loaded model gives the same numbers and iterates on the same. */
  get savedVariables(): tf.Variable[] {
    return [
      this.means,
      this.logWeights,
      this.prevMeans,
      this.prevLogWeights,
      this.statS,
      this.statN,
      this.statH,
    ];
  }

  get codeLayout() {
    return { positions: 1, gridHeight: 1, gridWidth: 1, size: this.config.components };
  }

  /** x ≥ 0.5 → 1, else 0 (binary input passes unchanged).   [n, P] */
  private binary(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.cast(tf.greaterEqual(x, 0.5), 'float32') as tf.Tensor2D);
  }

  private clampMeans(mu: tf.Tensor2D): tf.Tensor2D {
    const e = this.config.epsilon;
    return tf.clipByValue(mu, e, 1 - e);
  }

  /** μ_k = ½ x_{i_k} + ½ x̄ for K seeded training images; π uniform. */
  start(x: tf.Tensor2D): void {
    const { components: K, seed } = this.config;
    const N = x.shape[0];
    if (N < K)
      throw new Error(`a mixture of ${K} components needs at least ${K} training images, got ${N}`);
    const picks = permutation(N, mulberry32(seed * 104_729 + 5)).slice(0, K);
    const mu = tf.tidy(() => {
      const xb = this.binary(tf.gather(x, tf.tensor1d(picks, 'int32')) as tf.Tensor2D);
      let mean = tf.zeros([1, x.shape[1]]);
      for (let s = 0; s < N; s += CHUNK) {
        const n = Math.min(CHUNK, N - s);
        mean = tf.add(mean, tf.sum(this.binary(tf.slice(x, [s, 0], [n, -1])), 0, true));
      }
      return this.clampMeans(tf.add(tf.mul(xb, 0.5), tf.mul(tf.div(mean, N), 0.5)));
    });
    this.means.assign(mu);
    this.prevMeans.assign(mu);
    mu.dispose();
    const logUniform = tf.fill([K], -Math.log(K));
    this.logWeights.assign(logUniform as tf.Tensor1D);
    this.prevLogWeights.assign(logUniform as tf.Tensor1D);
    logUniform.dispose();
  }

  /**
   * One EM iteration over x, the whole training set [N, P], in the order that keeps every number
   * about the model it leaves: the M-step from the statistics of the previous pass (none on the
   * first iteration, which starts the model instead), then the E-step pass under the new θ.
   */
  async em(x: tf.Tensor2D, first: boolean): Promise<EmReport> {
    const { components: K, inputDim: P, smoothing: a } = this.config;
    const N = x.shape[0];
    if (first) this.start(x);
    else {
      // M-step: θ_t from q_{t−1}'s statistics; the bound ELBO(q_{t−1}, θ_t) comes from them too.
      const [mu, logPi] = tf.tidy(() => [
        this.clampMeans(
          tf.div(tf.add(this.statS, a), tf.reshape(tf.add(this.statN, 2 * a), [K, 1])),
        ),
        tf.maximum(tf.log(tf.div(this.statN, N)), LOG_FLOOR),
      ]) as [tf.Tensor2D, tf.Tensor1D];
      this.prevMeans.assign(this.means);
      this.prevLogWeights.assign(this.logWeights);
      this.means.assign(mu);
      this.logWeights.assign(logPi);
      tf.dispose([mu, logPi]);
    }
    const afterM = first ? null : tf.tidy(() => this.boundFromStats(N));
    // E-step: q_t = r(·; θ_t) and its statistics S [K, P], N_k [K], H [], with Σ log p(x) [].
    let stats = [tf.zeros([K, P]), tf.zeros([K]), tf.scalar(0), tf.scalar(0)];
    for (let s = 0; s < N; s += CHUNK) {
      const n = Math.min(CHUNK, N - s);
      const next = tf.tidy(() => {
        const xc = this.binary(tf.slice(x, [s, 0], [n, P]) as tf.Tensor2D); //             [n, P]
        const joint = componentLogJoint(xc, this.means, this.logWeights); //                 [n, K]
        const logP = tf.logSumExp(joint, 1, true); //                                         [n, 1]
        const logR = tf.sub(joint, logP); //                                                   [n, K]
        const r = tf.exp(logR);
        return [
          tf.add(stats[0]!, tf.matMul(r, xc, true, false)),
          tf.add(stats[1]!, tf.sum(r, 0)),
          tf.sub(stats[2]!, tf.sum(tf.mul(r, logR))),
          tf.add(stats[3]!, tf.sum(logP)),
        ];
      });
      tf.dispose(stats);
      stats = next;
    }
    this.statS.assign(stats[0] as tf.Tensor2D);
    this.statN.assign(stats[1] as tf.Tensor1D);
    this.statH.assign(stats[2] as tf.Scalar);
    const report = tf.tidy(() => {
      const logP = tf.div(stats[3]!, N);
      const afterE = this.boundFromStats(N);
      return tf.concat([tf.stack([logP, afterE, afterM ?? afterE]), tf.div(this.statN, N)]);
    });
    const v = await report.data();
    tf.dispose([...stats, report]);
    afterM?.dispose();
    return {
      logLikelihood: v[0]!,
      elboAfterE: v[1]!,
      elboAfterM: v[2]!,
      weights: Array.from(v.subarray(3)),
    };
  }

  /** Σ_i ELBO(q_i, θ) / N with q the stored statistics' and θ the current.   [] */
  private boundFromStats(N: number): tf.Scalar {
    const { w, b } = linearForm(this.means, this.logWeights);
    const total = tf.add(
      tf.add(tf.sum(tf.mul(this.statS, w)), tf.sum(tf.mul(this.statN, b))),
      this.statH,
    );
    return tf.div(total, N) as tf.Scalar;
  }

  /** One EM iteration (the trainer's fit hook): the terms of the model it leaves, per image. */
  async fit(train: tf.Tensor2D, ctx: FitContext): Promise<FitResult> {
    const r = await this.em(train, ctx.iteration === 1);
    const change =
      this.lastLogLikelihood === null ? Infinity : r.logLikelihood - this.lastLogLikelihood;
    this.lastLogLikelihood = r.logLikelihood;
    return {
      terms: { nll: -r.logLikelihood, elbo: r.elboAfterM, elboE: r.elboAfterE },
      converged: Math.abs(change) < CONVERGED_NATS,
      info: {
        weightsMin: Math.min(...r.weights),
        weightsMax: Math.max(...r.weights),
        logLikelihoodChange: Number.isFinite(change) ? change : null,
      },
    };
  }

  /** p(k | x) under the current θ.   x [B, P] → [B, K] */
  responsibilities(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() =>
      tf.softmax(componentLogJoint(this.binary(x), this.means, this.logWeights)),
    );
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const t = this.evaluate(x, ctx);
      const nll = tf.mean(t.nll!) as tf.Scalar;
      const terms = {
        nll,
        elbo: tf.mean(t.elbo!) as tf.Scalar,
        elboE: tf.mean(t.elboE!) as tf.Scalar,
      };
      return { terms, total: nll };
    });
  }

  /**
   * Per image, in nats: nll = −log p(x; θ) (exact); elbo = ELBO(q_prev, θ) with q_prev =
   * p(k | x; θ_prev), the posterior before the latest M-step (the bound right after it, below
   * log p(x)); elboE = ELBO(p(k | x; θ), θ), the bound after the E-step (= log p(x)).
   */
  evaluate(x: tf.Tensor2D, _ctx?: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => {
      const xb = this.binary(x);
      const bound = (joint: tf.Tensor2D, logQ: tf.Tensor2D) =>
        tf.sum(tf.mul(tf.exp(logQ), tf.sub(joint, logQ)), 1) as tf.Tensor1D; //              [B]
      const joint = componentLogJoint(xb, this.means, this.logWeights); //                   [B, K]
      const logP = tf.logSumExp(joint, 1, true); //                                           [B, 1]
      const oldJoint = componentLogJoint(xb, this.prevMeans, this.prevLogWeights);
      const logQ = tf.sub(oldJoint, tf.logSumExp(oldJoint, 1, true)) as tf.Tensor2D; //                    [B, K]
      return {
        nll: tf.neg(tf.reshape(logP, [-1])) as tf.Tensor1D,
        elbo: bound(joint, logQ),
        elboE: bound(joint, tf.sub(joint, logP) as tf.Tensor2D),
      };
    });
  }

  /** Most responsible component of each image, int32.   [B] */
  private assign(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(
      () =>
        tf.argMax(componentLogJoint(this.binary(x), this.means, this.logWeights), 1) as tf.Tensor1D,
    );
  }

  /** The most responsible component's place in the plane of the means' principal directions.  [B, 2] */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(principalPlane(this.means), this.assign(x)) as tf.Tensor2D);
  }

  /** The mean image μ_k of the most responsible component.   [B, P] */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(this.means, this.assign(x)) as tf.Tensor2D);
  }

  codes(x: tf.Tensor2D): CodeAssignment {
    return {
      indices: tf.tidy(() => tf.reshape(this.assign(x), [-1, 1]) as tf.Tensor2D),
      size: this.config.components,
    };
  }

  /** indices [B, 1] → the components' means μ_k [B, P]. */
  decodeCodes(indices: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(
      () => tf.gather(this.means, tf.cast(tf.reshape(indices, [-1]), 'int32')) as tf.Tensor2D,
    );
  }

  /** Ancestral samples: k ~ π (Gumbel-max), then each pixel ~ Bernoulli(μ_kp).   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const K = this.config.components;
      const u = tf.randomUniform([count, K], 1e-7, 1 - 1e-7, 'float32', seed);
      const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
      const k = tf.argMax(tf.add(gumbel, this.logWeights), 1);
      const mu = tf.gather(this.means, k);
      const v = tf.randomUniform(mu.shape, 0, 1, 'float32', seed + 1);
      return tf.step(tf.sub(mu, v)) as tf.Tensor2D; // 1 where v < μ
    });
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  /** No live settings: K and the seed start a new run. */
  applyLiveConfig(_c: TrainConfig): void {}

  dispose(): void {
    tf.dispose(this.savedVariables);
  }
}
