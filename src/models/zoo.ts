/**
 * The zoo: builds the model a TrainConfig names. Options each model does not use are ignored.
 */
import type { TrainConfig } from '../train/config';
import { Autoencoder } from './autoencoder';
import type { LatentModel } from './latent-model';
import { Vae } from './vae';

export function createModel(c: TrainConfig, inputDim: number): LatentModel {
  switch (c.model) {
    case 'vae':
      return new Vae({
        inputDim,
        hiddenDim: c.hiddenDim,
        latentDim: c.latentDim,
        activation: c.activation,
        likelihood: c.likelihood,
        sigma: c.sigma,
        beta: c.beta,
        warmup: c.warmup,
        warmupSteps: c.warmupSteps,
        freeBits: c.freeBits,
        seed: c.seed,
      });
    case 'ae':
      return new Autoencoder({
        inputDim,
        hiddenDim: c.hiddenDim,
        latentDim: c.latentDim,
        activation: c.activation,
        likelihood: c.likelihood,
        sigma: c.sigma,
        seed: c.seed,
      });
    default: {
      const unknown: never = c.model;
      throw new Error(`unknown model "${String(unknown)}"`);
    }
  }
}
