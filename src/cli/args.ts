/**
 * Command-line flags of `npm run train`. Model and training flags are the settings table's rows
 * (contracts/settings.ts: --model, --latent, --lr …, with their ranges and defaults), plus
 * --dataset, and the CLI's own flags below (--epochs, --eval-iw …). `--help` lists them all.
 * Two commands besides plain training (the prior over codes, cli/prior-cli.ts):
 *   --tokenizer DIR …   train a prior on the codes of the VQ-VAE or dVAE saved in DIR
 *   --load DIR --sample N --class 0…9|any --temperature T [--top-k K] [--seed S] --out DIR
 *                       draw N samples from the prior saved in DIR and write them as IDX files
 */
import { domainText, SETTING_KEYS, SETTING_ROWS } from '../contracts/settings';
import { DATASET_IDS, parseSettings, trainConfigOf, type DatasetId } from '../state/settings';
import type { TrainConfig } from '../contracts/config';

/** The label written for a sample asked for with `--class any` (the digits are 0 … 9). */
export const ANY_CLASS_LABEL = 10;

/** `--load DIR --sample N …`: what to draw from a saved prior over codes. */
export interface SampleRequest {
  count: number;
  /** The class token asked for, 0 … 9, or null for `any`. */
  label: number | null;
  /** > 0; 1 = the learned distribution. */
  temperature: number;
  /** Only the k most likely codes at each step (0 = all). */
  topK: number;
  /** Classifier-free guidance w ≥ 0 given a class (0 = the prior's own p(c | y)). */
  guidance: number;
  /** Folder for samples-images-idx3-ubyte and samples-labels-idx1-ubyte. */
  out: string;
}

export interface CliOptions {
  /** --help: print the flags and stop. */
  help: boolean;
  config: TrainConfig;
  /** Id of the datasets/index.json entry to train on. */
  dataset: DatasetId;
  epochs: number;
  /** K samples of the importance-weighted bound; 0 = not evaluated. */
  evalIw: number;
  /** Evaluate the bound every N epochs (and after the last); 0 = after the last epoch only. */
  evalIwEvery: number;
  save: string | null;
  /** Folder for the PyTorch export (model.safetensors, model.py, train.py …); null = none. */
  exportPytorch: string | null;
  limit: number | null;
  /** --test-limit N: evaluate on the first N test images only; null = all of them. */
  testLimit: number | null;
  backend: 'wasm' | 'cpu';
  /** Steps to profile kernel by kernel instead of training; 0 = train normally. */
  profile: number;
  /** --tokenizer DIR: train a prior over the codes of the tokenizer checkpoint in DIR. */
  tokenizer: string | null;
  /** --load DIR: the checkpoint to sample from (with --sample). */
  load: string | null;
  /** --sample N …: draw from the prior in --load instead of training. */
  sample: SampleRequest | null;
  /** The settings-table flags given on the command line (url keys, e.g. "latent"), and "dataset". */
  given: string[];
}

