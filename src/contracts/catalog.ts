/**
 * The zoo as plain data: one row per model with everything the rest of the lab derives from it
 * (the loss terms it reports, its traits, the CLI's one-line description). No TF.js here, so
 * the page may import it. Adding a model: its file in src/models, a row here, a case in the zoo
 * (src/models/zoo.ts), and rows in the settings table for settings only it reads. What a row
 * holds (ModelInfo, ModelTraits, TermInfo) is in contracts/model-info.ts.
 */
import type { ModelInfo, ModelTraits } from './model-info';

export type { ModelInfo, ModelTraits, TermInfo } from './model-info';

export const MODEL_KINDS = [
  'vae',
  'ae',
  'vqvae',
  'dvae',
  'catvae',
  'pca',
  'kmeans',
  'mixture',
  'glo',
  'cvae',
  'prior',
] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A model's `fitting` trait, 'gradient' when absent. */
export const fittingOf = (t: ModelTraits) => t.fitting ?? 'gradient';

const negElbo = { key: 'negElbo', label: '−ELBO' };
const recon = { key: 'recon', label: 'reconstruction' };
const kl = { key: 'kl', label: 'KL' };
const codebook = { key: 'codebook', label: 'codebook' };
const commitment = { key: 'commitment', label: 'commitment' };
/** Σ over pixels of (x − x̂)² per image, pixels in [0, 1] (PCA's unit, not nats). */
const squaredError = { key: 'squaredError', label: 'squared error' };
const nll = { key: 'nll', label: '−log p(x)' };
const elbo = { key: 'elbo', label: 'ELBO after the M-step' };
const elboE = { key: 'elboE', label: 'ELBO after the E-step' };
/** The prior over codes: −log p(codes), the tokenizer's whole bound with it, and two baselines. */
const codesNll = { key: 'nll', label: '−log p(codes)' };
const wholeBound = { key: 'bound', label: '−ELBO with this prior' };
const unigram = { key: 'unigram', label: 'unigram baseline' };
const uniform = { key: 'uniform', label: 'uniform baseline (49 ln K)' };

/** Settings every model reads besides `model` and its shape: Adam's step size and the batch. */
const STEPS = ['learningRate', 'batchSize'] as const;
/** The AE's and VAE's networks and likelihood. */
const DECODER = ['arch', 'hiddenDim', 'likelihood', 'sigma', 'binarize', 'activation'] as const;
const WARMUP = ['warmup', 'warmupSteps'] as const;
const TAU = ['tauSchedule', 'tauEnd', 'tauSteps', 'tauRate'] as const;

const BOTH_LIKELIHOODS = ['bernoulli', 'gaussian'] as const;
const BERNOULLI = ['bernoulli'] as const;
const BOTH_ARCHS = ['mlp', 'conv'] as const;
const MLP = ['mlp'] as const;
const CONV = ['conv'] as const;

/** K-means and the Bernoulli mixture: no network, no learning rate, fitted by whole passes. */
const CLUSTERING: Omit<ModelTraits, 'likelihoods' | 'sampling'> = {
  latent: 'discrete',
  kl: false,
  gumbel: false,
  codebook: false,
  grid: false,
  archs: MLP,
  fitting: 'iterative',
};

