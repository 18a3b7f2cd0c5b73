/**
 * What a row of the model catalog (contracts/catalog.ts) holds: the loss terms a model reports,
 * its traits (what the panels, the objective, the divergence hints and the CLI ask of it), the
 * settings it reads and its one-line description. The rows themselves are in catalog.ts, which
 * re-exports these types.
 */
import type { ModelKind } from './catalog';
import type { Architecture, Likelihood, TrainConfig } from './config';

export interface TermInfo {
  key: string;
  label: string;
}

/** What a model is, as the panels, the objective, the divergence hints and the CLI ask it. */
export interface ModelTraits {
  /** A continuous latent vector (VAE, AE) or discrete codes (VQ-VAE, dVAE, categorical VAE). */
  latent: 'continuous' | 'discrete';
  /** A KL term to a prior in the objective, weighted by β (VAE, dVAE, categorical VAE). */
  kl: boolean;
  /** Samples relaxed with the Gumbel-softmax at a temperature τ (dVAE, categorical VAE). */
  gumbel: boolean;
  /** A learned codebook of vectors (VQ-VAE); the dVAE's code embeddings count too. */
  codebook: boolean;
  /** The codes form a 7×7 grid over the image (VQ-VAE, dVAE), not N free variables. */
  grid: boolean;
  /** The likelihoods p(x|z) it offers (the first is the default). */
  likelihoods: readonly Likelihood[];
  /** The network types it offers (`arch`); one entry means the setting does not apply. */
  archs: readonly Architecture[];
  /** How its Samples panel draws: from the prior, a Gaussian fitted to the codes, or uniform codes. */
  sampling: 'prior' | 'fitted-gaussian' | 'uniform-codes';
  /**
   * How it is fitted (absent = 'gradient'): by Adam steps on batches, in one closed-form step
   * (PCA), or by iterations over the whole training set (k-means' Lloyd steps, EM). The last two
   * have `fit` (models/latent-model.ts): one step = one iteration = one epoch, no learning rate
   * or batch size (leave them out of `settings`), and the charts' x-axis reads "iteration".
   */
  fitting?: 'gradient' | 'closed-form' | 'iterative';
  /**
   * No encoder: one learned code per training image, kept in the unit ball, and codes of new
   * images found by optimisation (GLO). Absent = false.
   */
  perImageCodes?: boolean;
  /**
   * Conditioned on the image's label (conditional VAE): it needs a labelled dataset, and its
   * encoder and decoder take the label's one-hot besides x and z.
   */
  conditional?: boolean;
  /**
   * A second stage (the prior over codes): it models the codes of a frozen tokenizer (VQ-VAE or
   * dVAE) carried in its run, whose settings it keeps; it starts from a trained tokenizer.
   */
  prior?: boolean;
}

export interface ModelInfo {
  kind: ModelKind;
  label: string;
  description: string;
  /** Terms in the order the trainer stacks and the chart draws them. */
  terms: TermInfo[];
  /** The terms' unit, when not nats per image (PCA: "squared error per image"). */
  unit?: string;
  /** The term the status line and the README quote, e.g. −ELBO. */
  headline: TermInfo;
  traits: ModelTraits;
  /**
   * The settings it reads, in the order the options panel shows them (their rows, with `live`
   * and the conditions for showing them, are in contracts/settings.ts).
   */
  settings: readonly (keyof TrainConfig)[];
  /** One line for the CLI's log: "vae mlp (latent 20, hidden 400, bernoulli)". */
  describe: (c: TrainConfig) => string;
}
