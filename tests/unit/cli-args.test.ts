// The CLI's flags come from the settings table: parsing, refusals, --help, and when the
// importance-weighted bound is evaluated.
import { describe, expect, it } from 'vitest';
import { cliHelp, evalIwDue, parseCliArgs } from '../../src/cli/args';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import { SETTING_KEYS, SETTING_ROWS } from '../../src/contracts/settings';

describe('npm run train flags', () => {
  it('reads table flags (space or =) and its own, with defaults for the rest', () => {
    const o = parseCliArgs(['--model', 'catvae', '--classes=8', '--hard', 'true', '--epochs', '3']);
    expect(o.help).toBe(false);
    expect(o.config).toEqual({ ...TRAIN_DEFAULTS, model: 'catvae', classes: 8, hard: true });
    expect(o).toMatchObject({ epochs: 3, evalIw: 0, evalIwEvery: 0, backend: 'wasm', limit: null });
    expect(
      parseCliArgs(['--dataset', 'kmnist', '--eval-iw', '200', '--eval-iw-every', '5']),
    ).toMatchObject({ dataset: 'kmnist', evalIw: 200, evalIwEvery: 5 });
  });

  it('--model pca --latent d; --iterations N counts the fit iterations (= epochs)', () => {
    const o = parseCliArgs(['--model', 'pca', '--latent', '10', '--iterations', '4']);
    expect(o.config).toEqual({ ...TRAIN_DEFAULTS, model: 'pca', latentDim: 10 });
    expect(o.epochs).toBe(4);
    expect(parseCliArgs(['--model', 'pca', '--epochs', '3']).epochs).toBe(3);
    expect(() => parseCliArgs(['--iterations', '0'])).toThrow('--iterations must be a whole');
  });

  it('refuses unknown flags, bad values and a missing value with a clear message', () => {
    expect(() => parseCliArgs(['--latnet', '8'])).toThrow(/unknown flag --latnet.*--help/);
    expect(() => parseCliArgs(['--latent', '1'])).toThrow(
      'Ignored latent=1 (expected a whole number from 2 to 64); using 2.',
    );
    expect(() => parseCliArgs(['--epochs', '0'])).toThrow('--epochs must be a whole number ≥ 1');
    expect(() => parseCliArgs(['--eval-iw-every', '-1'])).toThrow(/--eval-iw-every/);
    expect(() => parseCliArgs(['--seed'])).toThrow('--seed needs a value');
    expect(() => parseCliArgs(['latent'])).toThrow(/unexpected argument/);
  });

  it('--help is accepted and lists every flag with its hint, range and default', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
    const help = cliHelp();
    for (const k of SETTING_KEYS) {
      const row = SETTING_ROWS[k];
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`--${row.url} `));
      expect(line, row.url).toBeDefined();
      expect(line).toContain(row.hint);
      expect(line).toContain(`default ${String(row.default)}`);
    }
    expect(help).toMatch(
      /--latent +Size of the latent code z \(a whole number from 2 to 64; default 2\)/,
    );
    expect(help).toMatch(/--likelihood +.*\(one of bernoulli, gaussian; default bernoulli\)/);
    for (const own of [
      'epochs',
      'eval-iw',
      'eval-iw-every',
      'save',
      'limit',
      'backend',
      'profile',
      'dataset',
    ])
      expect(help).toMatch(new RegExp(`\\n  --${own} `));
  });
});

describe('importance-weighted bound schedule', () => {
  const due = (epochs: number, evalIw: number, every: number) =>
    Array.from({ length: epochs }, (_, i) => i + 1).filter((e) =>
      evalIwDue(e, epochs, evalIw, every),
    );

  it('is off without --eval-iw', () => expect(due(10, 0, 2)).toEqual([]));
  it('runs after the last epoch by default', () => expect(due(10, 200, 0)).toEqual([10]));
  it('runs every N epochs and after the last', () => {
    expect(due(10, 200, 3)).toEqual([3, 6, 9, 10]);
    expect(due(10, 200, 5)).toEqual([5, 10]);
    expect(due(3, 200, 1)).toEqual([1, 2, 3]);
  });
});
