#!/usr/bin/env node
// `npm run bench`: training speed of the zoo's models, ours against the naive TF.js loop, in
// headless Chromium (per backend) and in Node (the CLI's wasm path), and against PyTorch on the
// CPU when python3 has torch. Builds its own page and Node entry into dist-bench/, prints a
// Markdown table on stdout (progress on stderr) and writes every raw number as JSON.
//
//   npm run bench                                   # everything (tens of minutes on 2 cores)
//   npm run bench -- --quick                        # a smoke test: few rounds
//   npm run bench -- --backends wasm,webgl --models mlp-vae,conv-vae --no-torch --no-node
//
// Parts: scripts/bench/{args,plan,build,browser,node,torch,results,table}.mjs; the page and
// workers in src/bench/, the Node entry in src/cli/bench.ts, PyTorch in scripts/bench_torch.py.
import { resolve } from 'node:path';
import { parseBenchArgs, USAGE } from './bench/args.mjs';
import { benchBrowser } from './bench/browser.mjs';
import { buildBench } from './bench/build.mjs';
import { benchNode } from './bench/node.mjs';
import { collectResults, machineInfo, writeResults } from './bench/results.mjs';
import { formatTable } from './bench/table.mjs';
import { benchTorch } from './bench/torch.mjs';

let opts;
try {
  opts = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(`bench: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const t0 = Date.now();
const log = (msg) =>
  console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const startedAt = new Date();
const machine = machineInfo();

log('building dist-bench/…');
await buildBench({ web: opts.browser, node: opts.node });

const rows = [];
let userAgent = null;
const out = resolve(opts.out);
/** The JSON so far: rewritten after every row, so that a stopped run keeps what it measured. */
const save = (torch, complete) =>
  writeResults(out, collectResults({ opts, startedAt, machine, userAgent, rows, torch, complete }));
const onRow = (row, browserAgent) => {
  userAgent = browserAgent ?? userAgent;
  rows.push(row);
  return save(null, false);
};
if (opts.browser) await benchBrowser({ ...opts, log, onRow });
if (opts.node) await benchNode({ ...opts, log, onRow });
const torch = opts.torch ? await benchTorch({ ...opts, log }) : null;
const results = await save(torch, true);
console.log(formatTable(results));
log(`done; raw numbers in ${opts.out}`);
