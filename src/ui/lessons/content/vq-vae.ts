/** Lesson 6: the VQ-VAE's nearest code, straight-through gradient, loss terms and codebook health. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, freshRunPast, signalled, testTerm, trainedSince } from './kit';

/** Positions of the 7×7 code grid. */
const POSITIONS = 49;

/** Perplexity and codes used out of K: the codebook's health. */
function usageLine(ctx: LessonContext): string | null {
  const d = ctx.run.latestEval?.diagnostics;
  if (d?.perplexity === undefined || d.codesUsed === undefined) return null;
  const K = ctx.settings.codebookSize;
  return String.raw`\text{perplexity} = e^{H(\bar q)} = ${fixed(d.perplexity)} \text{ of } K = ${K},\quad ${d.codesUsed} \text{ codes used},\quad \log_2 ${fixed(d.perplexity)} = ${fixed(Math.log2(d.perplexity), 2)}\ \text{bits per position}`;
}

/** The loss with its live terms: nats for the reconstruction, squared distances for the rest. */
function lossLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  const codebook = testTerm(ctx, 'codebook');
  const commitment = testTerm(ctx, 'commitment');
  if (recon === undefined || codebook === undefined || commitment === undefined) return null;
  const beta = ctx.settings.commitment;
  return String.raw`\mathcal{L} = \underbrace{${fixed(recon)}}_{\text{recon, nats}} + \underbrace{${codebook.toPrecision(3)}}_{\lVert \operatorname{sg}[z_e] - e \rVert^2} + ${beta} \times \underbrace{${commitment.toPrecision(3)}}_{\lVert z_e - \operatorname{sg}[e] \rVert^2}\ \text{per image (test)}`;
}

/** What a grid of uniformly drawn codes costs: 49 · ln K nats. */
function capacityLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  if (recon === undefined) return null;
  const K = ctx.settings.codebookSize;
  return String.raw`49 \ln ${K} = ${fixed(POSITIONS * Math.log(K))}\ \text{nats} = 49 \log_2 ${K} = ${fixed(POSITIONS * Math.log2(K))}\ \text{bits per image};\quad \text{reconstruction} = ${fixed(recon)}\ \text{nats}`;
}

const lesson: Lesson = {
  id: 'vq-vae',
  title: 'VQ-VAE',
  promise: 'How a network learns to pick codes from a codebook, and how to keep the codebook alive',
  preset: { model: 'vqvae' },
  panels: ['codebook', 'codes', 'codebook-view', 'recon', 'elbo', 'math', 'samples'],
  pretrained: 'vqvae',
  steps: [
    {
      title: 'A grid of codes',
      text: String.raw`The encoder turns a digit into a $7 \times 7$ grid of vectors $z_e$. Each is replaced by the nearest of $K$ learned code vectors, $z_q = e_k$ with $k = \arg\min_j \lVert z_e - e_j \rVert$, and the decoder rebuilds the image from the codes (van den Oord et al. 2017).

Load the trained VQ-VAE, or train one.`,
      task: 'Load the trained model, or press Train',
      highlight: 'codes',
      panels: ['codes', 'recon'],
      done: (ctx) => trainedSince(ctx, 50),
      live: capacityLine,
    },
    {
      title: 'Codes among the encoder outputs',
      text: String.raw`This view projects the codebook and the encoder outputs onto their first two principal components. Codes sit inside the cloud of $z_e$: training pulls each one toward the mean of the outputs assigned to it, as K-means does.`,
      highlight: 'codebook-view',
      panels: ['codebook-view'],
    },
    {
      title: 'Straight through',
      text: String.raw`The arg min has no useful gradient. The straight-through estimator (Bengio et al. 2013) uses $z_q$ in the forward pass and copies the decoder's gradient onto $z_e$ in the backward pass: $z = z_e + \operatorname{sg}[z_q - z_e]$, where sg stops gradients.`,
      highlight: 'straight-through-math',
      panels: ['codebook', 'math'],
      live: usageLine,
    },
    {
      title: 'Codebook and commitment',
      text: String.raw`Gradients never reach the codes through the straight-through path, so two terms join the loss: the codebook term moves each code toward its encoder outputs, the commitment term (weight β) keeps the encoder near its codes. Both are squared distances, not nats.`,
      task: 'Raise the commitment β above its value now, and train 200 steps',
      highlight: 'setting-commitment',
      panels: ['math', 'elbo'],
      done: (ctx) =>
        ctx.settings.commitment > ctx.atStart.settings.commitment && trainedSince(ctx, 200),
      live: lossLine,
    },
    {
      title: 'Codebook collapse',
      text: String.raw`Codes that start far from the encoder outputs are never nearest, get no updates and stay unused: the codebook collapses to a few codes. Perplexity, $e^{H}$ of the average code assignment, counts how many codes are effectively in use, from 1 to $K$.

Turn off both guards and train from scratch.`,
      task: 'Turn k-means init off, set the dead-code threshold to 0, and train 500 steps',
      highlight: 'codebook',
      panels: ['codebook', 'recon'],
      done: (ctx) =>
        !ctx.settings.kmeansInit &&
        ctx.settings.deadCodeThreshold === 0 &&
        ctx.run.model === 'vqvae' &&
        freshRunPast(ctx, 500),
      live: usageLine,
    },
    {
      title: 'The cures',
      text: String.raw`Three fixes, all in the lab: start the codes by k-means on the first batch of encoder outputs (Łańcucki et al. 2020); update them as exponential moving averages of their assigned outputs (van den Oord et al. 2017, appendix A.1); move codes used fewer times than a threshold in 200 steps onto current encoder outputs (Dhariwal et al. 2020). Restarts are marked on the perplexity chart.`,
      task: 'Turn EMA on, set the dead-code threshold to 1 or more, and train 500 steps',
      highlight: 'codebook',
      panels: ['codebook', 'codes'],
      done: (ctx) =>
        ctx.settings.ema &&
        ctx.settings.deadCodeThreshold >= 1 &&
        ctx.run.model === 'vqvae' &&
        freshRunPast(ctx, 500),
      live: usageLine,
    },
    {
      title: 'Sampling needs a prior',
      text: String.raw`Samples here decode grids of codes drawn uniformly and independently. Real digits use codes that depend on their neighbours, so these samples look like patchwork: a prior over the grid (e.g. an autoregressive one) is the next step.`,
      task: 'Press "New samples"',
      highlight: 'samples',
      panels: ['samples', 'codes'],
      done: (ctx) => signalled(ctx, 'samples-refreshed'),
      live: capacityLine,
    },
  ],
};

export default lesson;
