/**
 * The zoo: builds the model a TrainConfig names. Options each model does not use are ignored.
 * `train`, the training set on the device [N, P], is for models with a parameter per training
 * image (GLO's code table); they keep a reference to it and never dispose it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../contracts/config';
import { Autoencoder } from './autoencoder';
import type { LatentModel } from './latent-model';
import { CategoricalVae } from './categorical-vae';
import { Cvae } from './cvae';
import { Dvae } from './dvae';
import { Pca } from './pca';
import { KMeans } from './kmeans';
import { BernoulliMixture } from './mixture';
import { Glo } from './glo';
import { TOKEN_PRIOR_DEFAULTS, TokenPrior } from './token-prior';
import { Vae } from './vae';
import { VqVae } from './vq-vae';

/**
 * `train`: the training set, which a model with one code per training image (GLO) needs.
 * `labelClasses`: K label classes of the dataset, which a conditional model's one-hot needs
 * (the trainer passes the dataset's; 10 where no dataset is at hand).
 */
export function createModel(
  c: TrainConfig,
  inputDim: number,
  train: tf.Tensor2D | null = null,
  labelClasses = 10,
): LatentModel {
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
    case 'pca':
      return new Pca({ inputDim, latentDim: c.latentDim, seed: c.seed });
    case 'kmeans':
      return new KMeans({ inputDim, clusters: c.clusters, seed: c.seed });
    case 'mixture':
      return new BernoulliMixture({ inputDim, components: c.clusters, seed: c.seed });
    case 'glo':
      if (!train)
        throw new Error('GLO learns one code per training image: it needs the training set');
      return new Glo(
        {
          arch: c.arch,
          inputDim,
          hiddenDim: c.hiddenDim,
          latentDim: c.latentDim,
          activation: c.activation,
          likelihood: c.likelihood,
          sigma: c.sigma,
          codeOptimizer: c.codeOptimizer,
          codeLearningRate: c.codeLearningRate,
          codeInit: c.codeInit,
          inferSteps: c.inferSteps,
          seed: c.seed,
        },
        train,
      );
    case 'cvae':
      return new Cvae({
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
        labelClasses,
      });
    case 'prior':
      // The tokenizer is built from the same flat config (its settings ride along unchanged).
      return new TokenPrior(
        {
          ...TOKEN_PRIOR_DEFAULTS,
          layers: c.priorLayers,
          heads: c.priorHeads,
          width: c.priorWidth,
          dropout: c.priorDropout,
          conditional: c.conditional,
          classes: labelClasses,
          seed: c.seed,
        },
        createModel({ ...c, model: c.tokenizerKind }, inputDim, train, labelClasses),
        train,
      );
    default: {
      const unknown: never = c.model;
      throw new Error(`unknown model "${String(unknown)}"`);
    }
  }
}
