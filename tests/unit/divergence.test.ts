import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { divergenceCauses, explainDivergence } from '../../src/contracts/divergence';

const c = (over: Partial<TrainConfig>): TrainConfig => ({ ...TRAIN_DEFAULTS, ...over });

describe('divergence explanations', () => {
  it('names a high learning rate first, with its value', () => {
    const text = explainDivergence(c({ learningRate: 1000 }), {
      step: 3,
      cause: 'loss',
      value: NaN,
      schedule: { beta: 1 },
    });
    expect(text).toMatch(/^The loss became NaN at step 3, so training paused\./);
    expect(text).toMatch(/learning rate 1000 is far above/);
    expect(text).toMatch(/roll back/);
  });

  it('blames a low τ only for the Gumbel-softmax models', () => {
    const schedule = { tau: 0.03 };
    expect(divergenceCauses(c({ model: 'dvae' }), schedule).join()).toMatch(/τ = 0.03 is low/);
    expect(divergenceCauses(c({ model: 'catvae' }), schedule).join()).toMatch(/τ = 0.03/);
    expect(divergenceCauses(c({ model: 'vqvae' }), schedule)).toEqual([]);
    expect(divergenceCauses(c({ model: 'dvae' }), { tau: 0.5 })).toEqual([]);
  });

  it('mentions a heavy β and a sharp Gaussian likelihood where the model has them', () => {
    expect(divergenceCauses(c({ beta: 50 }), {}).join()).toMatch(/β = 50/);
    expect(divergenceCauses(c({ model: 'vqvae', beta: 50 }), {})).toEqual([]);
    expect(divergenceCauses(c({ likelihood: 'gaussian', sigma: 0.01 }), {}).join()).toMatch(
      /σ = 0.01.*C = 5000/,
    );
  });

  it('says so when no setting stands out, and reports a weight cause', () => {
    const text = explainDivergence(c({}), { step: 9, cause: 'weights', schedule: {} });
    expect(text).toMatch(/^A weight became NaN or infinite by step 9/);
    expect(text).toMatch(/No setting stands out/);
  });
});
