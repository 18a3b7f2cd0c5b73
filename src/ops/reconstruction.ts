/**
 * The reconstruction term −log p(x | z) for either likelihood, from decoder logits ℓ [B, P].
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../contracts/config';
import { bernoulliNllFromLogits } from './bernoulli';
import { gaussianNllFixedSigma } from './gaussian-likelihood';

/** Per-image negative log-likelihood in nats.   ℓ, x [B, P] → [B] */
export function reconstructionNll(
  logits: tf.Tensor2D,
  x: tf.Tensor2D,
  likelihood: Likelihood,
  sigma: number,
): tf.Tensor1D {
  return likelihood === 'bernoulli'
    ? bernoulliNllFromLogits(logits, x)
    : gaussianNllFixedSigma(logits, x, sigma);
}
