/**
 * The last lesson: tokens → priors → pictures. A VQ-VAE's codes sampled independently give noise;
 * a transformer over the codes, after a class token, gives digits (DALL·E's recipe in miniature).
 */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, signalled, testTerm, trainedSince } from './kit';

/** Positions of the 7×7 code grid. */
const POSITIONS = 49;

/** The prior's cross-entropy against its two baselines, per image and per token. */
function baselinesLine(ctx: LessonContext): string | null {
  const nll = testTerm(ctx, 'nll');
  const unigram = testTerm(ctx, 'unigram');
  const uniform = testTerm(ctx, 'uniform');
  if (nll === undefined || unigram === undefined || uniform === undefined) return null;
  const share = unigram > 0 ? (100 * (unigram - nll)) / unigram : 0;
  return String.raw`\underbrace{${fixed(nll)}}_{\text{transformer}} \;<\; \underbrace{${fixed(unigram)}}_{\text{unigram}} \;<\; \underbrace{${fixed(uniform)}}_{49 \ln K}\ \text{nats per image};\quad ${fixed(nll / POSITIONS, 2)}\ \text{nats per token},\ ${fixed(share, 0)}\%\ \text{of the way from unigram to } 0`;
}

/** The VQ-VAE's whole bound with the learned prior and with the uniform one. */
function boundLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  const nll = testTerm(ctx, 'nll');
  const uniform = testTerm(ctx, 'uniform');
  if (recon === undefined || nll === undefined || uniform === undefined) return null;
  return String.raw`-\log p(x) \le \underbrace{${fixed(recon)}}_{\text{recon}} + \underbrace{${fixed(nll)}}_{-\log p(c)} = ${fixed(recon + nll)}\ \text{nats, against } ${fixed(recon)} + ${fixed(uniform)} = ${fixed(recon + uniform)} \text{ with uniform codes}`;
}

const lesson: Lesson = {
  id: 'tokens-priors',
  title: 'Tokens, priors and pictures',
  promise: 'Why codes need a second model to become pictures, and how a label picks the digit',
  preset: { model: 'prior' },
  panels: ['generate', 'bound', 'elbo', 'math'],
  pretrained: 'prior',
  steps: [
    {
      title: 'A tokenizer is not a generator',
      text: String.raw`This run is two models. A VQ-VAE, trained first and now frozen, turns every digit into 49 tokens on a $7 \times 7$ grid, each one of $K$ codes. Its own prior treats the tokens as independent and uniform, so the grids it draws decode to noise: look at the "Uniform codes" beside the generated digits.`,
      highlight: 'generate',
      panels: ['generate'],
    },
    {
      title: 'The chain rule over tokens',
      text: String.raw`Any joint distribution factors as $p(c) = \prod_{t=1}^{49} p(c_t \mid c_{<t})$, taking the tokens in raster order. A small transformer with a causal mask learns every factor at once: position $t$ sees only the tokens before it. Its loss is $-\log p(c)$ in nats per image, and it must beat two baselines: uniform codes ($49 \ln K$) and each code's overall frequency (unigram).`,
      task: 'Press Train and let the prior run 200 steps',
      highlight: 'train-toggle',
      panels: ['elbo', 'bound'],
      done: (ctx) => trainedSince(ctx, 200),
      live: baselinesLine,
    },
    {
      title: 'Token by token',
      text: String.raw`Sampling follows the same order: draw $c_1$, feed it back, draw $c_2$, and so on, 49 times. Each partial grid is decoded as it grows; the positions not drawn yet show the commonest code, which is background. Temperature divides the logits (below 1: safer, plainer digits); top-$k$ keeps only the $k$ likeliest codes at each step.`,
      task: 'Press Generate',
      highlight: 'prior-generate',
      panels: ['generate'],
      done: (ctx) => signalled(ctx, 'prior-generated'),
    },
    {
      title: 'The caption is a digit',
      text: String.raw`DALL·E puts the caption's tokens before the image's and trains one transformer on the whole sequence. Here the caption is one token, the digit's label. Ask for a different digit: every image token can attend to that class token, so it steers the whole grid. A tenth of the training sequences had their class token replaced by "any", so the same model also samples without one, and can be pushed away from that: guidance $w$ draws from $\ell(c \mid y) + w\,(\ell(c \mid y) - \ell(c \mid \text{any}))$, $\ell$ the logits (Ho & Salimans 2022).`,
      task: 'Choose another digit',
      highlight: 'prior-class',
      panels: ['generate'],
      done: (ctx) => signalled(ctx, 'prior-class-chosen'),
    },
    {
      title: 'What each token looks at',
      text: String.raw`Under "Attention", pick a position: one map per head shows how much weight it put on each earlier position, and the text gives its share on the class token. Some heads look just left and just above, like a PixelCNN's receptive field; others read the class token.`,
      task: 'Pick another row or column under "Attention"',
      highlight: 'prior-attention-row',
      panels: ['generate'],
      done: (ctx) => signalled(ctx, 'prior-attention-moved'),
    },
    {
      title: 'The whole bound, in nats',
      text: String.raw`A VQ-VAE's posterior puts all its mass on one grid, so its entropy is zero and $-\log p(x) \le -\log p(x \mid c) - \log p(c)$. With uniform codes the second term is $49 \ln K$ nats; the learned prior cuts it down, and the sum can be set beside what a VAE reaches with the same likelihood.`,
      highlight: 'bound',
      panels: ['bound', 'math'],
      live: boundLine,
    },
  ],
};

export default lesson;
