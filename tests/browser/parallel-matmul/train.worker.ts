/// <reference lib="webworker" />
/// <reference types="vite/client" />
/**
 * Trains the MLP VAE (784-512-2, batch 128; ?arch=conv: the conv VAE) on the wasm backend exactly as the app's worker
 * starts it (startOnlyBackend + installWasmKernels + our .wasm paths), on synthetic 28×28 images:
 * STEPS steps from the same seed in each mode of src/backends/wasm/wasm-parallel-matmul (off = XNNPACK,
 * one thread, two threads, auto), then, when asked, training rates and single-product GFLOP/s in
 * each mode, alternating. Posts one report.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../../src/data/image-dataset';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../../src/contracts/config';
import { startOnlyBackend } from '../../../src/backends/setup';
import { measureTrainingRate } from '../../../src/train/measure-rate';
import { Trainer } from '../../../src/train/trainer';
import {
  parallelMatMulStats,
  prepareSingleThreadGemm,
  setParallelMatMulMode,
  type ParallelMatMulMode,
  startParallelMatMul,
} from '../../../src/backends/wasm/wasm-parallel-matmul';
import { configureWasmPaths } from '../../../src/backends/wasm/wasm-paths';

declare const self: DedicatedWorkerGlobalScope;

const STEPS = 12;

function synthetic(count: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let n = 0; n < count; n++) {
    // A bright disc at a random place with a random radius: digit-like sparse images.
    const cx = 6 + rnd() * 16;
    const cy = 6 + rnd() * 16;
    const r = 3 + rnd() * 5;
    labels[n] = n % 10;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const d = Math.hypot(x - cx, y - cy);
        images[n * 784 + y * 28 + x] =
          d < r ? 255 : d < r + 1.5 ? Math.round((255 * (r + 1.5 - d)) / 1.5) : 0;
      }
  }
  return { images, labels };
}

type Counts = Pick<
  ReturnType<typeof parallelMatMulStats>,
  'zeroCopyCalls' | 'sharedCalls' | 'twoThreadCalls' | 'stockCalls'
>;

function counts(): Counts {
  const { zeroCopyCalls, sharedCalls, twoThreadCalls, stockCalls } = parallelMatMulStats();
  return { zeroCopyCalls, sharedCalls, twoThreadCalls, stockCalls };
}

/** STEPS steps from seed 7 in `mode`: the loss of each step, and how the products ran. */
async function losses(
  dataset: ImageDataset,
  mode: ParallelMatMulMode,
  config: TrainConfig,
): Promise<{ loss: number[]; calls: Counts }> {
  setParallelMatMulMode(mode);
  const before = counts();
  const trainer = new Trainer(dataset, { ...config, seed: 7 });
  try {
    for (let i = 0; i < STEPS; i++) trainer.trainStep();
    const m = await trainer.flush();
    const key = Object.keys(m?.terms ?? {})[0] ?? '';
    const after = counts();
    const calls = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - before[k as keyof Counts]]),
    ) as Counts;
    return { loss: m?.terms[key] ?? [], calls };
  } finally {
    trainer.dispose();
  }
}

const MODES: ParallelMatMulMode[] = ['off', 'one-thread', 'two-threads', 'auto'];

self.onmessage = async (e: MessageEvent<Record<string, string>>) => {
  try {
    const params = e.data;
    await startOnlyBackend('wasm', { beforeWasm: configureWasmPaths });
    const ready = await startParallelMatMul();
    const singleThreadReady = await prepareSingleThreadGemm();
    const dataset: ImageDataset = {
      id: 'synthetic',
      name: 'synthetic',
      source: '',
      license: '',
      height: 28,
      width: 28,
      classes: 10,
      train: { count: 2560, ...synthetic(2560, 1) },
      test: { count: 256, ...synthetic(256, 2) },
    };
    // ?arch=conv: the conv VAE (convolutions and their gradients on the threads too).
    const config: TrainConfig = {
      ...TRAIN_DEFAULTS,
      arch: params.arch === 'conv' ? 'conv' : 'mlp',
    };
    const runs: Record<string, { loss: number[]; calls: Counts }> = {};
    for (const mode of MODES) runs[mode] = await losses(dataset, mode, config);
    const rates: { mode: ParallelMatMulMode; imagesPerSec: number; copyShare: number }[] = [];
    const modes = MODES;
    for (let r = 0; r < Number(params.rateRounds ?? 0); r++) {
      for (const mode of modes) {
        setParallelMatMulMode(mode);
        const before = parallelMatMulStats();
        const m = await measureTrainingRate(dataset, TRAIN_DEFAULTS, {
          warmupRounds: 1,
          rounds: 5,
          stepsPerRound: 10,
          maxSeconds: 20,
        });
        const after = parallelMatMulStats();
        rates.push({
          mode,
          imagesPerSec: Math.round(m.imagesPerSec),
          // Share of the route's time spent on copies in and out of TF.js's heap.
          copyShare:
            (after.copyMs - before.copyMs) /
            Math.max(1e-9, after.copyMs - before.copyMs + after.computeMs - before.computeMs),
        });
      }
    }
    // Single products of the MLP VAE's shapes, each way: GFLOP/s medians.
    const products: { shape: string; mode: ParallelMatMulMode; gflops: number }[] = [];
    const shapes: [number, number, number, boolean, boolean][] = [
      [128, 784, 512, false, false],
      [128, 512, 784, false, false],
      [128, 512, 784, false, true],
      [784, 128, 512, true, false],
    ];
    for (const [m, k, n, ta, tb] of Number(params.matmulRounds ?? 0) > 0 ? shapes : []) {
      const a = tf.randomNormal(ta ? [k, m] : [m, k]);
      const b = tf.randomNormal(tb ? [n, k] : [k, n]);
      const times: Record<string, number[]> = {};
      for (let r = 0; r < Number(params.matmulRounds); r++)
        for (const mode of modes) {
          setParallelMatMulMode(mode);
          tf.matMul(a, b, ta, tb).dispose();
          const t0 = performance.now();
          for (let i = 0; i < 10; i++) tf.matMul(a, b, ta, tb).dispose();
          (times[mode] ??= []).push((performance.now() - t0) / 10);
        }
      for (const [mode, t] of Object.entries(times)) {
        const ms = [...t].sort((x, y) => x - y)[t.length >> 1]!;
        const shape = `[${m},${k}]·[${k},${n}]${ta ? ' ta' : ''}${tb ? ' tb' : ''}`;
        products.push({
          shape,
          mode: mode as ParallelMatMulMode,
          gflops: (2 * m * n * k) / ms / 1e6,
        });
      }
      tf.dispose([a, b]);
    }
    setParallelMatMulMode('auto');
    self.postMessage({
      crossOriginIsolated: self.crossOriginIsolated,
      backend: tf.getBackend(),
      ready,
      singleThreadReady,
      fused: parallelMatMulStats().fused,
      inHeap: parallelMatMulStats().inHeap,
      runs,
      rates,
      products,
      numTensors: tf.memory().numTensors,
    });
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.stack ?? err) });
  }
};
