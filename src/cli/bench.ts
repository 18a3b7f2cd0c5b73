/**
 * Node side of `npm run bench` (built into dist-bench/node/bench.mjs by vite.bench.config.ts):
 * one measurement on the wasm backend, the CLI's way of running the trainer, printed as one JSON
 * BenchRun line on stdout.
 *
 *   node --expose-gc dist-bench/node/bench.mjs --way ours|naive --model mlp-vae \
 *        --plan '{"warmupRounds":1,"rounds":5,"stepsPerRound":5,"maxSeconds":20}' [--profile 3]
 *
 * The driver starts one process per (way, model): our kernels, once installed, are global to the
 * process, so the naive run must never share one with ours. The heap is V8's heapUsed after a
 * forced GC (needs --expose-gc; null without it). `--profile N` (ours): N more steps after the
 * timed rounds under the kernel profiler, summed per category in the run's `profile`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_MODEL_IDS, BENCH_MODELS, type BenchModelId } from '../bench/models';
import { measureNaiveRate } from '../bench/naive-rate';
import { profiledSteps } from '../bench/profiled-steps';
import type { BenchRun, BenchWay, RoundPlan } from '../bench/protocol';
import type { StepProfile } from '../backends/kernel-categories';
import { startStockBackend } from '../bench/stock-backend';
import { loadImageDataset } from '../data/image-dataset';
import { startOnlyBackend } from '../backends/setup';
import { enableRelaxedSimd } from './node-simd';
import { measureTrainingRate } from '../train/measure-rate';

function diskFetch(root: string) {
  return async (url: string) => {
    try {
      return new Response(await readFile(resolve(root, url.replace(/^datasets:\/\//, ''))));
    } catch {
      return new Response('missing', { status: 404 });
    }
  };
}

function heapUsed(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      way: { type: 'string', default: 'ours' },
      model: { type: 'string', default: 'mlp-vae' },
      plan: { type: 'string', default: '{}' },
      profile: { type: 'string', default: '0' },
    },
  });
  const way = values.way as BenchWay;
  if (way !== 'ours' && way !== 'naive') throw new Error(`--way must be ours or naive`);
  const model = values.model as BenchModelId;
  if (!BENCH_MODEL_IDS.includes(model))
    throw new Error(`--model must be one of ${BENCH_MODEL_IDS.join(', ')}`);
  const plan = JSON.parse(values.plan!) as Partial<RoundPlan>;
  const profileSteps = Number(values.profile);
  if (!Number.isInteger(profileSteps) || profileSteps < 0)
    throw new Error('--profile must be a whole number of steps');

  // The .wasm binaries are read from the installed package (this file is a bundle elsewhere).
  const wasmDir = resolve(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';
  const beforeWasm = async () => {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(wasmDir);
  };
  const backend = 'wasm';
  if (way === 'ours') {
    enableRelaxedSimd(); // as the CLI does (./node-simd)
    await startOnlyBackend(backend, { beforeWasm });
  } else await startStockBackend(backend, beforeWasm);
  const dataset = await loadImageDataset(
    'datasets://',
    'mnist',
    diskFetch(resolve(process.cwd(), 'datasets')),
  );
  const config = BENCH_MODELS[model];
  const measure = way === 'ours' ? measureTrainingRate : measureNaiveRate;
  const heapBefore = heapUsed();
  let profile: StepProfile | null = null;
  const extraSteps =
    way === 'ours' && profileSteps > 0
      ? profiledSteps(backend, profileSteps, (p) => (profile = p))
      : undefined;
  const m = await measure(dataset, config, { ...plan, extraSteps });
  const run: BenchRun = {
    way,
    backend,
    device: null,
    model,
    batchSize: m.batchSize,
    imagesPerSec: m.imagesPerSec,
    stepMs: m.stepMs,
    firstStepMs: m.firstStepMs,
    numTensors: m.numTensors,
    heap: { before: heapBefore, after: heapUsed() },
    firstTerms: m.firstTerms,
    matmul: null, // Node is never cross-origin isolated: one thread, the 'auto' route
    profile,
  };
  console.log(JSON.stringify(run));
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
