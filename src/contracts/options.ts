/**
 * The string-literal unions of the settings' options (what a select offers). Plain data, shared
 * by the settings table (contracts/settings.ts), the training config and the page.
 */
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

export const CODE_OPTIMIZERS = ['adam', 'sgd'] as const;
/** GLO: how the batch's codes are stepped: per-row Adam ("lazy": only the batch's rows), or SGD. */
export type CodeOptimizer = (typeof CODE_OPTIMIZERS)[number];

export const CODE_INITS = ['pca', 'random'] as const;
/** GLO: codes start at the training images' PCA projections (scaled into the ball), or random. */
export type CodeInit = (typeof CODE_INITS)[number];

export const TOKENIZERS = ['vqvae', 'dvae'] as const;
/** Prior over codes: the tokenizer whose 7×7 code grids it models (frozen, carried in its run). */
export type TokenizerKind = (typeof TOKENIZERS)[number];
