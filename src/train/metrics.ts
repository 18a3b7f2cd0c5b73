/**
 * What training reports, as plain numbers (no TF.js here): per-step loss terms and
 * evaluations on the fixed probe digits. All losses are in nats per image.
 */

/** Loss terms of consecutive training steps, in nats per image. */
export interface StepMetrics {
  steps: number[];
  recon: number[];
  kl: number[];
  negElbo: number[];
}

export interface TestTerms {
  recon: number;
  kl: number;
  negElbo: number;
}

export interface EvalResult {
  step: number;
  epoch: number;
  test: TestTerms;
  /** PROBE_COUNT × 2 points: posterior means (D = 2) or their first two principal components. */
  latent: Float32Array;
  latentKind: 'posterior-mean' | 'pca';
  /** RECON_COUNT × H·W pixel probabilities of the decoded posterior means. */
  reconstructions: Float32Array;
}
