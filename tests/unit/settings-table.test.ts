// The settings table and what is derived from it: defaults, the reset rule, the catalog's lists
// of the settings each model reads, and the options panel.
import { describe, expect, it } from 'vitest';
import { fittingOf, MODEL_CATALOG, MODEL_KINDS } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import {
  domainText,
  parseSetting,
  settingApplies,
  SETTING_KEYS,
  SETTING_ROWS,
  startsNewRun,
  type SettingKey,
} from '../../src/contracts/settings';
import { defaultSettings } from '../../src/state/settings';
import { runHint, settingsFor } from '../../src/ui/controls/shown-settings';

describe('settings table', () => {
  it('each default is a valid value of its own row, and TRAIN_DEFAULTS are the defaults', () => {
    for (const k of SETTING_KEYS) {
      const row = SETTING_ROWS[k];
      expect(parseSetting(k, String(row.default)), k).toEqual({ value: row.default });
      expect(TRAIN_DEFAULTS[k], k).toBe(row.default);
    }
  });

  it('numbers offered by a select lie in their range', () => {
    for (const k of SETTING_KEYS) {
      const d = SETTING_ROWS[k].domain;
      if (d.kind !== 'integer' && d.kind !== 'real') continue;
      for (const v of d.choices ?? [])
        expect(parseSetting(k, String(v)), `${k}=${v}`).toEqual({ value: v });
    }
    expect(domainText(SETTING_ROWS.latentDim.domain)).toBe('a whole number from 2 to 64');
  });

  it('marks which settings start a new run (the rest apply to the running model)', () => {
    const reset = SETTING_KEYS.filter((k) => startsNewRun(k));
    expect(reset).toEqual([
      'model',
      'arch',
      'latentDim',
      'hiddenDim',
      'seed',
      'likelihood',
      'binarize',
      'activation',
      'codebookSize',
      'codeDim',
      'channels',
      'ema',
      'kmeansInit',
      'categorical',
      'classes',
      'clusters',
      'codeOptimizer',
      'codeInit',
      'tokenizerKind',
      'priorLayers',
      'priorHeads',
      'priorWidth',
      'conditional',
    ]);
    // The page's own settings are not training settings: the page handles them itself.
    for (const k of ['backend', 'dataset', 'closedPanels', 'constructor'])
      expect(startsNewRun(k)).toBe(false);
  });

  it("lists in each catalog row only the table's settings, once, and the settings their conditions name", () => {
    for (const m of MODEL_KINDS) {
      const reads = MODEL_CATALOG[m].settings;
      expect(new Set(reads).size, m).toBe(reads.length);
      for (const k of reads) {
        expect(SETTING_KEYS, `${m}.${k}`).toContain(k);
        for (const dep of Object.keys(SETTING_ROWS[k].when ?? {}) as SettingKey[])
          expect(reads, `${m}: ${k} depends on ${dep}`).toContain(dep);
      }
      // Every model reads the model and the seed; those trained by gradient steps also the step
      // size and the batch (a model fitted without gradients has neither: catalog `fitting`).
      const gradient = fittingOf(MODEL_CATALOG[m].traits) === 'gradient';
      for (const k of ['model', 'seed'] as const) expect(reads).toContain(k);
      for (const k of ['learningRate', 'batchSize'] as const)
        expect(reads.includes(k), `${m}.${k}`).toBe(gradient);
    }
  });

  it('applies a setting only under its conditions', () => {
    expect(settingApplies('sigma', TRAIN_DEFAULTS)).toBe(false);
    expect(settingApplies('sigma', { ...TRAIN_DEFAULTS, likelihood: 'gaussian' })).toBe(true);
    expect(settingApplies('tauRate', { ...TRAIN_DEFAULTS, tauSchedule: 'exp' })).toBe(true);
    expect(settingApplies('tauSteps', { ...TRAIN_DEFAULTS, tauSchedule: 'exp' })).toBe(false);
    expect(settingApplies('beta', TRAIN_DEFAULTS)).toBe(true);
  });
});

describe('options panel from the table', () => {
  it('shows the settings each model reads, beside the buttons or under Model options', () => {
    const s = defaultSettings();
    expect(settingsFor(s)).toEqual({
      main: ['model', 'latentDim', 'learningRate', 'batchSize', 'beta', 'backend'],
      more: ['hiddenDim', 'likelihood', 'binarize', 'activation', 'warmup', 'freeBits'],
    });
    expect(settingsFor({ ...s, model: 'ae', likelihood: 'gaussian' }).more).toEqual([
      'hiddenDim',
      'likelihood',
      'sigma',
      'binarize',
      'activation',
    ]);
    expect(settingsFor({ ...s, model: 'vqvae', ema: true })).toEqual({
      main: ['model', 'codebookSize', 'codeDim', 'learningRate', 'batchSize', 'backend'],
      more: [
        'channels',
        'commitment',
        'ema',
        'emaDecay',
        'kmeansInit',
        'deadCodeThreshold',
        'likelihood',
        'binarize',
      ],
    });
    expect(settingsFor({ ...s, model: 'catvae', tauSchedule: 'exp' })).toEqual({
      main: ['model', 'categorical', 'classes', 'learningRate', 'batchSize', 'beta', 'backend'],
      more: ['hard', 'tauSchedule', 'tauEnd', 'tauRate', 'binarize'],
    });
  });

  it('says which shown settings start a new run and which apply live', () => {
    const { main, more } = settingsFor({ ...defaultSettings(), model: 'vqvae' });
    expect(runHint([...main, ...more])).toBe(
      'Model, Codebook size K, Code size D, Conv channels h, EMA codebook, k-means init, ' +
        'Likelihood, Binarisation and Backend start a new run; ' +
        'Learning rate, Batch size, Commitment β and Dead-code threshold apply to the running model.',
    );
  });
});
