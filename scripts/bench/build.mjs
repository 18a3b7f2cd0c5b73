// Builds the bench's two halves with vite.bench.config.ts: the page into dist-bench/web/, the
// Node entry into dist-bench/node/bench.mjs. Writes nothing else (not dist/, not dist-cli/).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');
export const BENCH_WEB_DIR = resolve(root, 'dist-bench/web');
export const BENCH_NODE_ENTRY = resolve(root, 'dist-bench/node/bench.mjs');

export async function buildBench({ web = true, node = true } = {}) {
  const configFile = resolve(root, 'vite.bench.config.ts');
  if (web) await build({ configFile, mode: 'web', logLevel: 'warn' });
  if (node) await build({ configFile, mode: 'node', logLevel: 'warn' });
  if (web && !existsSync(resolve(BENCH_WEB_DIR, 'bench.html')))
    throw new Error('the bench page build left no dist-bench/web/bench.html');
}
