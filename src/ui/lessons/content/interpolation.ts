/** Lesson 4: walking between codes, and why the straight line cuts through the middle. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, signalled, testTerm, trainedSince } from './kit';

/** Typical norms in D dimensions: a prior draw, and the midpoint of two independent draws. */
function normLine(ctx: LessonContext): string | null {
  if (!ctx.run.latestEval) return null;
  const D = ctx.settings.latentDim;
  const active = ctx.run.latestEval.diagnostics.activeUnits;
  const activeText =
    active === undefined ? '' : String.raw`,\quad ${active} \text{ of } ${D} \text{ units active}`;
  return String.raw`\lVert z \rVert \approx \sqrt{${D}} = ${fixed(Math.sqrt(D), 2)},\qquad \left\lVert \tfrac{z_A + z_B}{2} \right\rVert \approx \sqrt{${D}/2} = ${fixed(Math.sqrt(D / 2), 2)}${activeText}`;
}

function klLine(ctx: LessonContext): string | null {
  const kl = testTerm(ctx, 'kl');
  if (kl === undefined) return null;
  return String.raw`\mathrm{KL}(q_\phi(z \mid x) \,\|\, \mathcal{N}(0, I_{${ctx.settings.latentDim}})) = ${fixed(kl)}\ \text{nats per image (test)}`;
}

const lesson: Lesson = {
  id: 'interpolation',
  title: 'Interpolation',
  promise: 'Why a straight line between two codes passes through places the decoder never saw',
  preset: { model: 'vae', latentDim: 20 },
  panels: ['interp', 'samples', 'traversal', 'latent', 'manifold', 'collapse'],
  pretrained: 'vae-20d',
  steps: [
    {
      title: 'A trained 20-D model',
      text: String.raw`This lesson needs a model that already knows digits: load the trained 20-dimensional VAE, or train one for a while.`,
      task: 'Load the trained model, or press Train',
      highlight: 'train-toggle',
      panels: ['interp', 'samples'],
      done: (ctx) => trainedSince(ctx, 50),
      live: klLine,
    },
    {
      title: 'The straight line',
      text: String.raw`Encode two test digits A and B and walk between their codes:
$$z(t) = (1 - t)\, z_A + t\, z_B,\quad t \in [0, 1],$$
decoding each point. Choose two digits that look very different, e.g. a 1 and a 0.`,
      task: 'Change digit A or B',
      highlight: 'interp',
      panels: ['interp'],
      done: (ctx) => signalled(ctx, 'interp-endpoints-changed'),
    },
    {
      title: 'Why the line passes near the origin',
      text: String.raw`A draw from $\mathcal{N}(0, I_D)$ has length close to $\sqrt{D}$: in many dimensions almost all prior mass sits on a thin shell, not at the centre. Two independent draws are nearly orthogonal, so their midpoint is only about $1/\sqrt 2$ as long: inside the shell, where the decoder rarely trained. This is one reason the middle of a straight path can look faint or blurred.`,
      highlight: 'interpolation',
      panels: ['interp', 'latent'],
      live: normLine,
    },
    {
      title: 'Slerp stays near the shell',
      text: String.raw`Spherical interpolation walks along the arc between the two codes (Shoemake 1985; for generative models White 2016):
$$z(t) = \frac{\sin((1 - t)\Omega)}{\sin \Omega} z_A + \frac{\sin(t\Omega)}{\sin \Omega} z_B,\quad \cos \Omega = \hat z_A \cdot \hat z_B.$$
Compare the two rows, then try another pair.`,
      task: 'Pick another pair of digits',
      highlight: 'interp',
      panels: ['interp'],
      done: (ctx) => signalled(ctx, 'interp-endpoints-changed'),
    },
    {
      title: 'Four corners',
      text: String.raw`The bilinear grid mixes four corner codes: each cell is $(1-u)(1-v)\, z_1 + u(1-v)\, z_2 + (1-u)v\, z_3 + uv\, z_4$. Along its edges it is a straight path; in its middle all four digits blend.`,
      highlight: 'bilinear',
      panels: ['interp'],
    },
    {
      title: 'One dimension at a time',
      text: String.raw`A traversal changes a single coordinate of one digit's code and decodes. Dimensions with a large KL change the image; those near zero KL are switched off and change nothing (the posterior-collapse lesson explains why).`,
      task: 'Change the traversal dimension',
      highlight: 'traversal',
      panels: ['traversal', 'collapse'],
      done: (ctx) => signalled(ctx, 'traversal-dim-changed'),
    },
    {
      title: 'Samples from the shell',
      text: String.raw`Samples are decoded draws from the prior $\mathcal{N}(0, I_D)$, so they come from the shell where the codes live. Ask for new ones.`,
      task: 'Press "New samples"',
      highlight: 'samples',
      panels: ['samples'],
      done: (ctx) => signalled(ctx, 'samples-refreshed'),
    },
  ],
};

export default lesson;
