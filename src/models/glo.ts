/**
 * GLO, generative latent optimisation (Bojanowski et al. 2017, "Optimizing the latent space of
 * generative networks"): no encoder. Every training image i owns a free code z_i, learned together
 * with the decoder g_θ (the autoencoder's decoder, MLP or conv: layers/bodies).
 *
 *   codes    Z [N, d], one row per training image, kept in the unit ball ‖z_i‖ ≤ 1
 *   decoder  z [B, d] → logits ℓ = g_θ(z) [B, P]
 *   loss     min over θ and Z of  Σ_i −log p(x_i | g_θ(z_i))   (nats per image: Bernoulli = BCE,
 *            Gaussian = C‖x − x̂‖² + const); squared error Σ_p (x_p − x̂_p)² reported beside it
 *   a step   θ: the trainer's Adam. Z: only the batch's rows (ctx.indices), by their own optimiser
 *            (per-row Adam or SGD, ops/sparse-rows), then projected back into the ball
 *   init     PCA of the training images (1,000 of them), all codes scaled by one factor so the
 *            largest has norm 1; or N(0, I) projected onto the ball (the public minimal code)
 *   new x    an image with no code (test digit, drawing): z* = argmin_{‖z‖≤1} −log p(x | g_θ(z)),
 *            `inferSteps` Adam steps from z = 0 with the decoder frozen, all images at once
 *   samples  a Gaussian fitted to the learned codes (core/gaussian-fit), decoded
 *
 * The code gradient: the codes are not among the trainer's variables (its Adam would move every
 * row), so the batch's codes pass through a gradient tap, an identity whose backward pass keeps
 * ∂loss/∂z for afterStep(). The tape only runs backward passes on paths from the trained
 * variables, so the tap also takes one decoder weight as an input and gives it a zero gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitGaussian, sampleGaussian, type GaussianFit } from '../core/gaussian-fit';
import { fitPca } from '../core/pca';
import { mulberry32 } from '../core/rng';
import '../ops/register-gradients';
import { reconstructionNll } from '../ops/reconstruction';
import {
  projectToUnitBall,
  ROW_ADAM,
  rowAdamState,
  sparseRowStep,
  type RowAdamState,
} from '../ops/sparse-rows';
import type {
  Activation,
  Architecture,
  CodeInit,
  CodeOptimizer,
  Likelihood,
  TrainConfig,
} from '../contracts/config';
import type { LatentModel, LossContext, LossOutput } from './latent-model';
import { decoderNet, type Net } from './layers/bodies';
import { withLiveSettings } from './live-config';

export interface GloConfig {
  arch: Architecture;
  inputDim: number;
  hiddenDim: number;
  latentDim: number;
  activation: Activation;
  likelihood: Likelihood;
  sigma: number;
  /** N: training images, one code each. */
  count: number;
  codeOptimizer: CodeOptimizer;
  codeLearningRate: number;
  codeInit: CodeInit;
  inferSteps: number;
  seed: number;
}

export const GLO_DEFAULTS: GloConfig = {
  arch: 'mlp',
  inputDim: 784,
  hiddenDim: 512,
  latentDim: 2,
  activation: 'relu',
  likelihood: 'bernoulli',
  sigma: 0.1,
  count: 1,
  codeOptimizer: 'adam',
  codeLearningRate: 0.1,
  codeInit: 'pca',
  inferSteps: 50,
  seed: 1,
};

/** Step size of the Adam steps that infer a new image's code (the ball has radius 1). */
export const INFER_LEARNING_RATE = 0.1;
/** Training images the PCA initialisation is fitted on (then all N are projected). */
const PCA_SAMPLE = 1000;
const PCA_ITERATIONS = 50;
/** Variable names are global in the engine; the counter keeps models apart. */
let tableCount = 0;

export class Glo implements LatentModel {
  config: GloConfig;
  /** No encoder: a new image's code comes from inference by optimisation (embed runs one). */
  readonly hasEncoder = false;
  /** One code per training image, row i for training image i.   [N, d] */
  readonly table: tf.Variable;
  private readonly decoder: Net;
  private readonly codeAdam: RowAdamState | null;
  /** The training set [N, P] for the PCA start (the trainer's, not owned). */
  private readonly train: tf.Tensor2D | null;
  /** The last training step's batch rows and their code gradients, for afterStep().  [B], [B, d] */
  private pending: { indices: tf.Tensor1D; grad: tf.Tensor2D } | null = null;
  private latentFit: GaussianFit | null = null;

