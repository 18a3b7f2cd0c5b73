/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'vq-vae',
  title: 'VQ-VAE',
  promise: 'How a network learns to pick codes from a codebook, and how to keep the codebook alive',
  preset: { model: 'vqvae' },
  panels: ['codebook', 'recon'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
