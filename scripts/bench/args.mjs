// Command-line flags of `npm run bench` (scripts/bench.mjs).
import { parseArgs } from 'node:util';
import { BENCH_BACKENDS, BENCH_MODELS } from './plan.mjs';

export const USAGE = `usage: npm run bench -- [flags]
  --quick               few rounds (a smoke test); writes bench-results/quick.json
  --backends a,b        browser backends, of ${BENCH_BACKENDS.join(',')} (default: all)
  --models a,b          models, of ${BENCH_MODELS.join(',')} (default: all)
  --no-node             skip the Node (CLI, wasm) measurements
  --no-torch            skip PyTorch (run only when python3 can import torch)
  --no-browser          skip the browser measurements
  --no-threads          skip timing our wasm GEMM pinned to one and to two threads
  --out FILE            where the JSON goes (default bench-results/latest.json, or quick.json)`;

function list(raw, known, flag) {
  if (raw === undefined) return known;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !known.includes(s));
  if (bad.length || items.length === 0)
    throw new Error(
      `--${flag}: unknown ${bad.join(', ') || '(empty)'}; known: ${known.join(', ')}`,
    );
  return known.filter((k) => items.includes(k)); // the table's order, not the flag's
}

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      backends: { type: 'string' },
      models: { type: 'string' },
      'no-node': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      'no-threads': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    help: values.help,
    quick: values.quick,
    backends: list(values.backends, BENCH_BACKENDS, 'backends'),
    models: list(values.models, BENCH_MODELS, 'models'),
    node: !values['no-node'],
    torch: !values['no-torch'],
    browser: !values['no-browser'],
    threads: !values['no-threads'],
    out: values.out ?? (values.quick ? 'bench-results/quick.json' : 'bench-results/latest.json'),
  };
}
