/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'latent-models',
  title: 'Latent models of images',
  promise: 'Why two numbers can stand for a digit, and why sampling them naively falls in holes',
  preset: { model: 'ae', latentDim: 2 },
  panels: ['latent', 'recon', 'samples'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
