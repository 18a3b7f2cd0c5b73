/**
 * The settings table: one row per training setting, from which the rest is derived — the
 * defaults (TRAIN_DEFAULTS), which changes start a new run (`live: false`) and which apply to the
 * running model (`live: true`), URL and CLI parsing (state/settings.ts, cli/args.ts), the options
 * panel (ui/controls/ModelOptions.tsx) and the CLI's --help. Which models read a setting is the
 * catalog's `settings` list (contracts/catalog.ts).
 *
 * Adding a setting: a row here and its field in TrainConfig (contracts/config.ts); a live one is
 * then tested on every model that reads it (tests/unit/live-settings.test.ts).
 */
import type { TrainConfig } from './config';
import { MODEL_CATALOG, MODEL_KINDS, type ModelKind } from './catalog';
import { parseDomainValue, type Domain } from './domain';
import {
  ACTIVATIONS,
  ARCHITECTURES,
  BINARIZATIONS,
  CODE_INITS,
  CODE_OPTIMIZERS,
  LIKELIHOODS,
  TAU_SCHEDULES,
  TOKENIZERS,
  WARMUPS,
} from './options';

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

const int = (min: number, max: number, more: { step?: number; choices?: number[] } = {}) =>
  ({ kind: 'integer', min, max, ...more }) as const;
const real = (min: number, max: number, more: { step?: number; choices?: number[] } = {}) =>
  ({ kind: 'real', min, max, ...more }) as const;
const option = (options: readonly string[]) => ({ kind: 'option', options }) as const;
const FLAG = { kind: 'flag' } as const;

