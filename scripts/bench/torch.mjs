// The optional PyTorch reference of `npm run bench`: scripts/bench_torch.py trains the same
// layer layouts on the CPU (2 threads) when some python3 can import torch; otherwise the bench
// says why it skipped. $BENCH_PYTHON names the interpreter to try first.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { planFor } from './plan.mjs';

const root = resolve(import.meta.dirname, '../..');
const SCRIPT = resolve(root, 'scripts/bench_torch.py');

/** { python, version } of the first interpreter that imports torch, or { reason }. */
export function findTorch() {
  const candidates = [...new Set([process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'])];
  let reason = null;
  for (const python of candidates.filter(Boolean)) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    const why = r.error
      ? `${python} not found`
      : `${python}: ${(r.stderr || '').trim().split('\n').pop()}`;
    reason ??= why;
  }
  return { reason: reason ?? 'no python3 found' };
}

/**
 * Runs bench_torch.py for `models`; resolves with { status: 'ran' | 'skipped' | 'failed', … }
 * and one row per model: { model, imagesPerSec, stepMs, firstStepMs, firstLoss }.
 */
export async function benchTorch({ models, quick, log }) {
  const found = findTorch();
  if (!found.python) return { status: 'skipped', reason: found.reason, version: null, rows: [] };
  log(`PyTorch ${found.version} (${found.python})…`);
  // The round plans of the Node wasm rows, the nearest runtime (a CPU, no browser).
  const plans = Object.fromEntries(
    models.map((m) => [m, planFor({ quick, backend: 'wasm', model: m })]),
  );
  const args = [SCRIPT, '--models', models.join(','), '--plans', JSON.stringify(plans)];
  const { code, out, err } = await new Promise((done) => {
    const child = spawn(found.python, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).trim().split('\n')) if (line) log(`  torch: ${line}`);
    });
    child.on('error', (e) => done({ code: -1, out, err: e.message }));
    child.on('close', (code) => done({ code, out, err }));
  });
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const rows = lines.filter((l) => l.model !== undefined);
  // PyTorch's own GEMM on one thread and two (bench_torch.py's gemm_probe).
  const probe = lines.find((l) => l.probe === 'gemm') ?? null;
  if (code !== 0) {
    const reason = err.trim().split('\n').pop() || `exited with code ${code}`;
    return { status: 'failed', reason, version: found.version, rows, probe };
  }
  return { status: 'ran', reason: null, version: found.version, rows, probe };
}
