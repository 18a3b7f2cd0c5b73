/**
 * Lesson: a code found by optimisation against the encoder's one shot (amortised inference),
 * restoration from the visible pixels only, and editing along a direction between two groups.
 */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, signalled, testTerm, trainedSince } from './kit';

const encoderLine = (ctx: LessonContext) => {
  const recon = testTerm(ctx, 'recon');
  return recon === undefined
    ? null
    : String.raw`-\log p_\theta\big(x \mid f_\phi(x)\big) = ${fixed(recon)}\ \text{nats per image (test, the encoder in one shot)}`;
};

const lesson: Lesson = {
  id: 'inference-restoration',
  title: 'Inference by optimisation, restoration and editing',
  promise:
    'Why an encoder is a shortcut, how a decoder alone fills in an erased digit, and how to move a digit along a direction',
  preset: { model: 'vae', latentDim: 2 },
  panels: ['infer', 'edit', 'draw', 'latent'],
  pretrained: 'vae-2d',
  steps: [
    {
      title: 'A trained decoder',
      text: String.raw`Everything in this lesson keeps the decoder $g_\theta$ fixed and asks which code $z$ explains an image. Load the trained 2-D VAE, or train one for a while.`,
      task: 'Load the trained model, or press Train',
      highlight: 'train-toggle',
      panels: ['infer', 'latent'],
      done: (ctx) => trainedSince(ctx, 50),
      live: encoderLine,
    },
    {
      title: 'Search for the code',
      text: String.raw`Without the encoder we can still find a code: start from $z = 0$ and take gradient steps (Adam) on the reconstruction error, moving only $z$:
$$\hat z = \arg\min_z \sum_{p=1}^{784} \big(g_\theta(z)_p - x_p\big)^2.$$
Run it on a test digit and watch the loss fall and the code travel across the plane.`,
      task: 'Press "Run inference" with nothing erased',
      highlight: 'infer-run',
      panels: ['infer'],
      done: (ctx) => signalled(ctx, 'inference-run'),
    },
    {
      title: 'One shot against many steps',
      text: String.raw`The encoder $f_\phi$ answers the same question in one forward pass: it was trained to predict, for every image at once, a code the decoder can use. This is amortised inference. Its answer (the square, and the dashed level in the loss chart) is fast but a compromise; a search fits this one image, reaching the encoder's error after some tens of steps on most digits, yet from $z = 0$ it can also settle in a worse valley. Start the search from the encoder's code to see it improve on it. A model without an encoder, such as GLO, can only search.`,
      highlight: 'infer',
      panels: ['infer'],
      live: encoderLine,
    },
    {
      title: 'Restore an erased quadrant',
      text: String.raw`Erase part of the digit and fit $z$ to the pixels that are left, with a mask $m_p \in \{0, 1\}$:
$$\hat z = \arg\min_z \sum_p m_p \big(g_\theta(z)_p - x_p\big)^2.$$
The erased pixels play no part in the fit, yet $g_\theta(\hat z)$ draws them: the decoder knows what digits look like. Compare the completion with the original and with the encoder's code, which saw the hole as blank paper.`,
      task: 'Choose a quadrant under "Erase" and run inference',
      highlight: 'infer-mask',
      panels: ['infer'],
      done: (ctx) => signalled(ctx, 'restoration-run'),
    },
    {
      title: 'Your own damaged digit',
      text: String.raw`Draw a digit, then choose "by hand" under Erase and rub out part of it with the eraser (drag, or arrow keys and Space), and restore it. The less that is left, the more the completion is the decoder's guess rather than your digit.`,
      task: 'Draw a digit, then restore it with part erased',
      highlight: 'infer',
      panels: ['draw', 'infer'],
      done: (ctx) => signalled(ctx, 'drew-digit') && signalled(ctx, 'restoration-run'),
    },
    {
      title: 'A direction between two groups',
      text: String.raw`Take two groups of digits, say the 1s ($A$) and the 7s ($B$), and the difference of their mean codes,
$$d = \frac{1}{|B|}\sum_{i \in B} z_i - \frac{1}{|A|}\sum_{i \in A} z_i.$$
Adding $t\,d$ to any digit's code and decoding moves it towards group $B$.`,
      task: 'Move the slider t',
      highlight: 'edit-slider',
      panels: ['edit'],
      done: (ctx) => signalled(ctx, 'edit-slider-moved'),
    },
    {
      title: 'Directions from a property',
      text: String.raw`Groups need no labels: split the digits at the median of a property measured on their pixels, such as slant or stroke width, or pick them by hand. In two dimensions a direction also changes the digit's identity; in larger latents such directions tend to change style while keeping the digit.`,
      task: 'Group the digits by a measure instead of by label',
      highlight: 'edit-by',
      panels: ['edit'],
      done: (ctx) => signalled(ctx, 'edit-groups-changed'),
    },
  ],
};

export default lesson;
