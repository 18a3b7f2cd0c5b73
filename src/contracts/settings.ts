/**
 * The settings table: one row per training setting, from which the rest is derived — the
 * defaults (TRAIN_DEFAULTS), which changes start a new run (`live: false`) and which apply to the
 * running model (`live: true`), URL and CLI parsing (state/settings.ts, cli/args.ts), the options
 * panel (ui/controls/ModelOptions.tsx) and the CLI's --help. Which models read a setting is the
 * catalog's `settings` list (contracts/catalog.ts).
 *
 * Adding a setting: one row — in SETTING_ROWS below for a setting most models share, or in
 * MODEL_SETTING_ROWS (contracts/settings-models.ts) for one of a single model family — and its
 * field in TrainConfig (contracts/config.ts); a live one is then tested on every model that reads
 * it (tests/unit/live-settings.test.ts).
 */
import type { TrainConfig } from './config';
import { MODEL_CATALOG, MODEL_KINDS, type ModelKind } from './catalog';
import { int, option, parseDomainValue, real, type Domain } from './domain';
import { ACTIVATIONS, ARCHITECTURES, BINARIZATIONS, LIKELIHOODS, WARMUPS } from './options';
import { MODEL_SETTING_ROWS } from './settings-models';

/** Where the page shows a setting: beside the buttons, under "Model options", or only in links. */
export type Place = 'main' | 'more' | 'link';

export interface SettingRow<T> {
  /** Key in the URL hash (and in the query of older links) and the CLI's --flag. */
  url: string;
  label: string;
  /** What it does, one line (the page's tooltip and the CLI's --help). */
  hint: string;
  domain: Domain;
  default: T;
  /** Applies to the running model (true), or a change starts a new run (false). */
  live: boolean;
  place: Place;
  /** Shown (and read) only while each named setting has one of the listed values. */
  when?: { [K in keyof TrainConfig]?: readonly TrainConfig[K][] };
}

export type SettingKey = keyof TrainConfig;
export { domainText, type Domain } from './domain';
export type SettingsTable = { [K in SettingKey]: SettingRow<TrainConfig[K]> };

/**
 * The rows in URL order (links and --help list them in this order): the shared rows, then the
 * model-specific ones of contracts/settings-models.ts. Read every row from here.
 */
