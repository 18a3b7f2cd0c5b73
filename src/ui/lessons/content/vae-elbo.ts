/** Lesson 3: the VAE's bound, the reparameterisation trick, and a latent space without holes. */
import type { Lesson, LessonContext } from '../lesson';
import { elboLine, fixed, signalled, testTerm, trainedSince } from './kit';

/** The reparameterisation with the running model's latent size and KL. */
function reparamLine(ctx: LessonContext): string | null {
  const kl = testTerm(ctx, 'kl');
  if (kl === undefined) return null;
  const D = ctx.settings.latentDim;
  return String.raw`z = \mu + \sigma \odot \varepsilon,\ \varepsilon \sim \mathcal{N}(0, I_{${D}}),\qquad \mathrm{KL} = \tfrac12 \textstyle\sum_{d=1}^{${D}} (\mu_d^2 + \sigma_d^2 - 1 - \log \sigma_d^2) = ${fixed(kl)}\ \text{nats per image}`;
}

const lesson: Lesson = {
  id: 'vae-elbo',
  title: 'The variational autoencoder',
  promise: "Why a VAE's latent space has no holes",
  preset: { model: 'vae', latentDim: 2 },
  panels: ['elbo', 'latent', 'manifold', 'recon', 'draw', 'math', 'collapse', 'samples'],
  pretrained: 'vae-2d',
  steps: [
    {
      title: 'Press Train',
      text: String.raw`This is a variational autoencoder with a 2-D latent space. Press Train (or the Space key): the model sees batches of 128 digits and the loss curves start to fall.`,
      task: 'Press Train and let it run for a few seconds',
      highlight: 'train-toggle',
      panels: ['elbo', 'recon'],
      done: (ctx) => trainedSince(ctx, 50),
      live: elboLine,
    },
    {
      title: 'One step at a time',
      text: String.raw`Pause, then press Step (or the S key): each press is one update of the weights by Adam on one batch. The numbers move a little each time; training is thousands of such steps.`,
      task: 'Press Step five times',
      highlight: 'step',
      panels: ['elbo', 'recon'],
      done: (ctx) => signalled(ctx, 'step-pressed', 5),
      live: elboLine,
    },
    {
      title: 'The number being minimised',
      text: String.raw`The likelihood $\log p(x) = \log \int p_\theta(x \mid z)\, p(z)\, dz$ has no closed form. The VAE maximises a lower bound instead, with an encoder $q_\phi(z \mid x) = \mathcal{N}(\mu, \operatorname{diag} \sigma^2)$ (Kingma & Welling 2014):
$$\log p(x) \ge \mathbb{E}_{q}[\log p_\theta(x \mid z)] - \mathrm{KL}(q_\phi(z \mid x) \,\|\, \mathcal{N}(0, I)).$$
The gap is $\mathrm{KL}(q_\phi(z \mid x) \,\|\, p_\theta(z \mid x))$. The chart shows its negative, in nats per image summed over 784 pixels: lower is better.`,
      highlight: 'math',
      panels: ['math', 'elbo'],
      live: elboLine,
    },
    {
      title: 'The reparameterisation trick',
      text: String.raw`Sampling $z$ would stop the gradient. Writing the sample as $z = \mu + \sigma \odot \varepsilon$ with noise $\varepsilon \sim \mathcal{N}(0, I)$ as an input lets gradients reach $\mu$ and $\sigma$ (Kingma & Welling 2014, §2.4). The KL to the prior has a closed form, summed over the latent dimensions.`,
      highlight: 'reparam-math',
      panels: ['collapse', 'math'],
      live: reparamLine,
    },
    {
      title: 'A space without holes',
      text: String.raw`The KL term pulls every $q_\phi(z \mid x)$ toward $\mathcal{N}(0, I)$, and the noise makes the decoder work for a small region around each code, not a single point. So the test digits fill one round blob around the origin, and the space between clusters decodes to something in between.

Click a few points, in the clusters and between them.`,
      task: 'Click a point of the latent space',
      highlight: 'latent',
      panels: ['latent', 'manifold'],
      done: (ctx) => signalled(ctx, 'latent-clicked'),
    },
    {
      title: 'The manifold',
      text: String.raw`The manifold panel decodes a grid of latent points spaced by Gaussian quantiles, so each cell holds the same prior mass (as in Kingma & Welling 2014, fig. 4). Digits morph smoothly into each other: every region the prior samples from decodes to a digit-like image.`,
      task: 'Change the manifold grid size',
      highlight: 'manifold',
      panels: ['manifold', 'latent'],
      done: (ctx) => signalled(ctx, 'manifold-grid-changed'),
    },
    {
      title: 'Your own digit',
      text: String.raw`Draw a digit. The encoder gives its $\mu$ and $\sigma$; the mean is marked in the latent space and the decoder shows what the model makes of it. A badly drawn 4 may land between the 4s and the 9s.`,
      task: 'Draw a digit on the pad',
      highlight: 'draw',
      panels: ['draw', 'latent'],
      done: (ctx) => signalled(ctx, 'drew-digit'),
    },
  ],
};

export default lesson;
