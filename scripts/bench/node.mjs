// The Node half of `npm run bench`: the CLI's way of training (wasm backend, datasets/ read from
// disk), one child process per (model, way) so that our kernels never reach the naive run.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BENCH_NODE_ENTRY } from './build.mjs';
import { limitFor, planFor, profileStepsFor } from './plan.mjs';

const root = resolve(import.meta.dirname, '../..');

/**
 * Runs dist-bench/node/bench.mjs once; resolves with its BenchRun, rejects with its stderr (or
 * when it runs past `limitSeconds`). `profileSteps` (ours): steps run under the kernel profiler.
 */
export function runNodeBench(way, model, plan, limitSeconds = 900, profileSteps = 0) {
  const args = ['--expose-gc', BENCH_NODE_ENTRY, '--way', way, '--model', model];
  args.push('--plan', JSON.stringify(plan));
  if (profileSteps > 0) args.push('--profile', String(profileSteps));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: limitSeconds * 1000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolvePromise(JSON.parse(last));
      else if (signal)
        reject(new Error(`stopped (${signal}) after the limit of ${limitSeconds} s`));
      else reject(new Error(err.trim().split('\n').pop() || `exited with code ${code}`));
    });
  });
}

/** Rows of runtime 'node', backend 'wasm', one per model. */
export async function benchNode({ models, quick, log, onRow = () => {} }) {
  const rows = [];
  for (const model of models) {
    const plan = planFor({ quick, backend: 'wasm', model });
    const row = { runtime: 'node', backend: 'wasm', model, ours: null, naive: null, error: null };
    for (const way of ['ours', 'naive']) {
      log(`node wasm ${model} ${way}…`);
      try {
        const profileSteps = way === 'ours' ? profileStepsFor({ quick, model }) : 0;
        row[way] = await runNodeBench(way, model, plan, limitFor({ quick, model }), profileSteps);
      } catch (err) {
        row.error = `${way}: ${err.message}`;
        break;
      }
    }
    rows.push(row);
    await onRow(row);
  }
  return rows;
}
