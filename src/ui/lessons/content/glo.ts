/** Lesson: GLO, a free code per training image learned with the decoder, and what it costs. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, signalled, testTerm, trainedSince } from './kit';

const errorLine = (ctx: LessonContext) => {
  const se = testTerm(ctx, 'squaredError');
  const recon = testTerm(ctx, 'recon');
  if (se === undefined || recon === undefined) return null;
  return String.raw`\textstyle\sum_p (x_p - \hat x_p)^2 = ${fixed(se)},\quad -\log p_\theta(x \mid z^*) = ${fixed(recon)}\ \text{nats per image (test)}`;
};

const lesson: Lesson = {
  id: 'glo',
  title: 'GLO: a code for every image',
  promise: 'How a decoder can be learned without an encoder, and why we want one anyway',
  preset: { model: 'glo', latentDim: 2 },
  panels: ['latent', 'recon', 'elbo', 'samples', 'draw', 'manifold', 'math'],
  steps: [
    {
      title: 'One code per image',
      text: String.raw`GLO (Bojanowski et al. 2017) has no encoder. Each training image $x_i$ owns a code $z_i$, a row of a table with one row per image, and the decoder $g_\theta$ is trained together with the table:
$$\min_{\theta,\ z_1 \dots z_N}\ \sum_i -\log p_\theta(x_i \mid g_\theta(z_i)).$$
A step moves the decoder and only the codes of the images in the batch. The codes start from the images' PCA coordinates.

Press Train.`,
      task: 'Train 200 steps',
      highlight: 'train-toggle',
      panels: ['elbo', 'recon', 'latent'],
      done: (ctx) => trainedSince(ctx, 200),
      live: errorLine,
    },
    {
      title: 'Codes live in a ball',
      text: String.raw`Nothing stops a free code from growing to push the decoder around, so after every step each code of the batch is put back into the unit ball: $z_i \leftarrow z_i / \max(1, \lVert z_i \rVert)$. The codes fill a disc; the decoder has to make sense of every point of it.`,
      highlight: 'latent',
      panels: ['latent', 'manifold'],
    },
    {
      title: 'A new image needs an optimisation',
      text: String.raw`A test digit has no row in the table. Its code is found by gradient descent with the decoder frozen, from $z = 0$:
$$z^* = \arg\min_{\lVert z \rVert \le 1}\ -\log p_\theta(x \mid g_\theta(z)).$$
The scatter shows these inferred codes, and the reconstructions decode them.

Draw a digit: its code is fitted the same way.`,
      task: 'Draw a digit on the pad',
      highlight: 'draw',
      panels: ['draw', 'latent'],
      done: (ctx) => signalled(ctx, 'drew-digit'),
    },
    {
      title: 'More steps, better codes',
      text: String.raw`The "Inference steps" setting says how many gradient steps a new image gets. Few steps leave the code short of its best place and the test error high; more steps cost more time.

Raise the inference steps and compare the test error at the next evaluation.`,
      task: 'Raise "Inference steps" (Model options)',
      highlight: 'setting-inferSteps',
      panels: ['elbo', 'recon'],
      done: (ctx) => ctx.settings.inferSteps > ctx.atStart.settings.inferSteps,
      live: errorLine,
    },
    {
      title: 'Samples from the codes',
      text: String.raw`GLO has no prior over codes either. Fit a Gaussian $\mathcal{N}(m, S)$ to the learned codes $z_1 \dots z_N$, draw from it and decode: that is how GLO samples.

Ask for new samples.`,
      task: 'Press "New samples"',
      highlight: 'samples',
      panels: ['samples', 'latent'],
      done: (ctx) => signalled(ctx, 'samples-refreshed'),
    },
    {
      title: 'The catch',
      text: String.raw`Two costs come with free codes. Every training code is stored: $N \times d$ numbers, here 60,000 rows. And every new image needs its own optimisation, dozens of decoder passes, to find its code. A network that predicts the code in one pass, $\hat z = f_\phi(x)$, removes both: that is the encoder, and GLO with an encoder is the autoencoder.`,
      highlight: 'latent',
      panels: ['latent', 'recon'],
    },
  ],
};

export default lesson;
