/**
 * The zoo as plain data: which models exist, the loss terms each reports (in plot order) and
 * which term is the headline number. No TF.js here, so the page may import it.
 */

export const MODEL_KINDS = ['vae', 'ae', 'vqvae', 'dvae', 'catvae'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface TermInfo {
  key: string;
  label: string;
}

export interface ModelInfo {
  kind: ModelKind;
  label: string;
  description: string;
  /** Terms in the order the trainer stacks and the chart draws them. */
  terms: TermInfo[];
  /** The term the status line and the README quote, e.g. −ELBO. */
  headline: TermInfo;
}

const negElbo = { key: 'negElbo', label: '−ELBO' };
const recon = { key: 'recon', label: 'reconstruction' };
const kl = { key: 'kl', label: 'KL' };
const codebook = { key: 'codebook', label: 'codebook' };
const commitment = { key: 'commitment', label: 'commitment' };

export const MODEL_CATALOG: Record<ModelKind, ModelInfo> = {
  vae: {
    kind: 'vae',
    label: 'VAE',
    description:
      'Variational autoencoder: Gaussian posterior, standard-normal prior, β-weighted KL.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
  },
  ae: {
    kind: 'ae',
    label: 'Autoencoder',
    description:
      'Deterministic autoencoder: reconstruction loss only; sample by fitting a Gaussian to the codes.',
    terms: [recon],
    headline: recon,
  },
  vqvae: {
    kind: 'vqvae',
    label: 'VQ-VAE',
    description:
      'Vector-quantised VAE: a 7×7 grid of codes from a K-code codebook, straight-through gradients.',
    terms: [recon, codebook, commitment],
    headline: recon,
  },
  dvae: {
    kind: 'dvae',
    label: 'dVAE (Gumbel-softmax)',
    description:
      'Discrete VAE as in DALL·E: a 7×7 grid of categorical codes relaxed with the Gumbel-softmax.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
  },
  catvae: {
    kind: 'catvae',
    label: 'Categorical VAE',
    description: 'Jang et al. 2016: N categorical variables of K classes, MLP, Gumbel-softmax.',
    terms: [negElbo, recon, kl],
    headline: negElbo,
  },
};
