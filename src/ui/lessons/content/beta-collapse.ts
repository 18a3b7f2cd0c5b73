/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'beta-collapse',
  title: 'β, warm-up, free bits and posterior collapse',
  promise: 'Why a VAE switches latent dimensions off, and three ways to control it',
  preset: { model: 'vae', latentDim: 8 },
  panels: ['collapse', 'elbo'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
