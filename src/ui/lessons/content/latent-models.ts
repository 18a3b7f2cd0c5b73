/** Lesson 1: an autoencoder's 2-D codes, its reconstructions, and samples that fall in holes. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, signalled, testTerm, trainedSince } from './kit';

const reconLine = (ctx: LessonContext) => {
  const recon = testTerm(ctx, 'recon');
  return recon === undefined
    ? null
    : String.raw`-\log p_\theta(x \mid \hat z) = ${fixed(recon)}\ \text{nats per image (test, summed over 784 pixels)}`;
};

const lesson: Lesson = {
  id: 'latent-models',
  title: 'Latent models of images',
  promise: 'Why two numbers can stand for a digit, and why sampling them naively falls in holes',
  preset: { model: 'ae', latentDim: 2 },
  panels: ['latent', 'recon', 'samples', 'draw', 'manifold', 'elbo', 'math'],
  pretrained: 'ae-2d',
  steps: [
    {
      title: 'Two numbers per image',
      text: String.raw`An image of a digit has 784 pixels, yet digits vary in far fewer ways. An autoencoder learns an encoder $f_\phi$ that squeezes each image into a code $z \in \mathbb{R}^2$, and a decoder $g_\theta$ that rebuilds the image from it.

Start from the trained autoencoder, or press Train and watch the loss fall.`,
      task: 'Load the trained model, or press Train',
      highlight: 'train-toggle',
      panels: ['latent', 'recon', 'elbo'],
      done: (ctx) => trainedSince(ctx, 50),
      live: reconLine,
    },
    {
      title: 'Reconstructions',
      text: String.raw`The top row shows test digits, the row below what the decoder makes of their 2-D codes. The loss is the negative log-likelihood of every pixel under the decoder's Bernoulli output, summed over the image: two numbers cannot keep every stroke, so the rebuilt digits are blurred.`,
      highlight: 'recon',
      panels: ['recon', 'elbo'],
      live: reconLine,
    },
    {
      title: 'The code space',
      text: String.raw`Each dot is one of 2000 test digits at its code $\hat z = f_\phi(x)$, coloured by its label. Similar digits land near each other although the model never saw a label.

Click anywhere in the plane: the decoder turns that point into an image.`,
      task: 'Click a point of the latent space',
      highlight: 'latent',
      panels: ['latent'],
      done: (ctx) => signalled(ctx, 'latent-clicked'),
    },
    {
      title: 'A code for a new image',
      text: String.raw`Learning one free code per training image together with $g_\theta$ works too (GLO, Bojanowski et al. 2017), but then a new image needs an optimisation to find its code. The encoder predicts the code in one pass.

Draw a digit: it is encoded, decoded, and marked in the latent space.`,
      task: 'Draw a digit on the pad',
      highlight: 'draw',
      panels: ['draw', 'latent'],
      done: (ctx) => signalled(ctx, 'drew-digit'),
    },
    {
      title: 'Sampling by fitting a Gaussian',
      text: String.raw`An autoencoder has no prior over codes. A simple way to generate: fit a Gaussian $\mathcal{N}(m, S)$ to the training codes, draw $z$ from it and decode $g_\theta(z)$.

Ask for new samples a few times.`,
      task: 'Press "New samples"',
      highlight: 'samples',
      panels: ['samples', 'latent'],
      done: (ctx) => signalled(ctx, 'samples-refreshed'),
    },
    {
      title: 'Holes in the code space',
      text: String.raw`The codes form separate arms and clusters, not one Gaussian blob. The fitted Gaussian puts mass in the gaps between them, where the decoder was never trained, so some samples are smudges that are no digit at all. Nothing in the loss organises the space: this is what the VAE adds.

Click into an empty gap between two clusters and look at what it decodes to.`,
      task: 'Click an empty region of the latent space',
      highlight: 'latent',
      panels: ['latent', 'samples'],
      done: (ctx) => signalled(ctx, 'latent-clicked'),
    },
  ],
};

export default lesson;
