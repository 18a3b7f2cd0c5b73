/** Lesson: EM and K-means: the E-step closes the gap, the M-step raises the bound; K-means as an autoencoder. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, freshRunPast, signalled, testTerm, trainedSince } from './kit';

/** K-means' error with its K and the bits a code costs. */
function kmeansLine(ctx: LessonContext): string | null {
  const J = testTerm(ctx, 'squaredError');
  if (J === undefined || ctx.run.model !== 'kmeans') return null;
  const K = ctx.settings.clusters;
  return String.raw`J = \frac{1}{N}\sum_i \min_k \lVert x_i - c_k \rVert^2 = ${fixed(J, 2)}\ \text{per image (test)},\quad K = ${K}:\ \log_2 ${K} = ${fixed(Math.log2(K), 2)}\ \text{bits per code}`;
}

/** The mixture's log-likelihood and its two gaps, on the test digits. */
function gapLine(ctx: LessonContext): string | null {
  if (!ctx.run.latestEval) return null;
  const nll = testTerm(ctx, 'nll');
  const elbo = testTerm(ctx, 'elbo');
  const elboE = testTerm(ctx, 'elboE');
  if (nll === undefined || elbo === undefined || elboE === undefined)
    return String.raw`\log p(x) = \mathrm{ELBO}(q, 	heta) + \mathrm{KL}\big(q \,\|\, p(k \mid x)\big),\quad k \in \{1, \dots, ${ctx.settings.clusters}\}`;
  const logP = -nll;
  return String.raw`\log p(x) = ${fixed(logP, 2)},\quad \underbrace{${fixed(logP - elbo, 3)}}_{\text{gap after the M-step}} = \mathrm{KL}(q_{\text{old}} \,\|\, p(k\mid x)),\quad \underbrace{${fixed(logP - elboE, 3)}}_{\text{gap after the E-step}}\ \text{nats per image (test)}`;
}

/** −log p(x) of the mixture, nats per image. */
function nllLine(ctx: LessonContext): string | null {
  if (!ctx.run.latestEval) return null;
  const nll = testTerm(ctx, 'nll');
  const K = ctx.settings.clusters;
  const sum = String.raw`-\log p(x) = -\log \sum_{k=1}^{${K}} \pi_k \prod_p \mu_{kp}^{x_p} (1 - \mu_{kp})^{1 - x_p}`;
  return nll === undefined
    ? sum
    : String.raw`${sum} = ${fixed(nll, 2)}\ \text{nats per image (test)}`;
}

const lesson: Lesson = {
  id: 'em-kmeans',
  title: 'EM and K-means',
  promise: 'Why EM never gets worse, and why K-means is an autoencoder whose code is one number',
  preset: { model: 'kmeans', clusters: 10 },
  panels: ['codes', 'codebook', 'samples', 'em', 'elbo', 'recon', 'math'],
  steps: [
    {
      title: 'An autoencoder with one number',
      text: String.raw`K-means keeps $K$ centroid images $c_k$. Its encoder sends a digit to the index of the nearest centroid, $z(x) = \arg\min_k \lVert x - c_k \rVert^2$; its decoder returns that centroid. Each Lloyd iteration assigns every training digit, then moves each centroid to the mean of its digits; the error can only go down.`,
      task: 'Press Train and let it run three iterations',
      highlight: 'codes',
      panels: ['codes', 'recon'],
      done: (ctx) => ctx.run.model === 'kmeans' && trainedSince(ctx, 3),
      live: kmeansLine,
    },
    {
      title: 'More clusters',
      text: String.raw`The code costs $\log_2 K$ bits. More centroids fit the digits more closely but each one gets fewer digits; the usage chart shows how evenly they share them. A cluster that ends up empty is restarted on the digit farthest from its centroid.`,
      task: 'Set K to 50 or more and train three iterations',
      highlight: 'setting-clusters',
      panels: ['codebook', 'codes'],
      done: (ctx) =>
        ctx.run.model === 'kmeans' && ctx.settings.clusters >= 50 && freshRunPast(ctx, 3),
      live: kmeansLine,
    },
    {
      title: 'Sampling a code',
      text: String.raw`To generate, draw a code at random and decode it: every sample is one of the $K$ centroids, a blurred average of real digits. The model has no way to produce anything between them.`,
      task: 'Press "New samples"',
      highlight: 'samples',
      panels: ['samples'],
      done: (ctx) => signalled(ctx, 'samples-refreshed'),
    },
    {
      title: 'Soft assignments: a mixture',
      text: String.raw`A mixture of Bernoullis keeps $K$ images of pixel probabilities $\mu_k$ and weights $\pi_k$. A digit is not assigned to one component but shared out by its posterior $q(k) = p(k \mid x)$, the responsibilities. With one discrete latent its likelihood is an exact sum over $k$.`,
      task: 'Choose the mixture model and train three iterations',
      highlight: 'model-select',
      panels: ['em', 'math'],
      done: (ctx) => ctx.run.model === 'mixture' && freshRunPast(ctx, 3),
      live: nllLine,
    },
    {
      title: 'The E-step closes the gap',
      text: String.raw`For any $q$, $\log p(x) = \mathrm{ELBO}(q, \theta) + \mathrm{KL}(q \,\|\, p(k \mid x))$. The M-step raises the bound over $\theta$ with $q$ held fixed, so $\log p(x)$ rises too; the gap is now the KL to the new posterior. The E-step sets $q$ to that posterior: the gap becomes zero. Neither step can lower $\log p(x)$.`,
      task: 'Pause, then press Step once and watch both curves',
      highlight: 'em',
      panels: ['em'],
      done: (ctx) => ctx.run.model === 'mixture' && signalled(ctx, 'step-pressed'),
      live: gapLine,
    },
    {
      title: 'Responsibilities',
      text: String.raw`Most digits are claimed almost entirely by one component; ambiguous ones (a 4 that could be a 9) are split between two or three. The components are the mixture's $\mu_k$: averages of the digits they are responsible for.`,
      task: 'Pick another digit in the EM panel',
      highlight: 'em',
      panels: ['em'],
      done: (ctx) => signalled(ctx, 'em-digit-picked'),
      live: nllLine,
    },
    {
      title: 'K-means is hard EM, and the VQ-VAE is K-means',
      text: String.raw`Give the components Gaussians with a shared variance $\sigma^2$ and let $\sigma \to 0$: the responsibilities become one-hot on the nearest mean, and EM becomes Lloyd's algorithm. The VQ-VAE's codebook is K-means run on an encoder's outputs instead of on pixels, with an encoder and decoder learned around it.`,
      highlight: 'codebook',
      panels: ['codebook', 'em'],
    },
  ],
};

export default lesson;