export const MODEL_CATALOG: Record<ModelKind, ModelInfo> = {
  vae: {
    kind: 'vae',
    label: 'VAE',
    description:
      'Variational autoencoder: Gaussian posterior, standard-normal prior, β-weighted KL.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
    traits: {
      latent: 'continuous',
      kl: true,
      gumbel: false,
      codebook: false,
      grid: false,
      likelihoods: BOTH_LIKELIHOODS,
      archs: BOTH_ARCHS,
      sampling: 'prior',
    },
    settings: ['model', 'latentDim', ...STEPS, 'beta', 'seed', ...DECODER, ...WARMUP, 'freeBits'],
    describe: (c) =>
      `vae ${c.arch} (latent ${c.latentDim}, hidden ${c.hiddenDim}, ${c.likelihood})`,
  },
  ae: {
    kind: 'ae',
    label: 'Autoencoder',
    description:
      'Deterministic autoencoder: reconstruction loss only; sample by fitting a Gaussian to the codes.',
    terms: [recon],
    headline: recon,
    traits: {
      latent: 'continuous',
      kl: false,
      gumbel: false,
      codebook: false,
      grid: false,
      likelihoods: BOTH_LIKELIHOODS,
      archs: BOTH_ARCHS,
      sampling: 'fitted-gaussian',
    },
    settings: ['model', 'latentDim', ...STEPS, 'seed', ...DECODER],
    describe: (c) => `ae ${c.arch} (latent ${c.latentDim}, hidden ${c.hiddenDim}, ${c.likelihood})`,
  },
  vqvae: {
    kind: 'vqvae',
    label: 'VQ-VAE',
    description:
      'Vector-quantised VAE: a 7×7 grid of codes from a K-code codebook, straight-through gradients.',
    terms: [recon, codebook, commitment],
    headline: recon,
    traits: {
      latent: 'discrete',
      kl: false,
      gumbel: false,
      codebook: true,
      grid: true,
      likelihoods: BOTH_LIKELIHOODS,
      archs: CONV,
      sampling: 'uniform-codes',
    },
    settings: [
      'model',
      'codebookSize',
      'codeDim',
      ...STEPS,
      'seed',
      'channels',
      'commitment',
      'ema',
      'emaDecay',
      'kmeansInit',
      'deadCodeThreshold',
      'likelihood',
      'sigma',
      'binarize',
    ],
    describe: (c) =>
      `vqvae (7×7 grid, K ${c.codebookSize} codes of size ${c.codeDim}, ${c.likelihood})`,
  },
  dvae: {
    kind: 'dvae',
    label: 'dVAE (Gumbel-softmax)',
    description:
      'Discrete VAE as in DALL·E: a 7×7 grid of categorical codes relaxed with the Gumbel-softmax.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
    traits: {
      latent: 'discrete',
      kl: true,
      gumbel: true,
      codebook: true,
      grid: true,
      likelihoods: BERNOULLI,
      archs: CONV,
      sampling: 'uniform-codes',
    },
    settings: [
      'model',
      'codebookSize',
      'codeDim',
      ...STEPS,
      'beta',
      'seed',
      'channels',
      'hard',
      ...WARMUP,
      ...TAU,
      'binarize',
    ],
    describe: (c) => `dvae (7×7 grid, K ${c.codebookSize} codes of size ${c.codeDim})`,
  },
  catvae: {
    kind: 'catvae',
    label: 'Categorical VAE',
    description: 'Jang et al. 2016: N categorical variables of K classes, MLP, Gumbel-softmax.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
    traits: {
      latent: 'discrete',
      kl: true,
      gumbel: true,
      codebook: false,
      grid: false,
      likelihoods: BERNOULLI,
      archs: MLP,
      sampling: 'uniform-codes',
    },
    settings: [
      'model',
      'categorical',
      'classes',
      ...STEPS,
      'beta',
      'seed',
      'hard',
      ...TAU,
      'binarize',
    ],
    describe: (c) =>
      `catvae (${c.categorical} variables × ${c.classes} classes, ${c.hard ? 'straight-through' : 'relaxed'})`,
  },
  pca: {
    kind: 'pca',
    label: 'PCA (exact)',
    description:
      'Principal component analysis: the exact d-dimensional principal subspace, fitted in one closed-form step.',
    terms: [squaredError],
    unit: 'squared error per image',
    headline: squaredError,
    traits: {
      latent: 'continuous',
      kl: false,
      gumbel: false,
      codebook: false,
      grid: false,
      likelihoods: ['gaussian'],
      archs: MLP,
      sampling: 'fitted-gaussian',
      fitting: 'closed-form',
    },
    settings: ['model', 'latentDim', 'seed'],
    describe: (c) => `pca (${c.latentDim} components, exact)`,
  },
  kmeans: {
    kind: 'kmeans',
    label: 'K-means',
    description:
      'K-means as an autoencoder on pixels: the code is the nearest centroid, the decoder that centroid; Lloyd iterations.',
    terms: [squaredError],
    unit: 'squared error per image',
    headline: squaredError,
    traits: { ...CLUSTERING, likelihoods: ['gaussian'], sampling: 'uniform-codes' },
    settings: ['model', 'clusters', 'seed'],
    describe: (c) => `kmeans (K ${c.clusters} clusters on pixels, Lloyd from k-means++)`,
  },
  mixture: {
    kind: 'mixture',
    label: 'Mixture of Bernoullis (EM)',
    description:
      'A mixture of K Bernoulli images on binarised pixels, fitted by EM; its log-likelihood is exact.',
    terms: [nll, elbo, elboE],
    headline: nll,
    traits: { ...CLUSTERING, likelihoods: BERNOULLI, sampling: 'prior' },
    settings: ['model', 'clusters', 'seed', 'binarize'],
    describe: (c) =>
      `mixture (K ${c.clusters} Bernoulli components, EM, pixels ${c.binarize === 'static' ? 'binarised once at random' : 'binarised at 0.5'})`,
  },
  glo: {
    kind: 'glo',
    label: 'GLO (a code per image)',
    description:
      'Generative latent optimisation: no encoder; one learned code per training image in the unit ball, trained with the decoder.',
    terms: [recon, squaredError],
    headline: recon,
    traits: {
      latent: 'continuous',
      kl: false,
      gumbel: false,
      codebook: false,
      grid: false,
      likelihoods: BOTH_LIKELIHOODS,
      archs: BOTH_ARCHS,
      sampling: 'fitted-gaussian',
      perImageCodes: true,
    },
    settings: [
      'model',
      'latentDim',
      ...STEPS,
      'codeLearningRate',
      'codeOptimizer',
      'codeInit',
      'inferSteps',
      'seed',
      ...DECODER,
    ],
    describe: (c) =>
      `glo ${c.arch} (latent ${c.latentDim}, hidden ${c.hiddenDim}, ${c.likelihood}, codes by ${c.codeOptimizer} at ${c.codeLearningRate}, ${c.codeInit} init)`,
  },
  cvae: {
    kind: 'cvae',
    label: 'Conditional VAE',
    description:
      'Sohn et al. 2015: a VAE whose encoder and decoder also see the label as a one-hot; needs labelled data.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
    traits: {
      latent: 'continuous',
      kl: true,
      gumbel: false,
      codebook: false,
      grid: false,
      likelihoods: BOTH_LIKELIHOODS,
      archs: BOTH_ARCHS,
      sampling: 'prior',
      conditional: true,
    },
    settings: ['model', 'latentDim', ...STEPS, 'beta', 'seed', ...DECODER, ...WARMUP, 'freeBits'],
    describe: (c) =>
      `cvae ${c.arch} (latent ${c.latentDim}, hidden ${c.hiddenDim}, ${c.likelihood}, given the label)`,
  },
  prior: {
    kind: 'prior',
    label: 'Prior over codes (transformer)',
    description:
      'A small causal transformer over a frozen VQ-VAE’s or dVAE’s 7×7 codes in raster order, optionally after a class token: pictures token by token.',
    terms: [codesNll, wholeBound, recon, unigram, uniform],
    headline: codesNll,
    traits: {
      latent: 'discrete',
      kl: false,
      gumbel: false,
      codebook: false,
      grid: true,
      likelihoods: BOTH_LIKELIHOODS,
      archs: CONV,
      sampling: 'prior',
      prior: true,
    },
    settings: [
      'model',
      'priorLayers',
      'priorWidth',
      'conditional',
      ...STEPS,
      'seed',
      'priorHeads',
      'priorDropout',
    ],
    describe: (c) =>
      `prior (transformer ${c.priorLayers}×${c.priorWidth}, ${c.priorHeads} heads${c.conditional ? ', class token' : ''}) over a ${c.tokenizerKind} (7×7 grid, K ${c.codebookSize})`,
  },
};

/** Why a conditional model cannot train on a dataset of `classes` label classes, or null when it can. */
export function conditionalRefusal(
  kind: ModelKind,
  dataset: { name: string; classes: number },
): string | null {
  if (!MODEL_CATALOG[kind].traits.conditional || dataset.classes >= 2) return null;
  return `The ${MODEL_CATALOG[kind].label} needs labelled data (at least two classes), and ${dataset.name} has no labels: pick MNIST, Fashion-MNIST or an upload with labels.`;
}

/** The models with a trait, e.g. `modelsWhere((t) => t.kl)`. */
export function modelsWhere(test: (t: ModelTraits) => boolean): ModelKind[] {
  return MODEL_KINDS.filter((k) => test(MODEL_CATALOG[k].traits));
}