  constructor(config: Partial<GloConfig> = {}, train: tf.Tensor2D | null = null) {
    const c = { ...GLO_DEFAULTS, ...config };
    if (train) c.count = train.shape[0];
    this.config = c;
    this.train = train;
    this.decoder = decoderNet(c, c.latentDim, c.seed * 16 + 5, 'glo/dec');
    // Random start (the PCA start replaces it in initialize, once the data can be read back).
    this.table = tf.tidy(() =>
      tf.variable(
        projectToUnitBall(tf.randomNormal([c.count, c.latentDim], 0, 1, 'float32', c.seed * 16)),
        false,
        `glo/codes_${tableCount++}`,
      ),
    );
    this.codeAdam =
      c.codeOptimizer === 'adam' ? rowAdamState(c.count, c.latentDim, this.table.name) : null;
  }

  /** The decoder's weights: what the trainer's Adam steps. */
  get variables(): tf.Variable[] {
    return this.decoder.variables;
  }

  /** A checkpoint stores the decoder and the code table. */
  get savedVariables(): tf.Variable[] {
    return [...this.decoder.variables, this.table];
  }

  /** Per-row Adam state of the codes: a resumed run continues it. */
  get stateVariables(): tf.Variable[] {
    return this.codeAdam ? [this.codeAdam.m, this.codeAdam.v, this.codeAdam.t] : [];
  }

  get latentDim(): number {
    return this.config.latentDim;
  }

