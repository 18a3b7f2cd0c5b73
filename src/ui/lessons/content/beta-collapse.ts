/** Lesson 5: β, KL warm-up and free bits, seen through the KL of each latent dimension. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, scheduled, testTerm, trainedSince } from './kit';

/** KL summed over dimensions, and how many units are active (Burda et al. 2015). */
function activeLine(ctx: LessonContext): string | null {
  const kl = testTerm(ctx, 'kl');
  const active = ctx.run.latestEval?.diagnostics.activeUnits;
  if (kl === undefined || active === undefined) return null;
  const D = ctx.settings.latentDim;
  return String.raw`\mathrm{KL} = \textstyle\sum_{d=1}^{${D}} \mathrm{KL}_d = ${fixed(kl)}\ \text{nats per image},\qquad A = ${active} \text{ of } ${D} \text{ units active}`;
}

/** What training minimises now: reconstruction + w·KL, with w the KL weight in force. */
function weightedLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  const kl = testTerm(ctx, 'kl');
  if (recon === undefined || kl === undefined) return null;
  const w = scheduled(ctx, 'klWeight') ?? ctx.settings.beta;
  return String.raw`\text{minimised: } \underbrace{${fixed(recon)}}_{\text{reconstruction}} + \underbrace{${fixed(w, 2)}}_{w} \times \underbrace{${fixed(kl)}}_{\text{KL}} = ${fixed(recon + w * kl)}\ \text{nats per image}`;
}

/** The free-bits KL: each dimension counts as at least λ (Kingma et al. 2016). */
function freeBitsLine(ctx: LessonContext): string | null {
  const perDim = ctx.run.latestEval?.diagnostics.klPerDimension;
  if (!perDim?.length) return null;
  const lambda = ctx.settings.freeBits;
  const plain = perDim.reduce((a, b) => a + b, 0);
  const floored = perDim.reduce((a, b) => a + Math.max(lambda, b), 0);
  return String.raw`\textstyle\sum_d \max(\lambda, \mathrm{KL}_d) = ${fixed(floored, 2)}\ \text{vs}\ \sum_d \mathrm{KL}_d = ${fixed(plain, 2)}\ \text{nats},\quad \lambda = ${lambda}`;
}

/**
 * The run on screen started under a warm-up: its first recorded KL weight is near 0, not β (a
 * reset clears the history; a run trained without warm-up records β from its first step).
 */
function startedUnderWarmup(ctx: LessonContext): boolean {
  const first = ctx.run.scheduleHistory.terms.klWeight?.[0];
  return first !== undefined && first < 0.1 * ctx.settings.beta;
}

const lesson: Lesson = {
  id: 'beta-collapse',
  title: 'β, warm-up, free bits and posterior collapse',
  promise: 'Why a VAE switches latent dimensions off, and three ways to control it',
  preset: { model: 'vae', latentDim: 20 },
  panels: ['collapse', 'elbo', 'recon', 'samples', 'math', 'traversal'],
  pretrained: 'vae-20d',
  steps: [
    {
      title: 'KL per dimension',
      text: String.raw`Load the trained 20-D VAE (or train one). Each bar is one dimension's KL to the prior, averaged over the test digits. A bar near zero means $q_\phi(z_d \mid x) \approx \mathcal{N}(0, 1)$ for every $x$: that dimension carries no information about the image.

A unit counts as active when its posterior mean varies across digits, $\operatorname{Var}_x \mathbb{E}_q[z_d] > 0.01$ (Burda et al. 2015).`,
      task: 'Load the trained model, or press Train',
      highlight: 'collapse',
      panels: ['collapse', 'elbo'],
      done: (ctx) => trainedSince(ctx, 50),
      live: activeLine,
    },
    {
      title: 'Raise β',
      text: String.raw`β weights the KL term: training minimises reconstruction $+\ \beta \cdot \mathrm{KL}$ ($\beta = 1$ is the plain ELBO). With a larger β every nat of information in $z$ costs more, and the cheapest saving is to switch whole dimensions off.`,
      task: 'Raise β to 4 and train 300 steps, watching the KL bars',
      highlight: 'setting-beta',
      panels: ['collapse', 'elbo', 'recon'],
      done: (ctx) => ctx.settings.beta >= 4 && trainedSince(ctx, 300),
      live: weightedLine,
    },
    {
      title: 'Posterior collapse',
      text: String.raw`A switched-off dimension is a collapsed posterior: the encoder outputs the prior for it and the decoder learns to ignore it. The KL falls, the reconstruction term rises and the reconstructions blur. Watch the active-unit count and its history.`,
      highlight: 'active-units',
      panels: ['collapse', 'recon'],
      live: activeLine,
    },
    {
      title: 'KL warm-up',
      text: String.raw`Warm-up ramps the KL weight from 0 to β over the first steps (Bowman et al. 2016; Sønderby et al. 2016), so the decoder learns to use $z$ before the KL pushes back. It acts at the start of training, so reset the run to see it: the KL-weight curve rises from zero.`,
      task: 'Set KL warm-up to linear, press Reset, and train 300 steps',
      highlight: 'setting-warmup',
      panels: ['collapse', 'elbo'],
      done: (ctx) =>
        ctx.settings.warmup !== 'none' && startedUnderWarmup(ctx) && ctx.run.step >= 300,
      live: weightedLine,
    },
    {
      title: 'Free bits',
      text: String.raw`Free bits (Kingma et al. 2016) count each dimension's KL as at least $\lambda$ nats: below $\lambda$ the objective no longer rewards shrinking it, so there is no pull to switch the dimension fully off.`,
      task: 'Set free bits λ to 0.5 or so, and train 300 steps',
      highlight: 'setting-freeBits',
      panels: ['collapse', 'math'],
      done: (ctx) => ctx.settings.freeBits > 0 && trainedSince(ctx, 300),
      live: freeBitsLine,
    },
    {
      title: 'Back to β = 1',
      text: String.raw`Turn β back to 1 and free bits off, then keep training. Do dimensions that collapsed come back, or does the model stay with fewer? Compare the active-unit count with the first step's.`,
      task: 'Set β to 1 and free bits to 0, then train 300 steps',
      highlight: 'setting-beta',
      panels: ['collapse', 'elbo'],
      done: (ctx) =>
        ctx.settings.beta <= 1 && ctx.settings.freeBits === 0 && trainedSince(ctx, 300),
      live: activeLine,
    },
  ],
};

export default lesson;
