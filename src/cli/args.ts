/**
 * Command-line flags of `npm run train`. Model and training flags are the settings table's rows
 * (contracts/settings.ts: --model, --latent, --lr …, with their ranges and defaults), plus
 * --dataset, and the CLI's own flags below (--epochs, --eval-iw …). `--help` lists them all.
 */
import { domainText, SETTING_KEYS, SETTING_ROWS } from '../contracts/settings';
import { DATASET_IDS, parseSettings, trainConfigOf, type DatasetId } from '../state/settings';
import type { TrainConfig } from '../contracts/config';

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
  backend: 'wasm' | 'cpu';
  /** Steps to profile kernel by kernel instead of training; 0 = train normally. */
  profile: number;
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
  backend: { value: 'wasm or cpu', hint: 'TF.js backend', default: 'wasm' },
  profile: {
    value: 'a whole number ≥ 0',
    hint: 'Time each kernel over N steps after 5 warm-up steps, print, and stop (0 = train)',
    default: '0',
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
    '',
    ...lines,
  ].join('\n');
}

export function parseCliArgs(argv: string[]): CliOptions {
  const params = new URLSearchParams();
  const own = new Map<OwnFlag, string>();
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
    if (flag === 'dataset') params.set(flag, value);
    else if (isOwn(flag)) own.set(flag, value);
    else params.set(flag, value);
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
    backend,
    profile: int('profile', 0, 0),
  };
}

/**
 * Whether epoch `epoch` (1-based) of `epochs` evaluates the importance-weighted bound: never
 * without --eval-iw, after the last epoch, and every `every` epochs when that is > 0.
 */
export function evalIwDue(epoch: number, epochs: number, evalIw: number, every: number): boolean {
  if (evalIw <= 0) return false;
  return epoch === epochs || (every > 0 && epoch % every === 0);
}
