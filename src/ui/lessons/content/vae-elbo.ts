/** Placeholder so the course builds (its first two steps as the lesson has them); replaced. */
import type { Lesson } from '../lesson';

const lesson: Lesson = {
  id: 'vae-elbo',
  title: 'The variational autoencoder',
  promise: "Why a VAE's latent space has no holes",
  preset: { model: 'vae', latentDim: 2 },
  panels: ['elbo', 'latent', 'manifold', 'recon', 'draw', 'math'],
  pretrained: 'vae-2d',
  steps: [
    {
      title: 'Press Train',
      text: 'Press Train (or Space): the loss $-\\mathrm{ELBO}$ starts to fall.',
      task: 'Press Train and let it run for a few seconds',
      highlight: 'train-toggle',
      done: (ctx) => ctx.run.step >= ctx.atStart.step + 50,
    },
    {
      title: 'One step at a time',
      text: 'Pause, then press Step (or S): one update per press.',
      task: 'Press Step five times',
      highlight: 'step',
      done: (ctx) => (ctx.signals['step-pressed'] ?? 0) >= 5,
    },
    {
      title: 'The bound',
      text: '$$\\log p(x) \\ge \\mathbb{E}_q[\\log p(x \\mid z)] - \\mathrm{KL}$$',
      highlight: 'math',
    },
  ],
};

export default lesson;
