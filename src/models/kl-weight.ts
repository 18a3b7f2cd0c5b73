/**
 * The KL weight w(t) a TrainConfig describes (β times the warm-up ramp), shared by the VAE and
 * the dVAE.
 */
import { KL_WEIGHT_DEFAULTS, klWeightAt, type KlWeightSchedule } from '../core/schedules';
import type { TrainConfig } from '../contracts/config';

export type KlWeightOptions = Pick<TrainConfig, 'beta' | 'warmup' | 'warmupSteps'>;

export function klWeightSchedule({ beta, warmup, warmupSteps }: KlWeightOptions): KlWeightSchedule {
  return warmup === 'none'
    ? { ...KL_WEIGHT_DEFAULTS.constant, beta }
    : { ...KL_WEIGHT_DEFAULTS[warmup], steps: warmupSteps, beta };
}

export function klWeightFor(o: KlWeightOptions, step: number): number {
  return klWeightAt(klWeightSchedule(o), step);
}
