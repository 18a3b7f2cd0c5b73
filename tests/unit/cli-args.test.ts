// The CLI's flags come from the settings table: parsing, refusals, --help, and when the
// importance-weighted bound is evaluated.
import { describe, expect, it } from 'vitest';
import { ANY_CLASS_LABEL, cliHelp, evalIwDue, parseCliArgs } from '../../src/cli/args';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import { SETTING_KEYS, SETTING_ROWS } from '../../src/contracts/settings';

describe('npm run train flags', () => {
  it('reads table flags (space or =) and its own, with defaults for the rest', () => {
    const o = parseCliArgs(['--model', 'catvae', '--classes=8', '--hard', 'true', '--epochs', '3']);
    expect(o.help).toBe(false);
    expect(o.config).toEqual({ ...TRAIN_DEFAULTS, model: 'catvae', classes: 8, hard: true });
    expect(o).toMatchObject({
      epochs: 3,
      evalIw: 0,
      evalIwEvery: 0,
      backend: 'wasm',
      limit: null,
      testLimit: null,
    });
    expect(parseCliArgs(['--limit', '96', '--test-limit=500'])).toMatchObject({
      limit: 96,
      testLimit: 500,
    });
    expect(() => parseCliArgs(['--test-limit', '0'])).toThrow('--test-limit must be a whole');
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
      'test-limit',
      'backend',
      'profile',
      'dataset',
    ])
      expect(help).toMatch(new RegExp(`\\n  --${own} `));
  });
});

describe('the prior over codes: --tokenizer, and --load … --sample', () => {
  it('--tokenizer DIR with the prior’s own flags; the settings flags given are listed', () => {
    const o = parseCliArgs([
      '--tokenizer',
      'runs/vq',
      '--layers',
      '3',
      '--width=128',
      '--conditional',
      'false',
      '--epochs',
      '2',
      '--save',
      'runs/prior',
    ]);
    expect(o).toMatchObject({ tokenizer: 'runs/vq', load: null, sample: null, save: 'runs/prior' });
    expect(o.config).toMatchObject({ priorLayers: 3, priorWidth: 128, conditional: false });
    expect(o.given.sort()).toEqual(['conditional', 'layers', 'width']);
    expect(parseCliArgs(['--tokenizer', 'd', '--model', 'prior']).tokenizer).toBe('d');
    expect(parseCliArgs(['--dataset', 'kmnist']).given).toEqual(['dataset']);
    expect(parseCliArgs([]).given).toEqual([]);
  });

  it('the tokenizer kind setting is --tokenizer-kind (--tokenizer is the folder)', () => {
    expect(SETTING_ROWS.tokenizerKind.url).toBe('tokenizer-kind');
    expect(parseCliArgs(['--tokenizer-kind', 'dvae']).config.tokenizerKind).toBe('dvae');
  });

  it('--load DIR --sample N with --class, --temperature, --top-k, --seed and --out', () => {
    const o = parseCliArgs([
      '--load',
      'runs/prior',
      '--sample',
      '64',
      '--class',
      '3',
      '--temperature',
      '0.7',
      '--top-k=20',
      '--guidance',
      '1.5',
      '--seed',
      '9',
      '--out',
      'out',
    ]);
    expect(o.load).toBe('runs/prior');
    expect(o.sample).toEqual({
      count: 64,
      label: 3,
      temperature: 0.7,
      topK: 20,
      guidance: 1.5,
      out: 'out',
    });
    expect(o.config.seed).toBe(9);
    const any = parseCliArgs(['--load', 'p', '--sample', '1', '--out', 'o']).sample;
    expect(any).toEqual({ count: 1, label: null, temperature: 1, topK: 0, guidance: 0, out: 'o' });
    expect(() =>
      parseCliArgs(['--load', 'p', '--sample', '1', '--guidance', '-1', '--out', 'o']),
    ).toThrow(/--guidance must be a number from 0 to 10/);
    expect(
      parseCliArgs(['--load', 'p', '--sample', '1', '--class', 'any', '--out', 'o']).sample,
    ).toMatchObject({ label: null });
    expect(
      parseCliArgs(['--load', 'p', '--sample', '1', '--class', '0', '--out', 'o']).sample,
    ).toMatchObject({ label: 0 });
  });

  it('refuses bad sampling values and flags that go with another command', () => {
    const sample = (...more: string[]) =>
      parseCliArgs(['--load', 'p', '--sample', '4', '--out', 'o', ...more]);
    for (const c of ['10', '-1', '2.5', 'three', ''])
      expect(() => sample('--class', c), c).toThrow('--class must be a digit 0 … 9 or any');
    for (const t of ['0', '-1', 'hot', '', 'Infinity'])
      expect(() => sample('--temperature', t), t).toThrow('--temperature must be a number above 0');
    expect(() => sample('--top-k', '-1')).toThrow('--top-k must be a whole number ≥ 0');
    expect(() => parseCliArgs(['--load', 'p', '--sample', '0', '--out', 'o'])).toThrow(
      '--sample must be a whole number ≥ 1',
    );
    expect(() => parseCliArgs(['--load', 'p', '--sample', '4'])).toThrow('--sample needs --out');
    expect(() => parseCliArgs(['--sample', '4', '--out', 'o'])).toThrow('--sample needs --load');
    expect(() => parseCliArgs(['--load', 'p'])).toThrow('--load DIR is for drawing samples');
    for (const f of ['--class', '--temperature', '--top-k', '--out'])
      expect(() => parseCliArgs([f, '1']), f).toThrow(`${f} goes with --sample N`);
    expect(() => sample('--tokenizer', 'vq')).toThrow('use one at a time');
    expect(() => parseCliArgs(['--tokenizer', 'vq', '--model', 'vae'])).toThrow(
      '--tokenizer trains --model prior, not vae',
    );
    expect(() => parseCliArgs(['--tokenizer', ''])).toThrow('--tokenizer needs a folder');
    expect(() => parseCliArgs(['--model', 'prior'])).toThrow(
      '--model prior trains on a saved tokenizer: give --tokenizer DIR',
    );
  });

  it('--help explains the two commands, and the label written for --class any', () => {
    const help = cliHelp();
    for (const own of ['tokenizer', 'load', 'sample', 'class', 'temperature', 'top-k', 'out'])
      expect(help).toMatch(new RegExp(`\\n  --${own} `));
    expect(help).toContain('--tokenizer runs/vq');
    expect(help).toContain('--load runs/prior --sample');
    expect(ANY_CLASS_LABEL).toBe(10);
    expect(help).toMatch(/--class .*labelled 10 in the label file/);
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
