/**
 * Plain-data training configuration shared by the worker, the UI state and the CLI.
 * No TF.js import here, so the main thread can use these types and defaults freely.
 */

/** TF.js backends in the order we prefer them: a real GPU first, then CPU paths. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface TrainConfig {
  /** Latent size D of the VAE (2–64). */
  latentDim: number;
  /** Hidden units of the MLP encoder and decoder. */
  hiddenDim: number;
  /** Adam step size. */
  learningRate: number;
  /** Images per training step. */
  batchSize: number;
  /** Weight β on the KL term in the objective (β = 1 is the plain ELBO). */
  beta: number;
  /** Seed for initialisation, shuffling and sampling noise. */
  seed: number;
}

export const TRAIN_DEFAULTS: TrainConfig = {
  latentDim: 2,
  hiddenDim: 512,
  learningRate: 1e-3,
  batchSize: 128,
  beta: 1,
  seed: 1,
};

/** Settings whose change needs a fresh model (the others apply to the running one). */
export const RESET_KEYS: readonly (keyof TrainConfig)[] = ['latentDim', 'hiddenDim', 'seed'];

/** Number of fixed test digits drawn in the latent scatter and used for the test −ELBO. */
export const PROBE_COUNT = 2000;
/** Number of fixed test digits shown with their reconstructions. */
export const RECON_COUNT = 16;
