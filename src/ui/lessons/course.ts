/**
 * The course: the lessons in order. Each row carries what the list shows (title, promise) and
 * loads the lesson's text lazily, so the text is its own chunk, fetched when the lesson opens.
 * Adding a lesson: its file in ./content/ (exporting a `Lesson` as default) and one row here.
 */
import type { Lesson } from './lesson';

export interface CourseRow {
  id: string;
  title: string;
  promise: string;
  load: () => Promise<{ default: Lesson }>;
}

export const COURSE: readonly CourseRow[] = [
  {
    id: 'latent-models',
    title: 'Latent models of images',
    promise: 'Why two numbers can stand for a digit, and why sampling them naively falls in holes',
    load: () => import('./content/latent-models'),
  },
  {
    id: 'glo',
    title: 'GLO: a code for every image',
    promise: 'How a decoder can be learned without an encoder, and why we want one anyway',
    load: () => import('./content/glo'),
  },
  {
    id: 'inference-restoration',
    title: 'Inference by optimisation, restoration and editing',
    promise:
      'Why an encoder is a shortcut, how a decoder alone fills in an erased digit, and how to move a digit along a direction',
    load: () => import('./content/inference-restoration'),
  },
  {
    id: 'ae-vs-pca',
    title: 'Autoencoder vs PCA',
    promise: 'Why a linear autoencoder learns the PCA subspace but not the PCA axes',
    load: () => import('./content/ae-vs-pca'),
  },
  {
    id: 'vae-elbo',
    title: 'The variational autoencoder',
    promise: "Why a VAE's latent space has no holes",
    load: () => import('./content/vae-elbo'),
  },
  {
    id: 'interpolation',
    title: 'Interpolation',
    promise: 'Why a straight line between two codes passes through places the decoder never saw',
    load: () => import('./content/interpolation'),
  },
  {
    id: 'conditional-vae',
    title: 'The conditional VAE',
    promise:
      'How telling the decoder the label lets you ask for a digit, and leaves z only the style',
    load: () => import('./content/conditional-vae'),
  },
  {
    id: 'beta-collapse',
    title: 'β, warm-up, free bits and posterior collapse',
    promise: 'Why a VAE switches latent dimensions off, and three ways to control it',
    load: () => import('./content/beta-collapse'),
  },
  {
    id: 'em-kmeans',
    title: 'EM and K-means',
    promise: 'Why EM never gets worse, and why K-means is an autoencoder whose code is one number',
    load: () => import('./content/em-kmeans'),
  },
  {
    id: 'vq-vae',
    title: 'VQ-VAE',
    promise:
      'How a network learns to pick codes from a codebook, and how to keep the codebook alive',
    load: () => import('./content/vq-vae'),
  },
  {
    id: 'gumbel-dvae',
    title: 'Gumbel-softmax and the dVAE',
    promise: 'How to backpropagate through a choice among K codes',
    load: () => import('./content/gumbel-dvae'),
  },
  {
    id: 'tokens-priors',
    title: 'Tokens, priors and pictures',
    promise: 'Why codes need a second model to become pictures, and how a label picks the digit',
    load: () => import('./content/tokens-priors'),
  },
];

export function courseRow(id: string): CourseRow | undefined {
  return COURSE.find((row) => row.id === id);
}
