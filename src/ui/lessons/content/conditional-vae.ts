/** After interpolation: the conditional VAE; a chosen digit, one style in every digit, and what z keeps. */
import type { Lesson, LessonContext } from '../lesson';
import { elboLine, fixed, testTerm, trainedSince } from './kit';

/** The conditional bound with the run's numbers: −log p(x | y) ≤ recon + KL. */
function conditionalLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  const kl = testTerm(ctx, 'kl');
  if (recon === undefined || kl === undefined) return null;
  return String.raw`-\log p_\theta(x \mid y) \le \underbrace{${fixed(recon)}}_{-\mathbb{E}_q \log p_\theta(x \mid z, y)} + \underbrace{${fixed(kl)}}_{\mathrm{KL}(q_\phi(z \mid x, y) \,\|\, p(z))} = ${fixed(recon + kl)}\ \text{nats per image (test)}`;
}

/** What the label is worth at most: log K nats, next to the KL that z carries now. */
function labelWorthLine(ctx: LessonContext): string | null {
  const kl = testTerm(ctx, 'kl');
  if (kl === undefined) return null;
  const K = ctx.run.capabilities?.labelClasses ?? 10;
  return String.raw`\log ${K} = ${fixed(Math.log(K), 2)}\ \text{nats (the label, at most)},\qquad \mathrm{KL} = ${fixed(kl)}\ \text{nats in } z`;
}

const lesson: Lesson = {
  id: 'conditional-vae',
  title: 'The conditional VAE',
  promise:
    'How telling the decoder the label lets you ask for a digit, and leaves z only the style',
  preset: { model: 'cvae', latentDim: 2 },
  panels: ['conditional', 'latent', 'elbo', 'samples', 'recon'],
  steps: [
    {
      title: 'The label goes in twice',
      text: String.raw`The conditional VAE (Sohn et al. 2015) gives the label $y$, as a one-hot vector, to both networks: the encoder reads $(x, y)$ and the decoder $(z, y)$. It maximises a bound on $\log p_\theta(x \mid y)$ instead of $\log p_\theta(x)$, with the same prior $\mathcal{N}(0, I)$ on $z$.`,
      task: 'Press Train and let it run 300 steps',
      highlight: 'train-toggle',
      panels: ['elbo', 'conditional'],
      done: (ctx) => trainedSince(ctx, 300),
      live: conditionalLine,
    },
    {
      title: 'Ask for a digit',
      text: String.raw`To draw a digit of your choice, sample $z \sim \mathcal{N}(0, I)$ and decode it with the label you want. A plain VAE cannot do this: its samples come out as whatever digit $z$ lands on.`,
      task: 'Choose another class in "Sample a chosen class"',
      highlight: 'cond-class',
      panels: ['conditional'],
      done: (ctx) => (ctx.signals['class-chosen'] ?? 0) >= 1,
    },
    {
      title: 'Same style, every digit',
      text: String.raw`Encode one test digit with its own label, keep its $z$, and decode that $z$ with each of the labels. The row keeps what the label does not say: slant, stroke width, size.`,
      task: 'Pick another test digit (try a slanted one) and compare the rows',
      highlight: 'cond-digit',
      panels: ['conditional'],
      done: (ctx) => (ctx.signals['style-digit-chosen'] ?? 0) >= 1,
    },
    {
      title: 'Why the latent no longer separates digits',
      text: String.raw`Look at the 2-D latent scatter, coloured by label. Every nat $z$ carries costs KL, and the decoder already has the class for free, so the encoder puts no class into $z$: the colours overlap, and the same point of the plane means the same style for every digit.`,
      highlight: 'latent',
      panels: ['latent', 'conditional'],
      live: labelWorthLine,
    },
    {
      title: 'The plain VAE, for comparison',
      text: String.raw`Switch to the plain VAE at the same latent size and train it: without the label, $z$ must carry the class too, and the scatter splits into clusters of colour. Its −ELBO bounds $-\log p(x)$, which is larger than $-\log p(x \mid y)$ by up to $\log 10$ nats.`,
      task: 'Set the model to VAE and train 300 steps',
      highlight: 'model-select',
      panels: ['latent', 'elbo'],
      done: (ctx) => ctx.settings.model === 'vae' && ctx.run.model === 'vae' && ctx.run.step >= 300,
      live: elboLine,
    },
  ],
};

export default lesson;
