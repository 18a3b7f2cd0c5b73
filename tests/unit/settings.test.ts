import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  parseSettings,
  settingsToSearch,
  type Settings,
} from '../../src/state/settings';

describe('settings table and URL', () => {
  it('defaults match the foundation issue: 2-D latent, Adam 1e-3, batch 128, β = 1, WebGPU first', () => {
    expect(defaultSettings()).toMatchObject({
      backend: 'webgpu',
      model: 'vae',
      latentDim: 2,
      hiddenDim: 512,
      learningRate: 1e-3,
      batchSize: 128,
      beta: 1,
      seed: 1,
      likelihood: 'bernoulli',
      binarize: 'none',
      warmup: 'none',
      freeBits: 0,
    });
    expect(settingsToSearch(defaultSettings())).toBe('');
  });

  it('round-trips every setting through the query string', () => {
    const s: Settings = {
      backend: 'wasm',
      model: 'ae',
      arch: 'conv',
      latentDim: 16,
      hiddenDim: 256,
      learningRate: 3e-4,
      batchSize: 64,
      beta: 4.5,
      seed: 42,
      likelihood: 'gaussian',
      sigma: 0.2,
      binarize: 'dynamic',
      warmup: 'sigmoid',
      warmupSteps: 2000,
      freeBits: 0.25,
      activation: 'linear',
      codebookSize: 128,
      codeDim: 8,
      channels: 16,
      commitment: 0.5,
      ema: true,
      emaDecay: 0.9,
      kmeansInit: false,
      deadCodeThreshold: 3,
      tauSchedule: 'exp',
      tauEnd: 0.5,
      tauSteps: 3000,
      tauRate: 0.0002,
      hard: true,
      categorical: 30,
      classes: 8,
    };
    const search = settingsToSearch(s);
    expect(search).toBe(
      '?backend=wasm&model=ae&arch=conv&latent=16&hidden=256&lr=0.0003&batch=64&beta=4.5&seed=42' +
        '&likelihood=gaussian&sigma=0.2&binarize=dynamic&warmup=sigmoid&warmupSteps=2000&freeBits=0.25&act=linear' +
        '&codes=128&codeDim=8&channels=16&commitment=0.5&ema=true&emaDecay=0.9&kmeans=false&restart=3' +
        '&tau=exp&tauEnd=0.5&tauSteps=3000&tauRate=0.0002&hard=true&categorical=30&classes=8',
    );
    expect(parseSettings(search)).toEqual({ settings: s, notices: [] });
  });

  it('falls back to the default with a notice for each bad value, keeping the good ones', () => {
    const { settings, notices } = parseSettings(
      '?backend=quantum&latent=1&lr=abc&beta=-1&batch=64&seed=1.5&lr2=9',
    );
    expect(settings).toEqual({ ...defaultSettings(), batchSize: 64 });
    expect(notices).toEqual([
      'Ignored backend=quantum in the URL (expected one of webgpu, webgl, wasm, cpu); using webgpu.',
      'Ignored latent=1 in the URL (expected a whole number from 2 to 64); using 2.',
      'Ignored lr=abc in the URL (expected a number from 0.000001 to 1000); using 0.001.',
      'Ignored beta=-1 in the URL (expected a number from 0 to 100); using 1.',
      'Ignored seed=1.5 in the URL (expected a whole number from 0 to 2147483647); using 1.',
    ]);
  });

  it('rejects an empty value rather than reading it as zero', () => {
    expect(parseSettings('?beta=').settings.beta).toBe(1);
    expect(parseSettings('?beta=0').settings.beta).toBe(0);
  });
});
