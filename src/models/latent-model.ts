/**
 * What every model in the zoo provides to the trainer. Models are pure TF.js: no DOM, no UI.
 * Losses come back by name, each a scalar in nats per image (batch mean of per-image sums),
 * so the UI can plot every term without knowing the model.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../contracts/config';

export interface LossContext {
  /** Training step (1-based) that schedules (β warm-up, τ) are evaluated at; 0 = untrained. */
  step: number;
  /** Seed for this call's noise (ε, Gumbel noise), so runs are reproducible. */
  seed: number;
  /** True inside a training step (models may keep statistics for afterStep). */
  training?: boolean;
  /** The batch rows' indices into the training set, int32 [B] (GLO: the rows of its code table). */
  indices?: tf.Tensor1D;
  /** int32 [B]: the batch's labels, when the dataset has them (conditional VAE). */
  labels?: tf.Tensor1D;
  /**
   * Evaluate with the noise fixed (the PyTorch export's reference numbers): ε = 0 for Gaussian
   * posteriors (z = μ), the most likely code (argmax of the logits, no Gumbel noise, τ-free) for
   * Gumbel-softmax models. Models without noise ignore it.
   */
  deterministic?: boolean;
  /**
   * Codes given for the batch (evaluation only): a model without an encoder (GLO) decodes these
   * instead of inferring them; the PyTorch export's probe codes.   [B, latentDim]
   */
  codes?: tf.Tensor2D;
}

/** Discrete codes of a batch, for code-usage diagnostics. */
export interface CodeAssignment {
  /** Code index at each latent position, int32.   [B, positions] */
  indices: tf.Tensor2D;
  /** Codebook size K. */
  size: number;
}

/** What a model fitted without gradients (PCA, k-means, EM) is told at each iteration. */
export interface FitContext {
  /** The iteration being run, 1-based: the trainer's step (and epoch) once it returns. */
  iteration: number;
  /** Seed for this iteration's randomness (e.g. the k-means++ start), so runs are reproducible. */
  seed: number;
}

/** What one fit iteration reports. */
export interface FitResult {
  /**
   * Named terms over the training set in the model's units (nats or squared error per image),
   * plain numbers; names match the catalog's `terms` (they are the curve's training points).
   */
  terms: Record<string, number>;
  /**
   * Nothing left to improve (PCA after its one closed-form fit, Lloyd with no reassignment, EM
   * below its tolerance): the lab pauses after this iteration and the CLI stops early.
   */
  converged: boolean;
  /** Other numbers of this iteration, copied into the CLI's JSON line (cluster sizes …). */
  info?: Record<string, number | number[] | null>;
  /** Things to report (e.g. "re-seeded empty clusters 3, 17"), shown as the run's events. */
  events?: string[];
}

/** How the prior over codes draws each token: softmax(logits / temperature) over the top-k codes. */
export interface GenerateOptions {
  /** 1 = the learned distribution, lower = sharper; 0 = greedy (the likeliest code each step). */
  temperature: number;
  /** Only the k most likely codes at each step (0 = all K). */
  topK: number;
  seed: number;
  /**
   * Classifier-free guidance w ≥ 0 (a conditional prior): logits ℓ(c|y) + w·(ℓ(c|y) − ℓ(c|any)),
   * sharper towards the class asked for; 0 (or absent) = the learned p(c | y) itself.
   */
  guidance?: number;
}

export interface LossOutput {
  /** Named terms, scalars in nats per image; names match the catalog's `terms`. */
  terms: Record<string, tf.Scalar>;
  /** The objective the optimiser minimises (e.g. recon + β·KL). */
  total: tf.Scalar;
}

