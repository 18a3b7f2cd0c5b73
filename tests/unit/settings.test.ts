import { describe, expect, it } from 'vitest';
import {
  configProblems,
  defaultSettings,
  parseSettings,
  SETTINGS,
  settingsFromUrl,
  settingsToHash,
  trainConfigOf,
  urlOfSettings,
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
      dataset: 'mnist',
    });
    expect(settingsToHash(defaultSettings())).toBe('');
  });

  it('round-trips every setting through the URL hash', () => {
    const s: Settings = {
      backend: 'wasm',
      dataset: 'fashion-mnist',
      closedPanels: 'manifold,gumbel',
      lesson: 'vae-elbo',
      lessonStep: 3,
      present: true,
      hide: 'options,benchmark',
      embed: 'interp',
      pretrained: 'vae-2d',
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
      clusters: 200,
      codeOptimizer: 'sgd',
      codeLearningRate: 10,
      codeInit: 'random',
      inferSteps: 20,
      tokenizerKind: 'dvae',
      priorLayers: 4,
      priorHeads: 2,
      priorWidth: 128,
      priorDropout: 0.2,
      conditional: false,
    };
    // Every key differs from its default, so every key is written and read back.
    for (const k of Object.keys(SETTINGS) as (keyof Settings)[])
      expect(s[k], k).not.toBe(SETTINGS[k].default);
    const hash = settingsToHash(s);
    expect(hash).toBe(
      '#backend=wasm&dataset=fashion-mnist&closed=manifold%2Cgumbel&embed=interp&pretrained=vae-2d' +
        '&model=ae&arch=conv&latent=16&hidden=256&lr=0.0003&batch=64&beta=4.5&seed=42' +
        '&likelihood=gaussian&sigma=0.2&binarize=dynamic&warmup=sigmoid&warmupSteps=2000&freeBits=0.25&act=linear' +
        '&codes=128&codeDim=8&channels=16&commitment=0.5&ema=true&emaDecay=0.9&kmeans=false&restart=3' +
        '&tau=exp&tauEnd=0.5&tauSteps=3000&tauRate=0.0002&hard=true&categorical=30&classes=8&clusters=200' +
        '&codeOpt=sgd&codeLr=10&codeInit=random&inferSteps=20' +
        '&tokenizer-kind=dvae&layers=4&heads=2&width=128&dropout=0.2&conditional=false' +
        '&lesson=vae-elbo&step=3&present=1&hide=options%2Cbenchmark',
    );
    expect(parseSettings(hash)).toEqual({ settings: s, notices: [] });
    expect(settingsFromUrl('', hash)).toEqual({ settings: s, notices: [] });
    // An older link with the same settings in the query reads the same.
    expect(settingsFromUrl(hash.replace('#', '?'), '')).toEqual({ settings: s, notices: [] });
  });

  it('gives every setting its own URL key', () => {
    const keys = Object.values(SETTINGS).map((spec) => spec.url);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads an old ?query link, and the hash wins where both name a key', () => {
    const { settings, notices } = settingsFromUrl(
      '?model=vqvae&latent=500&seed=7',
      '#latent=8&beta=2',
    );
    expect(settings).toEqual({
      ...defaultSettings(),
      model: 'vqvae',
      latentDim: 8,
      seed: 7,
      beta: 2,
    });
    expect(notices).toEqual([]); // latent=500 in the query lost to the hash, so it is not checked
    expect(settingsToHash(settings)).toBe('#model=vqvae&latent=8&beta=2&seed=7');
  });

  it('reports a bad value in the hash like one in the query, and an unknown dataset', () => {
    expect(settingsFromUrl('', '#latent=1&dataset=cifar').notices).toEqual([
      'Ignored dataset=cifar in the URL (expected one of mnist, fashion-mnist, kmnist); using mnist.',
      'Ignored latent=1 in the URL (expected a whole number from 2 to 64); using 2.',
    ]);
    expect(parseSettings('latent=8').settings.latentDim).toBe(8); // bare parameters too
    expect(parseSettings('#').settings).toEqual(defaultSettings());
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

  it('checks a stored config (a checkpoint file) with the same table, one message per bad value', () => {
    const { backend: _b, dataset: _d, ...config } = defaultSettings();
    expect(configProblems(config)).toEqual([]);
    expect(
      configProblems({
        ...config,
        channels: 32_000_000,
        likelihood: 'bernowlli',
        hard: 'yes',
        seed: 1.5,
        futureSetting: 3, // a newer version's key: not ours to judge
        backend: 'quantum', // not part of a training config
      }),
    ).toEqual([
      'config.seed is 1.5 (expected a whole number from 0 to 2147483647)',
      'config.likelihood is "bernowlli" (expected one of bernoulli, gaussian)',
      'config.channels is 32000000 (expected a whole number from 1 to 128)',
      'config.hard is "yes" (expected a boolean)',
    ]);
  });

  it('writes the URL as the path and the hash, keeping parameters that are not settings', () => {
    const s = { ...defaultSettings(), latentDim: 8 };
    const at = (search: string, hash: string) =>
      urlOfSettings(s, { pathname: '/lab/', search, hash });
    expect(at('', '')).toBe('/lab/#latent=8');
    expect(at('?latent=4&datasetBase=http%3A%2F%2F127.0.0.1%3A9%2F', '#testHooks')).toBe(
      '/lab/#latent=8&datasetBase=http%3A%2F%2F127.0.0.1%3A9%2F&testHooks=',
    );
    expect(urlOfSettings(defaultSettings(), { pathname: '/', search: '?beta=1', hash: '' })).toBe(
      '/',
    );
  });

  it('reads a trained model id (#pretrained=vae-2d), page only: not a training setting', () => {
    const { settings } = parseSettings('#pretrained=vae-2d');
    expect(settings.pretrained).toBe('vae-2d');
    expect(trainConfigOf(settings)).not.toHaveProperty('pretrained');
    const bad = parseSettings('#pretrained=..%2Fsecret');
    expect(bad.settings.pretrained).toBe('');
    expect(bad.notices.join(' ')).toMatch(/id of a trained model/);
    expect(configProblems({ pretrained: 7 })).toEqual([]);
  });

  it('keeps folded panels in page order and refuses unknown panel names', () => {
    expect(parseSettings('#closed=gumbel,manifold').settings.closedPanels).toBe('manifold,gumbel');
    const bad = parseSettings('#closed=manifold,bogus');
    expect(bad.settings.closedPanels).toBe('');
    expect(bad.notices.join(' ')).toMatch(/bogus/);
  });
});
