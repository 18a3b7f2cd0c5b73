/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'ae-vs-pca',
  title: 'Autoencoder vs PCA',
  promise: 'Why a linear autoencoder learns the PCA subspace but not the PCA axes',
  preset: { model: 'ae', latentDim: 2, activation: 'linear' },
  panels: ['latent', 'recon'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