export const SETTING_ROWS: SettingsTable = {
  model: {
    url: 'model',
    label: 'Model',
    hint: 'Which model of the zoo',
    domain: {
      kind: 'option',
      options: MODEL_KINDS,
      text: (k) => MODEL_CATALOG[k as ModelKind].label,
    },
    default: 'vae',
    live: false,
    place: 'main',
  },
  arch: {
    url: 'arch',
    label: 'Architecture',
    hint: 'AE / VAE networks: MLP, or convolutional',
    domain: option(ARCHITECTURES),
    default: 'mlp',
    live: false,
    place: 'link',
  },
  latentDim: {
    url: 'latent',
    label: 'Latent size',
    hint: 'Size of the latent code z',
    domain: int(2, 64, { choices: [2, 4, 8, 16, 32, 64] }),
    default: 2,
    live: false,
    place: 'main',
  },
  hiddenDim: {
    url: 'hidden',
    label: 'Hidden units',
    hint: 'Hidden units of the MLP encoder and decoder',
    domain: int(8, 2048, { choices: [128, 256, 400, 512, 1024] }),
    default: 512,
    live: false,
    place: 'more',
  },
  learningRate: {
    url: 'lr',
    label: 'Learning rate',
    hint: 'Adam step size',
    domain: real(1e-6, 1e3, { choices: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 1e-1, 1, 1e3] }),
    default: 1e-3,
    live: true,
    place: 'main',
  },
  batchSize: {
    url: 'batch',
    label: 'Batch size',
    hint: 'Images per step',
    domain: int(1, 1024, { choices: [32, 64, 128, 256, 512] }),
    default: 128,
    live: true,
    place: 'main',
  },
  beta: {
    url: 'beta',
    label: 'β (KL weight)',
    hint: 'Weight on the KL term (1 = plain ELBO)',
    domain: real(0, 100, { step: 0.1 }),
    default: 1,
    live: true,
    place: 'main',
  },
  seed: {
    url: 'seed',
    label: 'Seed',
    hint: 'Seed of the initial weights, the shuffles and the sampling noise',
    domain: int(0, 2 ** 31 - 1),
    default: 1,
    live: false,
    place: 'link',
  },
  likelihood: {
    url: 'likelihood',
    label: 'Likelihood',
    hint: 'p(x|z): Bernoulli on pixels, or Gaussian with fixed σ',
    domain: option(LIKELIHOODS),
    default: 'bernoulli',
    live: false,
    place: 'more',
  },
  sigma: {
    url: 'sigma',
    label: 'σ (Gaussian)',
    hint: 'σ of the Gaussian likelihood (loss weight 1/(2σ²))',
    domain: real(0.01, 10, { step: 0.01 }),
    default: 0.1,
    live: true,
    place: 'more',
    when: { likelihood: ['gaussian'] },
  },
  binarize: {
    url: 'binarize',
    label: 'Binarisation',
    hint: 'none: grey pixels; static: sampled once; dynamic: re-sampled every step',
    domain: option(BINARIZATIONS),
    default: 'none',
    live: false,
    place: 'more',
  },
  warmup: {
    url: 'warmup',
    label: 'KL warm-up',
    hint: 'Ramp the KL weight from 0 to β',
    domain: option(WARMUPS),
    default: 'none',
    live: true,
    place: 'more',
  },
  warmupSteps: {
    url: 'warmupSteps',
    label: 'Warm-up steps',
    hint: 'Steps over which the KL weight ramps up',
    domain: int(1, 10_000_000, { step: 100 }),
    default: 5000,
    live: true,
    place: 'more',
    when: { warmup: ['linear', 'sigmoid'] },
  },
  freeBits: {
    url: 'freeBits',
    label: 'Free bits λ (nats)',
    hint: 'Each latent dimension’s KL counts as at least λ nats (0 = off)',
    domain: real(0, 10, { step: 0.05 }),
    default: 0,
    live: true,
    place: 'more',
  },
  activation: {
    url: 'act',
    label: 'Activation',
    hint: 'Hidden-layer activation (linear + Gaussian AE ≈ PCA)',
    domain: option(ACTIVATIONS),
    default: 'relu',
    live: false,
    place: 'more',
  },
  ...MODEL_SETTING_ROWS,
};

export const SETTING_KEYS = Object.keys(SETTING_ROWS) as SettingKey[];

/** Every setting at its table default. */
export function settingDefaults(): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) out[k] = SETTING_ROWS[k].default;
  return out as unknown as TrainConfig;
}

/**
 * Whether changing `key` needs a new model (a new run), by the table's `live` flag. Keys not in
 * the table (the page's own: backend, dataset, folded panels) are not training settings: false.
 */
export function startsNewRun(key: string): boolean {
  return Object.hasOwn(SETTING_ROWS, key) && !SETTING_ROWS[key as SettingKey].live;
}

/** Whether `key` matters under `c`: its `when` conditions hold (σ only with a Gaussian …). */
export function settingApplies(key: SettingKey, c: TrainConfig): boolean {
  const when = SETTING_ROWS[key].when ?? {};
  return (Object.keys(when) as SettingKey[]).every((k) =>
    (when[k] as readonly unknown[]).includes(c[k]),
  );
}

/** The settings `model` reads, in display order (its catalog row). */
export function settingsOf(model: ModelKind): readonly SettingKey[] {
  return MODEL_CATALOG[model].settings;
}

/** The live settings `model` reads: what its applyLiveConfig must apply. */
export function liveSettingsOf(model: ModelKind): SettingKey[] {
  return settingsOf(model).filter((k) => SETTING_ROWS[k].live);
}

/** Reads a setting's value from text (URL, CLI), or says what a valid value looks like. */
export function parseSetting<K extends SettingKey>(
  key: K,
  raw: string,
): { value: TrainConfig[K] } | { error: string } {
  return parseDomainValue(SETTING_ROWS[key].domain, raw) as
    { value: TrainConfig[K] } | { error: string };
}
