/**
 * Plain-data training configuration shared by the worker, the UI state and the CLI.
 * No TF.js import here, so the main thread can use these types and defaults freely.
 */
import type { ModelKind } from './catalog';
import type {
  Activation,
  Architecture,
  Binarization,
  CodeInit,
  CodeOptimizer,
  Likelihood,
  TauSchedule,
  TokenizerKind,
  Warmup,
} from './options';
import { settingDefaults } from './settings';

export {
  ACTIVATIONS,
  ARCHITECTURES,
  BACKENDS,
  BINARIZATIONS,
  CODE_INITS,
  CODE_OPTIMIZERS,
  LIKELIHOODS,
  TAU_SCHEDULES,
  TOKENIZERS,
  WARMUPS,
  type Activation,
  type Architecture,
  type BackendName,
  type Binarization,
  type CodeInit,
  type CodeOptimizer,
  type Likelihood,
  type TauSchedule,
  type TokenizerKind,
  type Warmup,
} from './options';

export interface TrainConfig {
  /** Which model of the zoo. */
  model: ModelKind;
  /** AE / VAE network type. */
  arch: Architecture;
  /** Latent size D of the VAE (2–64). */
  latentDim: number;
  /** Hidden units of the MLP encoder and decoder. */
  hiddenDim: number;
  /** Adam step size. */
  learningRate: number;
  /** Images per training step. */
  batchSize: number;
  /** Weight β on the KL term in the objective (β = 1 is the plain ELBO). */
  beta: number;
  /** Seed for initialisation, shuffling and sampling noise. */
  seed: number;
  likelihood: Likelihood;
  /** σ of the fixed-variance Gaussian likelihood; its loss is C·‖x − x̂‖² + const with C = 1/(2σ²). */
  sigma: number;
  binarize: Binarization;
  warmup: Warmup;
  /** Steps over which the KL weight ramps up (when warmup ≠ none). */
  warmupSteps: number;
  /** Free bits λ: each latent dimension's batch-mean KL counts as at least λ nats (Kingma et al. 2016). 0 = off. */
  freeBits: number;
  activation: Activation;
  /** K: codes in the VQ-VAE codebook, or categories per position of the dVAE. */
  codebookSize: number;
  /** D: size of each code vector. */
  codeDim: number;
  /** VQ-VAE / dVAE: channels h of the first conv layer (the second has 2h; Keras example: 32). */
  channels: number;
  /** β of the VQ-VAE commitment loss. */
  commitment: number;
  /** VQ-VAE: update the codebook by exponential moving averages. */
  ema: boolean;
  emaDecay: number;
  /** VQ-VAE: initialise the codebook by k-means on the first batch's encoder outputs. */
  kmeansInit: boolean;
  /** VQ-VAE: restart codes used fewer times than this in 200 steps (0 = never). */
  deadCodeThreshold: number;
  tauSchedule: TauSchedule;
  /** τ at the end of the cosine anneal, and the floor of the exp schedule (and τ when constant). */
  tauEnd: number;
  /** Length of the cosine anneal in steps. */
  tauSteps: number;
  /** r of the exp schedule. */
  tauRate: number;
  /** dVAE / categorical VAE: straight-through hard one-hot samples in the forward pass. */
  hard: boolean;
  /** Categorical VAE: N categorical latent variables … */
  categorical: number;
  /** … of K classes each. */
  classes: number;
  /** K-means clusters, or components of the Bernoulli mixture (10–512). */
  clusters: number;
  /** GLO: how the batch's codes are stepped (per-row Adam or SGD). */
  codeOptimizer: CodeOptimizer;
  /** GLO: step size of the codes (the decoder's is `learningRate`). */
  codeLearningRate: number;
  /** GLO: codes start from the PCA of the training images, or at random. */
  codeInit: CodeInit;
  /** GLO: gradient steps that find the code of an image with none (test digits, drawings). */
  inferSteps: number;
  /** Prior over codes: which tokenizer's 7×7 codes it models (its weights travel with the run). */
  tokenizerKind: TokenizerKind;
  /** Prior over codes: transformer blocks … */
  priorLayers: number;
  /** … attention heads per block … */
  priorHeads: number;
  /** … and width W of the token vectors (the MLP is 4W wide). */
  priorWidth: number;
  /** Prior over codes: dropout rate on the attention and MLP outputs while training. */
  priorDropout: number;
  /** Prior over codes: a class token (the digit, the "caption") starts each sequence. */
  conditional: boolean;
}

/** Every setting at its default, read from the settings table (contracts/settings.ts). */
export const TRAIN_DEFAULTS: TrainConfig = settingDefaults();

/** Number of fixed test digits drawn in the latent scatter and used for the test −ELBO. */
export const PROBE_COUNT = 2000;
/** Number of fixed test digits shown with their reconstructions. */
export const RECON_COUNT = 16;
