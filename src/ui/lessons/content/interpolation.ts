/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'interpolation',
  title: 'Interpolation',
  promise: 'Why a straight line between two codes passes through places the decoder never saw',
  preset: { model: 'vae', latentDim: 2 },
  panels: ['interp', 'latent'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
