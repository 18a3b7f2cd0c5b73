// The JSON that `npm run bench` writes (bench-results/latest.json): every raw number, rounded, in
// a fixed shape and order (every row has every key, null where absent), so that a re-run only
// changes values and the file diffs well. Formatted with the repository's Prettier.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch, totalmem, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { format } from 'prettier';
import { planFor } from './plan.mjs';

export const SCHEMA = 3;
const r1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
const r3 = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** A BenchRun with rounded numbers and fixed keys. */
function run(r) {
  if (!r) return null;
  return {
    backend: r.backend,
    device: r.device ?? null,
    batchSize: r.batchSize,
    imagesPerSec: r1(r.imagesPerSec),
    stepMs: r.stepMs.map(r1),
    firstStepMs: r1(r.firstStepMs),
    numTensors: {
      before: r.numTensors.before,
      afterWarmup: r.numTensors.afterWarmup,
      after: r.numTensors.after,
    },
    heapBytes: { before: r.heap.before, after: r.heap.after },
    firstTerms: Object.fromEntries(Object.entries(r.firstTerms).map(([k, v]) => [k, r3(v)])),
    matmul: r.matmul ?? null,
    profile: profile(r.profile),
  };
}

/** Where the profiled steps' time went (ms per step; kernels by self time), or null. */
function profile(p) {
  if (!p) return null;
  return {
    steps: p.steps,
    stepMs: r3(p.stepMs),
    kernelMs: r3(p.kernelMs),
    categories: Object.fromEntries(Object.entries(p.categories).map(([c, ms]) => [c, r3(ms)])),
    underConvolutions: r3(p.underConvolutions),
    kernels: p.kernels.map((k) => ({
      kernel: k.kernel,
      category: k.category,
      calls: r1(k.calls),
      ms: r3(k.ms),
      totalMs: r3(k.totalMs),
      underMs: Object.fromEntries(Object.entries(k.underMs).map(([root, ms]) => [root, r3(ms)])),
    })),
  };
}

/** A row's GEMM pinned to one and to two threads (browser wasm), or null. */
function threads(t) {
  if (!t) return null;
  return {
    one: run(t.one),
    two: run(t.two),
    twoOverOne: ratio(t.two?.imagesPerSec, t.one?.imagesPerSec),
    error: t.error,
  };
}

const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);

export function machineInfo() {
  return {
    cpu: cpus()[0]?.model ?? null,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${arch()}`,
    node: process.version,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Everything of one bench run as the committed JSON object. */
export function collectResults({ opts, startedAt, machine, userAgent, rows, torch, complete }) {
  const torchRate = Object.fromEntries((torch?.rows ?? []).map((t) => [t.model, t.imagesPerSec]));
  return {
    schema: SCHEMA,
    createdAt: startedAt.toISOString(),
    /** False while the bench is still running (or was stopped). */
    complete,
    quick: opts.quick,
    backends: opts.browser ? opts.backends : [],
    models: opts.models,
    machine: {
      ...machine,
      loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      chromium: userAgent,
    },
    rows: rows.map((row) => ({
      runtime: row.runtime,
      backend: row.backend,
      model: row.model,
      plan: row.model
        ? planFor({ quick: opts.quick, backend: row.backend, model: row.model })
        : null,
      ours: run(row.ours),
      naive: run(row.naive),
      oursOverNaive: ratio(row.ours?.imagesPerSec, row.naive?.imagesPerSec),
      oursOverTorch: ratio(row.ours?.imagesPerSec, torchRate[row.model]),
      threads: threads(row.threads),
      error: row.error,
    })),
    torch: {
      status: torch?.status ?? 'skipped',
      reason: torch ? torch.reason : 'not asked (--no-torch)',
      version: torch?.version ?? null,
      threads: 2,
      probe: torch?.probe ?? null,
      rows: (torch?.rows ?? []).map((t) => ({
        model: t.model,
        imagesPerSec: r1(t.imagesPerSec),
        stepMs: t.stepMs.map(r1),
        firstStepMs: r1(t.firstStepMs),
        firstLoss: r3(t.firstLoss),
      })),
    },
  };
}

/** Writes `results` as Prettier-formatted JSON; returns them. */
export async function writeResults(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  const text = await format(JSON.stringify(results), { parser: 'json' });
  writeFileSync(file, text);
  return results;
}
