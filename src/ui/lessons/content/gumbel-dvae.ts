/** Placeholder so the course builds; the lesson's real text replaces this file. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'gumbel-dvae',
  title: 'Gumbel-softmax and the dVAE',
  promise: 'How to backpropagate through a choice among K codes',
  preset: { model: 'dvae' },
  panels: ['gumbel', 'recon'],
  steps: [{ title: 'Coming soon', text: 'This lesson is being written.' }],
};

export default lesson;
