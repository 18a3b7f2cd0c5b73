/**
 * The Gumbel-softmax temperature schedule a TrainConfig describes, shared by the dVAE and the
 * categorical VAE.
 */
import {
  GUMBEL_TEMPERATURE_DEFAULTS,
  gumbelTemperatureAt,
  type GumbelTemperatureSchedule,
} from '../core/schedules';
import type { TrainConfig } from '../contracts/config';

export type TemperatureOptions = Pick<
  TrainConfig,
  'tauSchedule' | 'tauEnd' | 'tauSteps' | 'tauRate'
>;

export function temperatureSchedule(o: TemperatureOptions): GumbelTemperatureSchedule {
  switch (o.tauSchedule) {
    case 'constant':
      return { kind: 'constant', tau: o.tauEnd };
    case 'exp':
      return { ...GUMBEL_TEMPERATURE_DEFAULTS.exp, tauMin: o.tauEnd, rate: o.tauRate };
    case 'cosine':
      return { ...GUMBEL_TEMPERATURE_DEFAULTS.cosine, tauEnd: o.tauEnd, steps: o.tauSteps };
  }
}

export function temperatureAt(o: TemperatureOptions, step: number): number {
  return gumbelTemperatureAt(temperatureSchedule(o), step);
}