/** The CLI's own flags: what each takes, what it does, and its default in words. */
const OWN_FLAGS = {
  dataset: {
    value: `one of ${DATASET_IDS.join(', ')}`,
    hint: 'Dataset to train on (datasets/index.json)',
    default: 'mnist',
  },
  epochs: { value: 'a whole number ≥ 1', hint: 'Passes over the training set', default: '10' },
  iterations: {
    value: 'a whole number ≥ 1',
    hint: 'Models fitted without gradients (PCA, k-means, EM): iterations, each one pass (= --epochs); stops early once converged',
    default: 'the epochs',
  },
  'eval-iw': {
    value: 'a whole number ≥ 0',
    hint: 'K samples of the importance-weighted bound test.iw (VAE; 0 = off)',
    default: '0',
  },
  'eval-iw-every': {
    value: 'a whole number ≥ 0',
    hint: 'With --eval-iw: evaluate it every N epochs too (0 = after the last epoch only)',
    default: '0',
  },
  save: {
    value: 'a folder',
    hint: 'Write checkpoint.json and weights.bin there after training',
    default: 'none',
  },
  'export-pytorch': {
    value: 'a folder',
    hint: 'Write the model for PyTorch there after training (model.safetensors, model.py, train.py, probes, README)',
    default: 'none',
  },
  limit: { value: 'a whole number ≥ 1', hint: 'Train on the first N images only', default: 'all' },
  'test-limit': {
    value: 'a whole number ≥ 1',
    hint: 'Evaluate each epoch on the first N test images only (quicker; the numbers are then those of a subset)',
    default: 'all',
  },
  backend: { value: 'wasm or cpu', hint: 'TF.js backend', default: 'wasm' },
  profile: {
    value: 'a whole number ≥ 0',
    hint: 'Time each kernel over N steps after 5 warm-up steps, print, and stop (0 = train)',
    default: '0',
  },
  tokenizer: {
    value: 'a folder',
    hint: 'Train a prior over codes (--model prior) on the VQ-VAE or dVAE saved there (checkpoint.json, weights.bin), frozen: its settings and dataset come from the checkpoint, the prior’s (--layers, --width, --heads, --dropout, --conditional, --lr, --batch, --seed) from the command line',
    default: 'none',
  },
  load: {
    value: 'a folder',
    hint: 'With --sample: the saved prior over codes to draw from',
    default: 'none',
  },
  sample: {
    value: 'a whole number ≥ 1',
    hint: 'Draw N samples from the prior in --load (no training), write them to --out as samples-images-idx3-ubyte (N×28×28 grey levels) and samples-labels-idx1-ubyte (the class asked for; 10 for any), print one JSON line; --seed seeds the draws',
    default: 'none',
  },
  class: {
    value: `0 … 9 or any`,
    hint: `With --sample: the class token the samples are drawn after (any: the unconditional token, labelled ${ANY_CLASS_LABEL} in the label file)`,
    default: 'any',
  },
  temperature: {
    value: 'a number > 0',
    hint: 'With --sample: logits are divided by it (1 = the learned distribution, lower = sharper)',
    default: '1',
  },
  'top-k': {
    value: 'a whole number ≥ 0',
    hint: 'With --sample: draw among the k most likely codes at each position (0 = all)',
    default: '0',
  },
  guidance: {
    value: 'a number from 0 to 10',
    hint: 'With --sample and a --class: classifier-free guidance w, logits ℓ(c|y) + w·(ℓ(c|y) − ℓ(c|any)) (0 = the prior itself; the page defaults to 1)',
    default: '0',
  },
  out: {
    value: 'a folder',
    hint: 'With --sample: where the two IDX files are written',
    default: 'none',
  },
} as const;
type OwnFlag = keyof typeof OWN_FLAGS;

const isOwn = (flag: string): flag is OwnFlag => Object.hasOwn(OWN_FLAGS, flag);