export interface LatentModel {
  /** The variables the optimiser trains. */
  readonly variables: tf.Variable[];
  /** Everything a checkpoint must store, when more than `variables` (an EMA-updated codebook). */
  readonly savedVariables?: tf.Variable[];
  /**
   * Non-trained state a resumed run needs to continue exactly (EMA statistics, code-usage
   * counters). Saved with a run's autosave or export, not in a CLI checkpoint.
   */
  readonly stateVariables?: tf.Variable[];
  /** x [B, P] pixels in [0, 1] → named loss terms and the objective. */
  loss(x: tf.Tensor2D, ctx: LossContext): LossOutput;
  /** Per-image terms for evaluation, each [B]; same names as `loss`. */
  evaluate(x: tf.Tensor2D, ctx: LossContext): Record<string, tf.Tensor1D>;
  /**
   * Points for the latent scatter: x [B, P] → [B, L] (posterior means, codes, …). `labels`
   * (int32 [B]) are the images' labels, which a conditional model needs; others ignore them.
   */
  embed(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor2D;
  /** Deterministic reconstruction as pixel intensities in [0, 1]: [B, P] → [B, P] (labels as embed). */
  reconstruct(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor2D;
  /** Schedule values in force at `step` (β, KL weight, τ …), plain numbers for display. */
  scheduleValues(step: number): Record<string, number>;
  /**
   * Applies the live settings it reads (σ, β, warm-up, free bits, commitment …: those its catalog
   * row lists and the settings table marks live), from the next step on (see live-config.ts).
   */
  applyLiveConfig(c: TrainConfig): void;
  /**
   * Models fitted without gradients (PCA: one closed-form fit; k-means: a Lloyd step; a mixture:
   * one EM iteration). When present, the trainer never calls loss() or the optimiser: each step
   * is `await fit(train, ctx)`, one full pass over the whole training set `train` [N, P] (pixels
   * in [0, 1], statically binarised if the config says so), and one step = one iteration = one
   * epoch. It runs in the worker (or the CLI), so it may read back with `await data()`; it must
   * leave no tensors behind but its own state, kept in `variables`/`savedVariables` (saved with
   * checkpoints and autosaves; `stateVariables` for anything else a resume needs). Trainer.fitStep
   * calls it; Trainer.trainStep refuses such a model.
   */
  fit?(train: tf.Tensor2D, ctx: FitContext): Promise<FitResult>;
  /**
   * Work a model does once per session before it trains or is evaluated, reading back as it
   * likes (the prior over codes encodes the whole training set with its frozen tokenizer).
   * Idempotent; the trainer awaits it in prepare() and evaluate(), after a resume too.
   */
  prepareData?(): Promise<string[]>;
  /** Called once with the first training batch, before the first step (k-means init). */
  initialize?(x: tf.Tensor2D): void;
  /** The same as initialize, reading back with `await data()` (what Trainer.prepare uses). */
  initializeAsync?(x: tf.Tensor2D): Promise<void>;
  /** Called after every optimiser step, outside the gradient tape (EMA codebook updates). */
  afterStep?(): void;
  /**
   * Called every few hundred steps with a training batch; may read back. Returns events to
   * report, e.g. "restarted dead codes 3, 17".
   */
  maintain?(x: tf.Tensor2D, step: number): Promise<string[]>;
  /** Code usage counts accumulated since the last call, then reset (codes used per epoch). */
  takeCodeUsage?(): Promise<Float32Array>;
  /**
   * New images as pixel intensities in [0, 1]: from the prior (VAE), from uniformly random codes
   * (VQ-VAE, dVAE, categorical VAE), or from a Gaussian fitted to codes (AE, after fitLatentGaussian).
   */
  sample?(count: number, seed: number): tf.Tensor2D;
  /**
   * Conditional models (CVAE): the number of label classes K of the one-hot they are given, and
   * what needs the labels. A model with it refuses a dataset without labels.
   */
  readonly labelClasses?: number;
  /** Conditional models: images of the given labels (int32 [count]) from the prior.   → [count, P] */
  sampleGiven?(labels: tf.Tensor1D, seed: number): tf.Tensor2D;
  /** Conditional models: decode latent points z [B, L] with labels (int32 [B]).   → [B, P] in [0, 1] */
  decodeLatentGiven?(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D;
  /** AE: fit the Gaussian that sample() draws from to the codes of x. */
  fitLatentGaussian?(x: tf.Tensor2D): Promise<void>;
  /** Discrete codes (VQ-VAE, dVAE). */
  codes?(x: tf.Tensor2D): CodeAssignment;
  /** Mixture models: the posterior over the K components.   x [B, P] → p(k | x) [B, K] */
  responsibilities?(x: tf.Tensor2D): tf.Tensor2D;
  /** Batch-mean KL of each latent dimension, in nats (VAE).   [D] */
  klPerDimension?(x: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor1D;
  /** Continuous latent (VAE, AE): its size L; decodeLatent() maps points of it to images. */
  readonly latentDim?: number;
  /**
   * A decoder affine in z, x̂ = b + z W (PCA; the linear autoencoder with its identity output),
   * as new tensors the caller disposes: W [L, P], b [P]. Absent or null otherwise.
   */
  affineDecoder?(): { weight: tf.Tensor2D; bias: tf.Tensor1D } | null;
  /** Continuous latent (VAE, AE): decode latent points z [B, L] → intensities [B, P] in [0, 1]. */
  decodeLatent?(z: tf.Tensor2D): tf.Tensor2D;
  /** Discrete models: their code layout (positions = gridHeight·gridWidth, K codes each). */
  readonly codeLayout?: { positions: number; gridHeight: number; gridWidth: number; size: number };
  /** Discrete models: decode code indices (int32) [B, positions] → intensities [B, P]. */
  decodeCodes?(indices: tf.Tensor2D): tf.Tensor2D;
  /**
   * Gumbel-softmax models: decode a distribution over the K codes at every position, as the
   * relaxed sample is decoded in training (one-hot rows: decodeCodes).   y [B, positions, K] → [B, P]
   */
  decodeSoft?(y: tf.Tensor3D): tf.Tensor2D;
  /**
   * false for a model without an encoder (GLO): embed() then gives no one-shot code of a new
   * image, and inference by optimisation is the only way to one. Absent: it has an encoder.
   */
  readonly hasEncoder?: boolean;
  /** Gumbel-softmax models: logits of q(c | x) at every position.   x [B, P] → [B, positions, K] */
  codeLogits?(x: tf.Tensor2D): tf.Tensor3D;
  /** VQ-VAE: encoder outputs before quantisation, flattened.   x [B, P] → z_e [B, positions·D] */
  encodeContinuous?(x: tf.Tensor2D): tf.Tensor2D;
  /** VQ-VAE: decode z_e [B, positions·D], quantised first (z_q) or as is.   → [B, P] */
  decodeContinuous?(z: tf.Tensor2D, quantise: boolean): tf.Tensor2D;
  /**
   * VQ-VAE, dVAE: the K code vectors (VQ-VAE codebook e, dVAE embedding E), a new tensor the
   * caller disposes.   → [K, D]
   */
  codebookVectors?(): tf.Tensor2D;
  /**
   * VQ-VAE, dVAE: the encoder's vector at every position, in the codebook's space (VQ-VAE: z_e;
   * dVAE: the expected embedding Σ_k q(k|x) e_k). Rows image-major: row b·positions + i.
   *   x [B, P] → [B·positions, D]
   */
  encoderVectors?(x: tf.Tensor2D): tf.Tensor2D;
  /**
   * The prior over codes: code grids drawn token by token in raster order after a class token
   * (label −1: the "any" token), batched over the samples, on the device.
   *   labels int32 [n] → codes int32 [n, positions]
   */
  generate?(labels: tf.Tensor1D, options: GenerateOptions): tf.Tensor2D;
  /**
   * The prior over codes: every head's attention weights on grids of codes, one tensor per
   * layer; query and key 0 are the class token.   codes [B, positions], labels [B] → [B, H, T, T]
   */
  attention?(codes: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor4D[];
  /**
   * The prior over codes: its frozen tokenizer's checkpoint variables (the tokenizer's
   * savedVariables ?? variables, in that order), which a new prior takes over from a trained one.
   */
  readonly tokenizerVariables?: tf.Variable[];
  /** The prior over codes: its layers, heads and class tokens (0 = unconditional). */
  readonly priorShape?: { layers: number; heads: number; classes: number };
  /** The prior over codes: how often each code occurs in the training grids (0s until counted). */
  codeCounts?(): tf.Tensor1D;
  dispose(): void;
}
