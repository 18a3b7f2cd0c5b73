/** Lesson 7: from Gumbel-max to the Gumbel-softmax relaxation to DALL·E's discrete VAE. */
import type { Lesson, LessonContext } from '../lesson';
import { elboLine, fixed, scheduled, signalled, testTerm, trainedSince } from './kit';

/** Positions of the dVAE's 7×7 code grid. */
const POSITIONS = 49;

/** τ in force now, with the schedule that sets it. */
function tauLine(ctx: LessonContext): string | null {
  const tau = scheduled(ctx, 'tau');
  if (tau === undefined || !ctx.run.latestEval) return null;
  const { tauSchedule, tauEnd } = ctx.settings;
  return String.raw`\tau_{\text{now}} = ${tau.toPrecision(3)}\quad (\text{${tauSchedule} schedule, } \tau_{\text{end}} = ${Number(tauEnd.toPrecision(3))}),\qquad y = \operatorname{softmax}\!\left(\frac{\log \pi + G}{\tau}\right)`;
}

/** The KL to the uniform prior, bounded by 49 ln K. */
function klBoundLine(ctx: LessonContext): string | null {
  const kl = testTerm(ctx, 'kl');
  if (kl === undefined) return null;
  const K = ctx.settings.codebookSize;
  return String.raw`\mathrm{KL}\big(q_\phi(c \mid x) \,\|\, \mathcal{U}\{1..${K}\}^{49}\big) = ${fixed(kl)} \le 49 \ln ${K} = ${fixed(POSITIONS * Math.log(K))}\ \text{nats per image}`;
}

const lesson: Lesson = {
  id: 'gumbel-dvae',
  title: 'Gumbel-softmax and the dVAE',
  promise: 'How to backpropagate through a choice among K codes',
  preset: { model: 'dvae' },
  panels: ['gumbel', 'codebook', 'codes', 'recon', 'elbo', 'math', 'samples'],
  pretrained: 'dvae',
  steps: [
    {
      title: 'Gumbel-max',
      text: String.raw`To draw a category from probabilities $\pi_1, \dots, \pi_K$, add independent Gumbel noise $G_k = -\log(-\log U_k)$, $U_k \sim \mathcal{U}(0, 1)$, to each $\log \pi_k$ and take the arg max: the result is distributed exactly as $\pi$. The table shows one such draw for a test digit.

Load the trained dVAE, or train one.`,
      task: 'Load the trained model, or press Train',
      highlight: 'gumbel',
      panels: ['gumbel', 'recon'],
      done: (ctx) => trainedSince(ctx, 50),
      live: elboLine,
    },
    {
      title: 'Gumbel-softmax',
      text: String.raw`The arg max has no gradient. Replace it by a softmax at temperature $\tau$ (Jang et al. 2017; Maddison et al. 2017):
$$y_k = \frac{\exp((\log \pi_k + G_k)/\tau)}{\sum_j \exp((\log \pi_j + G_j)/\tau)}.$$
Small $\tau$ gives nearly one-hot samples but high-variance gradients; large $\tau$ gives smooth samples, far from any category.`,
      task: 'Drag the τ slider down to about 0.1, then up to 5',
      highlight: 'gumbel',
      panels: ['gumbel'],
      done: (ctx) => signalled(ctx, 'tau-slider-moved'),
    },
    {
      title: 'Annealing τ',
      text: String.raw`Training lowers τ as it goes: DALL·E's cosine schedule from 1 to $\tau_{\text{end}} = 1/16$ (Ramesh et al. 2021), or Jang et al.'s $\max(\tau_{\text{end}}, e^{-rt})$. Early on, soft samples give smooth gradients; late, samples are almost the discrete codes the model will use.`,
      task: 'Change the τ schedule and watch τ on the chart',
      highlight: 'setting-tau',
      panels: ['gumbel', 'elbo'],
      done: (ctx) => ctx.settings.tauSchedule !== ctx.atStart.settings.tauSchedule,
      live: tauLine,
    },
    {
      title: 'Soft or hard',
      text: String.raw`The straight-through variant (Jang et al. 2017) sends the one-hot arg max forward, so the decoder sees real codes, and backpropagates through the soft $y$. The decoder then trains on the same one-hot codes it gets when sampling.`,
      task: 'Turn Hard (straight-through) on and train 200 steps',
      highlight: 'setting-hard',
      panels: ['gumbel', 'recon'],
      done: (ctx) => ctx.settings.hard && trainedSince(ctx, 200),
      live: tauLine,
    },
    {
      title: 'The dVAE',
      text: String.raw`The discrete VAE of DALL·E (Ramesh et al. 2021) puts a $K$-way categorical at each position of a grid (here $7 \times 7$), relaxes it with the Gumbel-softmax and feeds the decoder $z = \sum_k y_k e_k$, a mix of learned code vectors. The ELBO's KL goes to the uniform prior over codes, at most $49 \ln K$ nats.`,
      highlight: 'codes',
      panels: ['codes', 'math', 'recon'],
      live: klBoundLine,
    },
    {
      title: 'The categorical VAE',
      text: String.raw`Jang et al. (2017) showed the trick on a simpler model: $N$ independent categorical variables of $K$ classes, no grid and no code vectors, with MLP networks. A trained one ships with the lab as catvae.`,
      task: 'Switch the model to Categorical VAE and train 200 steps',
      highlight: 'model-select',
      panels: ['elbo', 'recon', 'samples'],
      done: (ctx) =>
        ctx.settings.model === 'catvae' && ctx.run.model === 'catvae' && ctx.run.step >= 200,
      live: elboLine,
    },
  ],
};

export default lesson;
