/**
 * The zoo as plain data: which models exist, the loss terms each reports (in plot order) and
 * which term is the headline number. No TF.js here, so the page may import it.
 */

export const MODEL_KINDS = ['vae', 'ae'] as const;
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
};
