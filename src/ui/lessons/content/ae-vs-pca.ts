/** Lesson 2: exact PCA first, then a linear autoencoder that finds PCA's subspace in a basis of its own. */
import type { Lesson, LessonContext } from '../lesson';
import { fixed, freshRunPast, testTerm, trainedSince } from './kit';

/** Pixels of an MNIST image: the P in the Gaussian's constant. */
const PIXELS = 784;

/**
 * The squared error ‖x − x̂‖² per test image: PCA reports it; for the AE with a Gaussian
 * likelihood it is recovered from C‖x − x̂‖² + (P/2) log(2πσ²) with C = 1/(2σ²).
 */
function squaredErrorLine(ctx: LessonContext): string | null {
  const d = ctx.settings.latentDim;
  const pca = testTerm(ctx, 'squaredError');
  if (pca !== undefined)
    return String.raw`\text{PCA: } \lVert x - \hat x\rVert^2 = ${fixed(pca, 2)}\ \text{per test image (summed over 784 pixels)},\ d = ${d}`;
  const recon = testTerm(ctx, 'recon');
  const { likelihood, sigma } = ctx.settings;
  if (recon === undefined || likelihood !== 'gaussian') return null;
  const constant = (PIXELS / 2) * Math.log(2 * Math.PI * sigma * sigma);
  const squared = (recon - constant) * 2 * sigma * sigma;
  return String.raw`\text{AE: } \lVert x - \hat x\rVert^2 = 2\sigma^2\left(${fixed(recon)} - \tfrac{784}{2}\log 2\pi\sigma^2\right) = ${fixed(squared, 2)}\ \text{(test)},\ d = ${d}`;
}

const linearAe = (ctx: LessonContext) =>
  ctx.settings.model === 'ae' &&
  ctx.settings.activation === 'linear' &&
  ctx.settings.likelihood === 'gaussian';

const lesson: Lesson = {
  id: 'ae-vs-pca',
  title: 'Autoencoder vs PCA',
  promise: 'Why a linear autoencoder learns the PCA subspace but not the PCA axes',
  preset: { model: 'pca', latentDim: 2, activation: 'linear', likelihood: 'gaussian' },
  panels: ['pca', 'elbo', 'recon', 'latent', 'math', 'manifold'],
  steps: [
    {
      title: 'Exact PCA first',
      text: String.raw`Principal component analysis keeps the $d$-dimensional subspace through the data that loses the least squared error. Its code is $z = U^\top (x - \bar x)$, where the columns of $U$ are the top $d$ eigenvectors of the covariance $C$ of the training images: orthonormal, ordered by variance.

There is nothing to learn step by step: one pass over the 60,000 digits builds $C$, and an eigensolver finishes the job. Press Step once (it takes a few seconds).`,
      task: 'Fit PCA: press Step once',
      highlight: 'step',
      panels: ['pca', 'elbo', 'recon'],
      done: (ctx) => ctx.settings.model === 'pca' && trainedSince(ctx, 1),
      live: squaredErrorLine,
    },
    {
      title: 'Read the numbers',
      text: String.raw`The error PCA leaves is exactly the variance it drops: $\frac1N\sum_n \lVert x_n - \hat x_n\rVert^2 = \sum_{i > d} \lambda_i$. The panel lists $\lambda_1, \dots, \lambda_d$ and the share of the total they explain, and draws each eigenvector as an image: the eigen-digits.

No linear code with $d$ numbers can reconstruct the training digits better. Remember this number: it is the floor.`,
      highlight: 'pca',
      panels: ['pca', 'math'],
      live: squaredErrorLine,
    },
    {
      title: 'Now the linear autoencoder',
      text: String.raw`Choose the Autoencoder in the model select. The lesson has already set its activation to linear and its likelihood to Gaussian, so $\hat x = W_d W_e x + b$ and the loss is $C\lVert x - \hat x\rVert^2$ plus a constant: PCA's objective, minimised by gradient steps instead of an eigensolver.`,
      task: 'Switch the model to Autoencoder, then train 300 steps',
      highlight: 'model-select',
      panels: ['pca', 'elbo'],
      done: (ctx) => linearAe(ctx) && freshRunPast(ctx, 300),
      live: squaredErrorLine,
    },
    {
      title: "Onto PCA's floor",
      text: String.raw`The panel fits PCA to the same training images with the same $d$ and draws it as a dashed line. Keep training: the autoencoder's error falls onto that line and never below it, and the principal angles between its decoder's subspace and PCA's shrink towards $0^\circ$.`,
      task: 'Train 1,000 more steps',
      highlight: 'pca',
      panels: ['pca', 'elbo'],
      done: (ctx) => linearAe(ctx) && trainedSince(ctx, 1000),
      live: squaredErrorLine,
    },
    {
      title: 'Same subspace, another basis',
      text: String.raw`For any invertible $d \times d$ matrix $A$, the pair $(A W_e,\ W_d A^{-1})$ reconstructs exactly as well as $(W_e, W_d)$. So gradient descent reaches PCA's subspace (Baldi & Hornik 1989) but settles on one of many bases: compare the autoencoder's decoder directions with the eigen-digits. They are mixtures of them, not orthogonal and not ordered by variance.`,
      highlight: 'pca',
      panels: ['pca', 'latent'],
    },
    {
      title: 'More dimensions',
      text: String.raw`Raise the latent size to 8. PCA's floor drops (each extra direction keeps more variance), and the autoencoder has eight angles to close; the last ones, along directions of small variance, close slowest.`,
      task: 'Set Latent size to 8 or more, then train 300 steps',
      highlight: 'setting-latent',
      panels: ['pca', 'elbo', 'recon'],
      done: (ctx) => ctx.settings.latentDim >= 8 && freshRunPast(ctx, 300),
      live: squaredErrorLine,
    },
  ],
};

export default lesson;
