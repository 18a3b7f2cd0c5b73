/**
 * The second stage of a discrete-latent model: a new prior over codes takes its frozen tokenizer
 * from the run before it — the VQ-VAE or dVAE that was training, or the tokenizer inside the prior
 * that was (a prior restarted with other transformer settings keeps its tokenizer). Weights are
 * copied only when the kind and every shape match; otherwise the prior's tokenizer stays as built
 * (untrained) and the message says so.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../contracts/config';
import type { LatentModel } from '../models/latent-model';

/** The checkpoint variables of the tokenizer in `model` (a tokenizer itself, or a prior's). */
function tokenizerOf(model: LatentModel, config: TrainConfig, kind: TrainConfig['model']) {
  if (config.model === 'prior')
    return config.tokenizerKind === kind ? model.tokenizerVariables : undefined;
  return config.model === kind ? (model.savedVariables ?? model.variables) : undefined;
}

/**
 * Copies the tokenizer from `from` (running with `fromConfig`) into the prior `to` (with `toConfig`).
 * Returns what happened, in words, for the run's events; null when `to` is not a prior.
 */
export function carryTokenizer(
  from: { model: LatentModel; config: TrainConfig; step: number } | null,
  to: LatentModel,
  toConfig: TrainConfig,
): string | null {
  const target = to.tokenizerVariables;
  if (toConfig.model !== 'prior' || !target) return null;
  const kind = toConfig.tokenizerKind;
  const name = kind === 'vqvae' ? 'VQ-VAE' : 'dVAE';
  const untrained = `This prior's ${name} tokenizer is untrained: its codes mean nothing yet. Train a ${name} first and press "Train a prior on these codes", or open the pretrained prior.`;
  const source = from ? tokenizerOf(from.model, from.config, kind) : undefined;
  if (!from || !source) return untrained;
  const fits =
    source.length === target.length &&
    source.every((v, i) => tf.util.arraysEqual(v.shape, target[i]!.shape));
  if (!fits)
    return `The ${name} before this run has other settings than this prior's tokenizer, so it could not be carried over. ${untrained}`;
  source.forEach((v, i) => target[i]!.assign(v));
  return from.config.model === 'prior'
    ? `The prior kept its frozen ${name} tokenizer and starts over.`
    : `The prior models the codes of the ${name} as it was at step ${from.step}, now frozen.`;
}
