/** Lesson 2: a linear autoencoder finds PCA's subspace, in a basis of its own. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, freshRunPast, testTerm, trainedSince } from './kit';

/** Pixels of an MNIST image: the P in the Gaussian's constant. */
const PIXELS = 784;

/**
 * The squared error ‖x − x̂‖² per image, recovered from the Gaussian reconstruction term
 * C‖x − x̂‖² + (P/2) log(2πσ²) with C = 1/(2σ²); null for the Bernoulli likelihood.
 */
function squaredErrorLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  const { likelihood, sigma } = ctx.settings;
  if (recon === undefined || likelihood !== 'gaussian') return null;
  const constant = (PIXELS / 2) * Math.log(2 * Math.PI * sigma * sigma);
  const squared = (recon - constant) * 2 * sigma * sigma;
  return String.raw`\lVert x - \hat x\rVert^2 = 2\sigma^2\left(${fixed(recon)} - \tfrac{784}{2}\log 2\pi\sigma^2\right) = ${fixed(squared, 2)}\ \text{(test, summed over 784 pixels)},\quad \sigma = ${sigma}`;
}

function reconLine(ctx: LessonContext): string | null {
  const recon = testTerm(ctx, 'recon');
  if (recon === undefined) return null;
  return String.raw`\text{reconstruction} = ${fixed(recon)}\ \text{nats per image (test)},\ D = ${ctx.settings.latentDim}`;
}

const lesson: Lesson = {
  id: 'ae-vs-pca',
  title: 'Autoencoder vs PCA',
  promise: 'Why a linear autoencoder learns the PCA subspace but not the PCA axes',
  preset: { model: 'ae', latentDim: 2, activation: 'linear', likelihood: 'gaussian' },
  panels: ['latent', 'recon', 'elbo', 'math', 'manifold'],
  steps: [
    {
      title: 'PCA in one line',
      text: String.raw`Principal component analysis keeps the $D$-dimensional subspace through the data that loses the least squared error. Its encoder is $z = U^\top (x - \bar x)$, whose rows are the top $D$ eigenvectors of the data covariance: orthonormal.

The lab has no PCA model yet (one is planned); here we train the closest thing, an autoencoder with linear layers and a Gaussian likelihood. Press Train.`,
      task: 'Press Train and let it run 200 steps',
      highlight: 'train-toggle',
      panels: ['elbo', 'recon'],
      done: (ctx) => trainedSince(ctx, 200),
      live: squaredErrorLine,
    },
    {
      title: 'The same loss as PCA',
      text: String.raw`With a Gaussian $p(x \mid z) = \mathcal{N}(\hat x, \sigma^2 I)$ the loss is $C\lVert x - \hat x\rVert^2$ plus a constant, with $C = 1/(2\sigma^2)$: squared error, as in PCA, in nats per image summed over 784 pixels.

With linear activations the encoder and decoder are linear maps, so $\hat x = W_d W_e x + b$.`,
      highlight: 'math',
      panels: ['math', 'elbo'],
      live: squaredErrorLine,
    },
    {
      title: 'Same subspace, another basis',
      text: String.raw`For any invertible $2 \times 2$ matrix $A$, the pair $(A W_e,\ W_d A^{-1})$ reconstructs exactly as well as $(W_e, W_d)$. So gradient descent reaches the PCA subspace (Baldi & Hornik 1989) but settles on one of many bases, usually not orthogonal: the scatter is a sheared, stretched copy of the PCA projection.

Two honest caveats: our decoder passes its output through a sigmoid to keep pixels in $[0, 1]$, and the first layers' width does not matter once everything is linear. So this is PCA up to that squashing.`,
      highlight: 'latent',
      panels: ['latent', 'recon'],
    },
    {
      title: 'Add the nonlinearity back',
      text: String.raw`Switch the activation to ReLU: the encoder can now bend the subspace into a curved surface. A new run starts; train it and compare the reconstruction error with the linear model's (the loss chart keeps the numbers of this run only, so note the old one).`,
      task: 'Set Activation to relu, then train 300 steps',
      highlight: 'setting-act',
      panels: ['elbo', 'recon', 'latent'],
      done: (ctx) => ctx.settings.activation === 'relu' && freshRunPast(ctx, 300),
      live: reconLine,
    },
    {
      title: 'More dimensions',
      text: String.raw`Raise the latent size to 8. The scatter now shows the first two principal components of the 8-D codes, and the reconstructions sharpen: each extra dimension is one more direction the code can keep.`,
      task: 'Set Latent size to 8 or more, then train 300 steps',
      highlight: 'setting-latent',
      panels: ['latent', 'recon', 'elbo'],
      done: (ctx) => ctx.settings.latentDim >= 8 && freshRunPast(ctx, 300),
      live: reconLine,
    },
  ],
};

export default lesson;
