/**
 * The device benchmark, as run in a worker of its own: starts exactly one TF.js backend (no
 * fallback), trains the given model a few steps on synthetic digits with measureTrainingRate, and
 * reports images/s and what the backend ran on. The worker is a fresh instance of the training
 * worker's script (train.worker.ts hands it `measure` requests), so that it shares TF.js's chunks
 * instead of bundling a second copy; it never holds a run, and the page terminates it after one
 * measurement (see device-benchmark-client.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { syntheticDigits } from '../data/synthetic-digits';
import { cpuGemmStatus } from '../backends/cpu/cpu-fast-matmul';
import { describeGpu, startOnlyBackend } from '../backends/setup';
import { measureTrainingRate } from '../train/measure-rate';
import type { BenchmarkRequest, BenchmarkResponse } from './device-benchmark-protocol';
import { configureWasmPaths } from '../backends/wasm/wasm-paths';

async function describeRunning(backend: 'wasm' | 'cpu'): Promise<string> {
  if (backend === 'cpu') {
    // Our cpu kernels send products and convolutions to a wasm SIMD GEMM where it compiled.
    return cpuGemmStatus().ready ? 'JavaScript, products in WASM SIMD' : 'plain JavaScript';
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const threads = getThreadsCount();
  return `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

type Post = (msg: BenchmarkResponse) => void;

async function measure(req: BenchmarkRequest, post: Post): Promise<void> {
  const { backend, config } = req;
  post({ type: 'progress', backend, stage: 'starting', done: 0, total: 0 });
  let detail = '';
  if (backend === 'webgpu' || backend === 'webgl') {
    // Before TF.js opens its own adapter or context (the probe closes its one again).
    const gpu = await describeGpu(backend); // null: no adapter or context (starting will say why)
    if (gpu) {
      detail = gpu.summary;
      post({ type: 'device', backend, detail, software: gpu.software });
    }
    await startOnlyBackend(backend);
  } else {
    await startOnlyBackend(backend, { beforeWasm: configureWasmPaths });
    detail = await describeRunning(backend).catch(() => '');
  }
  post({ type: 'progress', backend, stage: 'warming-up', done: 0, total: 0 });
  // Twice the batch, so that a round never wraps around the whole set.
  const dataset = syntheticDigits(Math.max(256, 2 * config.batchSize), 32);
  const rate = await measureTrainingRate(dataset, config, {
    warmupRounds: req.warmupRounds,
    rounds: req.rounds,
    stepsPerRound: req.stepsPerRound,
    maxSeconds: req.maxSeconds,
    onRound: (done, total) => post({ type: 'progress', backend, stage: 'measuring', done, total }),
  });
  post({ type: 'result', backend, imagesPerSec: rate.imagesPerSec, detail, stepMs: rate.stepMs });
}

/** Answers one `measure` request: progress messages, then a result or why it failed. */
export async function serveBenchmark(req: BenchmarkRequest, post: Post): Promise<void> {
  try {
    await measure(req, post);
  } catch (err) {
    post({
      type: 'failed',
      backend: req.backend,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
