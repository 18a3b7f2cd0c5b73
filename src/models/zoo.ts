/**
 * The zoo: builds the model a TrainConfig names. Options each model does not use are ignored.
 */
import type { TrainConfig } from '../contracts/config';
import { Autoencoder } from './autoencoder';
import type { LatentModel } from './latent-model';
import { CategoricalVae } from './categorical-vae';
import { Dvae } from './dvae';
import { Vae } from './vae';
import { VqVae } from './vq-vae';

export function createModel(c: TrainConfig, inputDim: number): LatentModel {
  switch (c.model) {
    case 'vae':
      return new Vae({
        arch: c.arch,
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
        arch: c.arch,
        inputDim,
        hiddenDim: c.hiddenDim,
        latentDim: c.latentDim,
        activation: c.activation,
        likelihood: c.likelihood,
        sigma: c.sigma,
        seed: c.seed,
      });
    case 'vqvae':
      return new VqVae({
        codebookSize: c.codebookSize,
        codeDim: c.codeDim,
        hidden: c.channels,
        likelihood: c.likelihood,
        sigma: c.sigma,
        commitment: c.commitment,
        ema: c.ema,
        emaDecay: c.emaDecay,
        kmeansInit: c.kmeansInit,
        deadCodeThreshold: c.deadCodeThreshold,
        seed: c.seed,
      });
    case 'dvae':
      return new Dvae({
        codebookSize: c.codebookSize,
        codeDim: c.codeDim,
        hidden: c.channels,
        hard: c.hard,
        beta: c.beta,
        warmup: c.warmup,
        warmupSteps: c.warmupSteps,
        tauSchedule: c.tauSchedule,
        tauEnd: c.tauEnd,
        tauSteps: c.tauSteps,
        tauRate: c.tauRate,
        seed: c.seed,
      });
    case 'catvae':
      return new CategoricalVae({
        inputDim,
        categorical: c.categorical,
        classes: c.classes,
        hard: c.hard,
        beta: c.beta,
        tauSchedule: c.tauSchedule,
        tauEnd: c.tauEnd,
        tauSteps: c.tauSteps,
        tauRate: c.tauRate,
        seed: c.seed,
      });
    default: {
      const unknown: never = c.model;
      throw new Error(`unknown model "${String(unknown)}"`);
    }
  }
}
