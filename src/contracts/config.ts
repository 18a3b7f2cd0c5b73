/**
 * Plain-data training configuration shared by the worker, the UI state and the CLI.
 * No TF.js import here, so the main thread can use these types and defaults freely.
 */
import type { ModelKind } from './catalog';

/** TF.js backends in the order we prefer them: a real GPU first, then CPU paths. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const LIKELIHOODS = ['bernoulli', 'gaussian'] as const;
/** p(x|z): Bernoulli logits on pixels in [0, 1], or a Gaussian with fixed σ. */
export type Likelihood = (typeof LIKELIHOODS)[number];

export const BINARIZATIONS = ['none', 'static', 'dynamic'] as const;
/**
 * Pixels as given (grey in [0, 1]), binarised once with a fixed seed (static), or re-sampled
 * as Bernoulli(x) every step (dynamic; Salakhutdinov & Murray 2008).
 */
export type Binarization = (typeof BINARIZATIONS)[number];

export const WARMUPS = ['none', 'linear', 'sigmoid'] as const;
/** KL warm-up: the KL weight ramps from 0 to β over `warmupSteps` (Bowman et al. 2016; Sønderby et al. 2016). */
export type Warmup = (typeof WARMUPS)[number];

export const ARCHITECTURES = ['mlp', 'conv'] as const;
/** AE / VAE networks: MLP, or convolutional (TensorFlow's CVAE tutorial layout). */
export type Architecture = (typeof ARCHITECTURES)[number];

export const ACTIVATIONS = ['relu', 'linear'] as const;
/** Hidden-layer activation; a linear autoencoder spans the same subspace as PCA. */
export type Activation = (typeof ACTIVATIONS)[number];

export const TAU_SCHEDULES = ['constant', 'exp', 'cosine'] as const;
/**
 * Gumbel-softmax temperature τ(t): constant; Jang et al.'s max(τ_end, exp(−r·t)) updated every
 * 1000 steps; or DALL·E's cosine from 1 to τ_end over `tauSteps` (see core/schedules).
 */
export type TauSchedule = (typeof TAU_SCHEDULES)[number];

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
}

export const TRAIN_DEFAULTS: TrainConfig = {
  model: 'vae',
  arch: 'mlp',
  latentDim: 2,
  hiddenDim: 512,
  learningRate: 1e-3,
  batchSize: 128,
  beta: 1,
  seed: 1,
  likelihood: 'bernoulli',
  sigma: 0.1,
  binarize: 'none',
  warmup: 'none',
  warmupSteps: 5000,
  freeBits: 0,
  activation: 'relu',
  codebookSize: 64,
  codeDim: 16,
  channels: 32,
  commitment: 0.25,
  ema: false,
  emaDecay: 0.99,
  kmeansInit: true,
  deadCodeThreshold: 1,
  tauSchedule: 'cosine',
  tauEnd: 1 / 16,
  tauSteps: 10_000,
  tauRate: 1e-4,
  hard: false,
  categorical: 20,
  classes: 10,
};

/** Settings whose change needs a fresh model (the others apply to the running one). */
export const RESET_KEYS: readonly (keyof TrainConfig)[] = [
  'model',
  'arch',
  'latentDim',
  'hiddenDim',
  'seed',
  'likelihood',
  'binarize',
  'activation',
  'codebookSize',
  'codeDim',
  'channels',
  'ema',
  'kmeansInit',
  'categorical',
  'classes',
];

/** Number of fixed test digits drawn in the latent scatter and used for the test −ELBO. */
export const PROBE_COUNT = 2000;
/** Number of fixed test digits shown with their reconstructions. */
export const RECON_COUNT = 16;
