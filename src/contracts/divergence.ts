/**
 * Why a run diverged, in words a learner can act on. Looks at the settings in force when the
 * loss or a weight stopped being finite and names the usual suspects, most likely first:
 * Adam's step size, a heavy KL weight β, a sharp Gaussian likelihood (small σ) and, for the
 * Gumbel-softmax models, a low temperature τ (gradients through the relaxed sample scale ~1/τ;
 * Jang et al. 2017, https://arxiv.org/abs/1611.01144). Plain data in, a sentence out.
 */
import { MODEL_CATALOG } from './catalog';
import type { TrainConfig } from './config';

/** What stopped being finite: the read-back loss, or a weight (checked at the same read-back). */
export type DivergenceCause = 'loss' | 'weights';

export interface Divergence {
  step: number;
  cause: DivergenceCause;
  /** The loss value read back (NaN, Infinity …) when the cause is the loss. */
  value?: number;
  /** Schedule values at that step (β, KL weight, τ …). */
  schedule: Record<string, number>;
}

/** Above this Adam step size a run on these models usually blows up (1e-3 is the default). */
export const HIGH_LEARNING_RATE = 1e-2;
/** Gumbel-softmax temperatures below this make gradients large and noisy. */
export const LOW_TAU = 0.1;
const HIGH_BETA = 20;
const SMALL_SIGMA = 0.03;

/** The likely causes, most likely first (empty when no setting stands out). */
export function divergenceCauses(config: TrainConfig, schedule: Record<string, number>): string[] {
  const causes: string[] = [];
  const lr = config.learningRate;
  if (lr >= HIGH_LEARNING_RATE)
    causes.push(
      `the learning rate ${lr} is far above Adam's usual 0.001: each step moves the weights too far`,
    );
  const tau = schedule.tau;
  if (MODEL_CATALOG[config.model].traits.gumbel && tau !== undefined && tau < LOW_TAU)
    causes.push(
      `the Gumbel-softmax temperature τ = ${Number(tau.toPrecision(3))} is low: relaxed samples are nearly one-hot and their gradients grow like 1/τ (raise "τ end" or anneal over more steps)`,
    );
  if (MODEL_CATALOG[config.model].traits.kl && config.beta >= HIGH_BETA)
    causes.push(`β = ${config.beta} weights the KL term heavily`);
  if (
    MODEL_CATALOG[config.model].traits.likelihoods.includes('gaussian') &&
    config.likelihood === 'gaussian' &&
    config.sigma < SMALL_SIGMA
  )
    causes.push(
      `σ = ${config.sigma} makes the Gaussian loss C·‖x − x̂‖² steep (C = ${Math.round(1 / (2 * config.sigma ** 2))})`,
    );
  return causes;
}

/** The notice shown when training paused on divergence. */
export function explainDivergence(config: TrainConfig, d: Divergence): string {
  const what =
    d.cause === 'loss'
      ? `The loss became ${String(d.value ?? NaN)} at step ${d.step}`
      : `A weight became NaN or infinite by step ${d.step}`;
  const causes = divergenceCauses(config, d.schedule);
  const why =
    causes.length > 0
      ? `Likely cause${causes.length > 1 ? 's' : ''}: ${causes.join('; ')}.`
      : `No setting stands out; a smaller learning rate (now ${config.learningRate}) usually helps.`;
  return (
    `${what}, so training paused. ${why} ` +
    'Change the setting, then roll back to the last good save to continue, or press Reset.'
  );
}