/** The rows in URL order (links and --help list them in this order). */
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
  codebookSize: {
    url: 'codes',
    label: 'Codebook size K',
    hint: 'K: codes in the codebook (dVAE: categories per grid cell)',
    domain: int(2, 1024, { choices: [8, 16, 32, 64, 128, 256, 512, 1024] }),
    default: 64,
    live: false,
    place: 'main',
  },
  codeDim: {
    url: 'codeDim',
    label: 'Code size D',
    hint: 'D: size of each code vector',
    domain: int(1, 256, { choices: [2, 4, 8, 16, 32, 64, 128, 256] }),
    default: 16,
    live: false,
    place: 'main',
  },
  channels: {
    url: 'channels',
    label: 'Conv channels h',
    hint: 'Channels h of the first conv layer (the second has 2h)',
    domain: int(1, 128, { choices: [4, 8, 16, 32, 64] }),
    default: 32,
    live: false,
    place: 'more',
  },
  commitment: {
    url: 'commitment',
    label: 'Commitment β',
    hint: 'Weight of the commitment loss ‖z_e − sg(e)‖²',
    domain: real(0, 10, { step: 0.05 }),
    default: 0.25,
    live: true,
    place: 'more',
  },
  ema: {
    url: 'ema',
    label: 'EMA codebook',
    hint: 'Update the codebook by exponential moving averages instead of its loss',
    domain: FLAG,
    default: false,
    live: false,
    place: 'more',
  },
  emaDecay: {
    url: 'emaDecay',
    label: 'EMA decay γ',
    hint: 'γ of the moving averages; closer to 1 = slower codebook updates',
    domain: real(0, 0.9999, { step: 0.001 }),
    default: 0.99,
    live: true,
    place: 'more',
    when: { ema: [true] },
  },
  kmeansInit: {
    url: 'kmeans',
    label: 'k-means init',
    hint: 'Initialise the codebook by k-means on the first batch’s encoder outputs',
    domain: FLAG,
    default: true,
    live: false,
    place: 'more',
  },
  deadCodeThreshold: {
    url: 'restart',
    label: 'Dead-code threshold',
    hint: 'Restart codes used fewer times than this in 200 steps (0 = never)',
    domain: int(0, 1_000_000, { step: 1 }),
    default: 1,
    live: true,
    place: 'more',
  },
  tauSchedule: {
    url: 'tau',
    label: 'τ schedule',
    hint: 'Gumbel-softmax temperature: constant, exp decay max(τ_end, e^(−r·t)), or cosine from 1 to τ_end',
    domain: option(TAU_SCHEDULES),
    default: 'cosine',
    live: true,
    place: 'more',
  },
  tauEnd: {
    url: 'tauEnd',
    label: 'τ end / floor',
    hint: 'τ at the end of the cosine anneal, the floor of the exp decay, or τ when constant',
    domain: real(0.01, 10, { step: 0.01 }),
    default: 1 / 16,
    live: true,
    place: 'more',
  },
  tauSteps: {
    url: 'tauSteps',
    label: 'τ anneal steps',
    hint: 'Length of the cosine anneal in steps',
    domain: int(1, 10_000_000, { step: 100 }),
    default: 10_000,
    live: true,
    place: 'more',
    when: { tauSchedule: ['cosine'] },
  },
  tauRate: {
    url: 'tauRate',
    label: 'τ decay rate r',
    hint: 'r in τ = max(τ_end, exp(−r·t)), updated every 1000 steps',
    domain: real(0, 1, { step: 0.00001 }),
    default: 1e-4,
    live: true,
    place: 'more',
    when: { tauSchedule: ['exp'] },
  },
  hard: {
    url: 'hard',
    label: 'Hard (straight-through)',
    hint: 'Straight-through: one-hot samples forward, relaxed gradients backward',
    domain: FLAG,
    default: false,
    live: true,
    place: 'more',
  },
  categorical: {
    url: 'categorical',
    label: 'Categorical variables N',
    hint: 'N: categorical latent variables',
    domain: int(1, 200, { choices: [1, 2, 5, 10, 20, 30, 50, 100, 200] }),
    default: 20,
    live: false,
    place: 'main',
  },
  classes: {
    url: 'classes',
    label: 'Classes per variable K',
    hint: 'K: classes per variable',
    domain: int(2, 256, { choices: [2, 4, 8, 10, 16, 32, 64, 128, 256] }),
    default: 10,
    live: false,
    place: 'main',
  },
  clusters: {
    url: 'clusters',
    label: 'Clusters K',
    hint: 'K: k-means clusters, or components of the Bernoulli mixture',
    domain: int(10, 512, { choices: [10, 20, 50, 100, 200, 500] }),
    default: 10,
    live: false,
    place: 'main',
  },
  codeOptimizer: {
    url: 'codeOpt',
    label: 'Code optimiser',
    hint: 'GLO: how the batch’s codes move: Adam with moments per code (only the batch’s rows), or SGD',
    domain: option(CODE_OPTIMIZERS),
    default: 'adam',
    live: false,
    place: 'more',
  },
  codeLearningRate: {
    url: 'codeLr',
    label: 'Code learning rate',
    hint: 'GLO: step size of the codes (the decoder’s is the learning rate)',
    domain: real(1e-6, 1e3, { choices: [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 10] }),
    default: 0.1,
    live: true,
    place: 'more',
  },
  codeInit: {
    url: 'codeInit',
    label: 'Code initialisation',
    hint: 'GLO: codes start at the PCA projections of the training images, or at random on the unit sphere',
    domain: option(CODE_INITS),
    default: 'pca',
    live: false,
    place: 'more',
  },
  inferSteps: {
    url: 'inferSteps',
    label: 'Inference steps',
    hint: 'GLO: gradient steps from z = 0 that find the code of a test digit or a drawing',
    domain: int(1, 1000, { choices: [10, 20, 50, 100, 200] }),
    default: 50,
    live: true,
    place: 'more',
  },
  tokenizerKind: {
    url: 'tokenizer-kind',
    label: 'Tokenizer',
    hint: 'Prior over codes: the VQ-VAE or dVAE whose 7×7 codes it models (frozen; set by the run it starts from)',
    domain: option(TOKENIZERS),
    default: 'vqvae',
    live: false,
    place: 'link',
  },
  priorLayers: {
    url: 'layers',
    label: 'Transformer layers',
    hint: 'Prior over codes: transformer blocks (attention + MLP each)',
    domain: int(1, 8, { choices: [1, 2, 3, 4, 6, 8] }),
    default: 2,
    live: false,
    place: 'main',
  },
  priorHeads: {
    url: 'heads',
    label: 'Attention heads',
    hint: 'Prior over codes: attention heads per block (they split the width)',
    domain: int(1, 8, { choices: [1, 2, 4, 8] }),
    default: 4,
    live: false,
    place: 'more',
  },
  priorWidth: {
    url: 'width',
    label: 'Transformer width',
    hint: 'Prior over codes: size W of each token vector (the MLP is 4W wide)',
    domain: int(16, 256, { choices: [32, 64, 96, 128, 192, 256] }),
    default: 64,
    live: false,
    place: 'main',
  },
  priorDropout: {
    url: 'dropout',
    label: 'Dropout',
    hint: 'Prior over codes: share of the attention and MLP outputs zeroed while training',
    domain: real(0, 0.5, { choices: [0, 0.05, 0.1, 0.2, 0.3] }),
    default: 0.1,
    live: true,
    place: 'more',
  },
  conditional: {
    url: 'conditional',
    label: 'Class token',
    hint: 'Prior over codes: each sequence starts with the digit’s label, so samples can be asked for by class',
    domain: FLAG,
    default: true,
    live: false,
    place: 'main',
  },
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