/** Every flag as `--name`, one per line with what it takes, its hint and its default. */
export function cliHelp(): string {
  const rows: [string, string, string][] = SETTING_KEYS.map((k) => {
    const row = SETTING_ROWS[k];
    return [`--${row.url}`, row.hint, `${domainText(row.domain)}; default ${String(row.default)}`];
  });
  for (const [flag, f] of Object.entries(OWN_FLAGS))
    rows.push([`--${flag}`, f.hint, `${f.value}; default ${f.default}`]);
  rows.push(['--help', 'Print this list and stop', '']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = rows.map(
    ([flag, hint, value]) => `  ${flag.padEnd(width)}${hint}${value ? ` (${value})` : ''}`,
  );
  return [
    'npm run train -- [--flag value | --flag=value] …',
    'Trains a model of the zoo in Node and prints one JSON line per epoch.',
    'A prior over codes: train a VQ-VAE (--model vqvae … --save runs/vq), then',
    '  npm run train -- --tokenizer runs/vq --layers 2 --width 64 --epochs 5 --save runs/prior',
    '  npm run train -- --load runs/prior --sample 100 --class 3 --temperature 0.9 --out samples',
    '',
    ...lines,
  ].join('\n');
}

export function parseCliArgs(argv: string[]): CliOptions {
  const params = new URLSearchParams();
  const own = new Map<OwnFlag, string>();
  const given = new Set<string>();
  const known = new Set([
    ...SETTING_KEYS.map((k) => SETTING_ROWS[k].url),
    ...Object.keys(OWN_FLAGS),
  ]);
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument "${arg}" (flags look like --latent 20)`);
    const [flag, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.has(flag))
      throw new Error(`unknown flag --${flag} (npm run train -- --help lists the flags)`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    if (flag === 'dataset' || !isOwn(flag)) {
      params.set(flag, value);
      given.add(flag);
    } else own.set(flag, value);
  }
  const { settings, notices } = parseSettings(`?${params.toString()}`);
  if (notices.length) throw new Error(notices.join(' ').replace(/in the URL /g, ''));
  const int = (flag: OwnFlag, fallback: number, min: number) => {
    const raw = own.get(flag);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min)
      throw new Error(`--${flag} must be a whole number ≥ ${min}, got "${raw}"`);
    return v;
  };
  const backend = own.get('backend') ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu')
    throw new Error(`--backend must be wasm or cpu, got "${backend}"`);
  const sample = sampleRequest(own, int);
  const tokenizer = own.get('tokenizer') ?? null;
  const load = own.get('load') ?? null;
  if (sample && !load) throw new Error('--sample needs --load DIR, the saved prior to draw from');
  if (load && !sample)
    throw new Error('--load DIR is for drawing samples: add --sample N --out DIR');
  if (tokenizer !== null && sample)
    throw new Error('--tokenizer trains a prior and --sample draws from one: use one at a time');
  if (tokenizer === null && !sample && settings.model === 'prior')
    throw new Error(
      '--model prior trains on a saved tokenizer: give --tokenizer DIR (a VQ-VAE or dVAE saved with --save DIR)',
    );
  if (tokenizer !== null && settings.model !== 'prior' && given.has(SETTING_ROWS.model.url))
    throw new Error(`--tokenizer trains --model prior, not ${settings.model}`);
  for (const flag of ['tokenizer', 'load', 'out'] as const)
    if (own.get(flag)?.trim() === '') throw new Error(`--${flag} needs a folder`);
  return {
    help,
    config: trainConfigOf(settings),
    dataset: settings.dataset,
    epochs: int('iterations', int('epochs', 10, 1), 1),
    evalIw: int('eval-iw', 0, 0),
    evalIwEvery: int('eval-iw-every', 0, 0),
    save: own.get('save') ?? null,
    exportPytorch: own.get('export-pytorch') ?? null,
    limit: own.has('limit') ? int('limit', 0, 1) : null,
    testLimit: own.has('test-limit') ? int('test-limit', 0, 1) : null,
    backend,
    profile: int('profile', 0, 0),
    tokenizer,
    load,
    sample,
    given: [...given],
  };
}

/** --sample N with --class, --temperature, --top-k and --out; null without --sample. */
function sampleRequest(
  own: Map<OwnFlag, string>,
  int: (flag: OwnFlag, fallback: number, min: number) => number,
): SampleRequest | null {
  if (!own.has('sample')) {
    const stray = (['class', 'temperature', 'top-k', 'guidance', 'out'] as const).find((f) =>
      own.has(f),
    );
    if (stray) throw new Error(`--${stray} goes with --sample N (drawing from a saved prior)`);
    return null;
  }
  const rawClass = own.get('class') ?? 'any';
  let label: number | null = null;
  if (rawClass !== 'any') {
    label = Number(rawClass);
    if (rawClass.trim() === '' || !Number.isInteger(label) || label < 0 || label > 9)
      throw new Error(`--class must be a digit 0 … 9 or any, got "${rawClass}"`);
  }
  const rawT = own.get('temperature') ?? '1';
  const temperature = Number(rawT);
  if (rawT.trim() === '' || !Number.isFinite(temperature) || temperature <= 0)
    throw new Error(`--temperature must be a number above 0, got "${rawT}"`);
  const rawW = own.get('guidance') ?? '0';
  const guidance = Number(rawW);
  if (rawW.trim() === '' || !Number.isFinite(guidance) || guidance < 0 || guidance > 10)
    throw new Error(`--guidance must be a number from 0 to 10, got "${rawW}"`);
  const out = own.get('out');
  if (out === undefined) throw new Error('--sample needs --out DIR, where the IDX files go');
  const topK = int('top-k', 0, 0);
  return { count: int('sample', 0, 1), label, temperature, topK, guidance, out };
}

/**
 * Whether epoch `epoch` (1-based) of `epochs` evaluates the importance-weighted bound: never
 * without --eval-iw, after the last epoch, and every `every` epochs when that is > 0.
 */
export function evalIwDue(epoch: number, epochs: number, evalIw: number, every: number): boolean {
  if (evalIw <= 0) return false;
  return epoch === epochs || (every > 0 && epoch % every === 0);
}