  /** z [B, d] → logits [B, P] */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.apply(z);
  }

  /** Mean image at codes: sigmoid(ℓ) for both likelihoods.   z [B, d] → [B, P] in [0, 1] */
  decodeLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decode(z)) as tf.Tensor2D);
  }

  /** −log p(x | g(z)) per image, nats.   z [B, d], x [B, P] → [B] */
  private nll(z: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
    return reconstructionNll(this.decode(z), x, this.config.likelihood, this.config.sigma);
  }

  /**
   * Codes for images that have none: `inferSteps` Adam steps on z from 0 with the decoder
   * frozen, each followed by the ball projection. Rows are independent (the loss is a sum over
   * images and Adam is element-wise), so the whole batch is inferred at once.   x [B, P] → [B, d]
   */
  infer(x: tf.Tensor2D): tf.Tensor2D {
    const { beta1, beta2, epsilon } = ROW_ADAM;
    const shape: [number, number] = [x.shape[0], this.config.latentDim];
    const grad = tf.grad((z: tf.Tensor) => tf.sum(this.nll(z as tf.Tensor2D, x)));
    let z = tf.zeros(shape) as tf.Tensor2D;
    let m = tf.zeros(shape);
    let v = tf.zeros(shape);
    for (let t = 1; t <= this.config.inferSteps; t++) {
      const next = tf.tidy(() => {
        const g = grad(z);
        const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const mHat = tf.div(m2, 1 - beta1 ** t);
        const vHat = tf.div(v2, 1 - beta2 ** t);
        const step = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), INFER_LEARNING_RATE);
        return [projectToUnitBall(tf.sub(z, step) as tf.Tensor2D), m2, v2] as const;
      });
      tf.dispose([z, m, v]);
      [z, m, v] = next;
    }
    tf.dispose([m, v]);
    return z;
  }

  /**
   * An identity on the batch's codes whose backward pass keeps their gradient for afterStep(),
   * per image (×B: the objective is the batch mean). `anchor` is a trained decoder weight,
   * given a zero gradient, so that the tape runs this backward pass.   z [B, d] → z
   */
  private tap(z: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
    const anchor = this.decoder.variables[0]!;
    const B = z.shape[0];
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.clone(inputs[0] as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        this.dropPending();
        this.pending = {
          indices: tf.keep(tf.clone(indices)),
          grad: tf.keep(tf.mul(dy, B)) as tf.Tensor2D,
        };
        return [dy, tf.zerosLike(anchor)];
      },
    }));
    return op(z, anchor) as tf.Tensor2D;
  }

  /**
   * The codes a batch is decoded from: its rows of the table, or inferred when it has none (or,
   * evaluating, the codes the caller gives: the PyTorch export decodes the probe codes it exports).
   */
  private codesFor(x: tf.Tensor2D, ctx: LossContext): tf.Tensor2D {
    if (ctx.codes && !ctx.training) return ctx.codes;
    if (!ctx.indices) {
      if (ctx.training)
        throw new Error('GLO trains on training images only: the batch needs its indices');
      return this.infer(x);
    }
    const z = tf.gather(this.table, ctx.indices) as tf.Tensor2D;
    return ctx.training ? this.tap(z, ctx.indices) : z;
  }

  /** Per-image terms: recon (nats) and squared error Σ_p (x_p − x̂_p)².   → [B] each */
  private terms(z: tf.Tensor2D, x: tf.Tensor2D): { recon: tf.Tensor1D; squaredError: tf.Tensor1D } {
    const logits = this.decode(z);
    const { likelihood, sigma } = this.config;
    return {
      recon: reconstructionNll(logits, x, likelihood, sigma),
      squaredError: tf.sum(tf.squaredDifference(x, tf.sigmoid(logits)), 1) as tf.Tensor1D,
    };
  }

  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput {
    return tf.tidy(() => {
      const per = this.terms(this.codesFor(x, ctx), x);
      const recon = tf.mean(per.recon) as tf.Scalar;
      const squaredError = tf.mean(per.squaredError) as tf.Scalar;
      return { terms: { recon, squaredError }, total: recon };
    });
  }

  /** Test images have no code: theirs are inferred (see infer). */
  evaluate(x: tf.Tensor2D, ctx: LossContext): Record<string, tf.Tensor1D> {
    return tf.tidy(() => ({ ...this.terms(this.codesFor(x, ctx), x) }));
  }

  /** The inferred codes of x (images outside the training set have no row).   [B, d] */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.infer(x));
  }

  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decodeLatent(this.infer(x)));
  }

  /** The sparse step of the last training batch's codes (outside the gradient tape). */
  afterStep(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const { codeLearningRate } = this.config;
    sparseRowStep(this.table, p.indices, p.grad, codeLearningRate, this.codeAdam);
    tf.dispose([p.indices, p.grad]);
  }

  private dropPending(): void {
    if (this.pending) tf.dispose([this.pending.indices, this.pending.grad]);
    this.pending = null;
  }

  /** PCA start, reading the sample back once with a blocking read (wasm/cpu; see Trainer.prepare). */
  initialize(): void {
    if (this.config.codeInit !== 'pca' || !this.train) return;
    const sample = this.pcaSample();
    this.startFromPca(sample.dataSync());
    sample.dispose();
  }

  /** The same as initialize, reading back asynchronously. */
  async initializeAsync(): Promise<void> {
    if (this.config.codeInit !== 'pca' || !this.train) return;
    const sample = this.pcaSample();
    const data = await sample.data();
    sample.dispose();
    this.startFromPca(data);
  }

  private pcaSample(): tf.Tensor2D {
    const train = this.train!;
    const n = Math.min(PCA_SAMPLE, train.shape[0]);
    return tf.slice(train, [0, 0], [n, train.shape[1]]);
  }

  /**
   * Codes = the training images' projections on the sample's top-d principal axes, all divided
   * by the largest norm (every code inside the ball, their layout kept).   → Z [N, d]
   */
  private startFromPca(sample: ArrayLike<number>): void {
    const train = this.train!;
    const [, P] = train.shape;
    const d = this.config.latentDim;
    const pca = fitPca(sample, sample.length / P, P, d, PCA_ITERATIONS);
    tf.tidy(() => {
      const basis = tf.tensor2d(
        Float32Array.from({ length: P * d }, (_, k) => pca.components[k % d]?.[(k / d) | 0] ?? 0),
        [P, d],
      ); // [P, d], column c = component c (zero if the data have fewer dimensions)
      const z = tf.matMul(tf.sub(train, tf.tensor1d(Float32Array.from(pca.mean))), basis);
      const largest = tf.max(tf.sqrt(tf.sum(tf.square(z), 1)));
      this.table.assign(tf.div(z, tf.maximum(largest, 1e-12)));
    });
  }

  /** Fits N(μ, Σ) to the learned codes of every training image (x, images, is not needed). */
  async fitLatentGaussian(): Promise<void> {
    const data = await this.table.data();
    this.latentFit = fitGaussian(data, this.config.count, this.config.latentDim);
  }

  /** Decodes draws from the Gaussian fitted to the codes.   → [count, P] */
  sample(count: number, seed: number): tf.Tensor2D {
    if (!this.latentFit) throw new Error('fit a Gaussian to the codes first (fitLatentGaussian)');
    const z = sampleGaussian(this.latentFit, count, mulberry32(seed));
    return tf.tidy(() => this.decodeLatent(tf.tensor2d(z, [count, this.config.latentDim])));
  }

  scheduleValues(): Record<string, number> {
    return {};
  }

  applyLiveConfig(c: TrainConfig): void {
    this.config = withLiveSettings('glo', this.config, c);
  }

  dispose(): void {
    this.dropPending();
    for (const v of [...this.savedVariables, ...this.stateVariables]) v.dispose();
  }
}
