/**
 * Command-line flags of `npm run train`. Model and training flags are the settings table's URL
 * keys (--model, --latent, --hidden, --lr, --batch, --beta, --seed, --likelihood, --sigma,
 * --binarize, --warmup, --warmupSteps, --freeBits, --act, --dataset), validated by the same table; plus
 * --epochs, --eval-iw K, --save DIR, --limit N (first N training images), --backend wasm|cpu,
 * --profile N (time each kernel over N training steps after 5 warm-up steps, print, and stop).
 */
import { SETTINGS, parseSettings, trainConfigOf, type DatasetId } from '../state/settings';
import type { TrainConfig } from '../contracts/config';

export interface CliOptions {
  config: TrainConfig;
  /** Id of the datasets/index.json entry to train on. */
  dataset: DatasetId;
  epochs: number;
  evalIw: number;
  save: string | null;
  limit: number | null;
  backend: 'wasm' | 'cpu';
  /** Steps to profile kernel by kernel instead of training; 0 = train normally. */
  profile: number;
}

const OWN_FLAGS = ['epochs', 'eval-iw', 'save', 'limit', 'backend', 'profile'];

export function parseCliArgs(argv: string[]): CliOptions {
  const params = new URLSearchParams();
  const own = new Map<string, string>();
  const known = new Set([...Object.values(SETTINGS).map((s) => s.url), ...OWN_FLAGS]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument "${arg}" (flags look like --latent 20)`);
    const [flag, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.has(flag))
      throw new Error(
        `unknown flag --${flag}; known: ${[...known].map((k) => `--${k}`).join(' ')}`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    if (OWN_FLAGS.includes(flag)) own.set(flag, value);
    else params.set(flag, value);
  }
  const { settings, notices } = parseSettings(`?${params.toString()}`);
  if (notices.length) throw new Error(notices.join(' ').replace(/in the URL /g, ''));
  const int = (flag: string, fallback: number, min: number) => {
    const raw = own.get(flag);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${flag} must be a whole number ≥ ${min}, got "${raw}"`);
    return v;
  };
  const backend = own.get('backend') ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu')
    throw new Error(`--backend must be wasm or cpu, got "${backend}"`);
  return {
    config: trainConfigOf(settings),
    dataset: settings.dataset,
    epochs: int('epochs', 10, 1),
    evalIw: int('eval-iw', 0, 0),
    save: own.get('save') ?? null,
    limit: own.has('limit') ? int('limit', 0, 1) : null,
    backend,
    profile: int('profile', 0, 0),
  };
}
