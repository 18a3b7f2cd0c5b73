/**
 * `node dist-cli/pretrained.mjs --dir DIR --out FOLDER --id ID [--max-nats-moved 0.2]`: one step
 * of `npm run make:pretrained` (scripts/pretrain.mjs). Reads the float32 checkpoint that
 * `npm run train -- --save DIR` wrote, measures the model's headline test term (the status line's)
 * with its weights in float32 and rounded to float16, and writes FOLDER/ID.json + FOLDER/ID.bin
 * in float16 when that moves the metric by at most --max-nats-moved nats per image, else in
 * float32. Prints one JSON line: both measurements, on all test digits (the CLI's test numbers)
 * and on the page's 2,000 fixed probe digits (what the page shows after loading it).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MODEL_CATALOG } from '../contracts/catalog';
import { mulberry32 } from '../core/rng';
import { loadImageDataset, type ImageDataset } from '../data/image-dataset';
import { binarizeInPlace, EVAL_BINARIZATION_SEED, toFloatPixels } from '../data/pixels';
import { installCpuKernels } from '../backends/cpu/cpu-kernels';
import { installWasmKernels } from '../backends/wasm/wasm-kernels';
import {
  encodeCheckpoint,
  loadCheckpointWeights,
  parseCheckpointMeta,
  type CheckpointMeta,
} from '../train/checkpoint';
import { evaluateSplit } from '../train/evaluate';
import { Trainer } from '../train/trainer';

/** The CLI's seed of the test noise (src/cli/train.ts), so the numbers match its last line. */
const EVAL_SEED = 4242;

function flag(argv: string[], name: string, fallback?: string): string {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

/** The headline term on all test digits and on the page's probe digits, for `weights`. */
async function measure(
  dataset: ImageDataset,
  meta: CheckpointMeta,
  weights: ArrayBuffer,
  testX: tf.Tensor2D,
  testY: tf.Tensor1D,
): Promise<{ test: number; probe: number }> {
  const key = MODEL_CATALOG[meta.config.model].headline.key;
  // As the page's worker loads a checkpoint (worker/next-run.ts checkpointRun).
  const trainer = new Trainer(dataset, meta.config);
  try {
    loadCheckpointWeights(trainer.model, meta, weights);
    trainer.resumeAt(meta.step, meta.epoch);
    const probe = (await trainer.evaluate()).test[key]!;
    // With the labels, as the CLI's test line (a conditional model reads them).
    const test = (await evaluateSplit(trainer.model, testX, EVAL_SEED, 1000, testY))[key]!;
    return { test, probe };
  } finally {
    trainer.dispose();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dir = flag(argv, 'dir');
  const out = flag(argv, 'out');
  const id = flag(argv, 'id');
  const maxMoved = Number(flag(argv, 'max-nats-moved', '0.2'));
  setWasmPaths(resolve(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  installWasmKernels();
  await installCpuKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend could not start');

  const meta = parseCheckpointMeta(
    JSON.parse(await readFile(resolve(dir, 'checkpoint.json'), 'utf8')),
  );
  const weights32 = new Uint8Array(await readFile(resolve(dir, 'weights.bin'))).buffer;
  const dataset = await loadImageDataset('datasets://', meta.dataset, async (url: string) => {
    try {
      return new Response(await readFile(resolve('datasets', url.replace(/^datasets:\/\//, ''))));
    } catch {
      return new Response('missing', { status: 404 });
    }
  });
  const P = dataset.height * dataset.width;
  const testPixels = toFloatPixels(dataset.test.images, 0, dataset.test.count, P);
  if (meta.config.binarize !== 'none')
    binarizeInPlace(testPixels, mulberry32(EVAL_BINARIZATION_SEED));
  const testX = tf.tensor2d(testPixels, [dataset.test.count, P]);
  const testY = tf.tensor1d(Int32Array.from(dataset.test.labels), 'int32');

  const float32 = await measure(dataset, meta, weights32, testX, testY);
  // Round the weights to float16 through the checkpoint format itself, and measure what is stored.
  const trainer = new Trainer(dataset, meta.config);
  loadCheckpointWeights(trainer.model, meta, weights32);
  const state = { step: meta.step, epoch: meta.epoch, dataset: meta.dataset };
  const half = await encodeCheckpoint(trainer.model, meta.config, state, { float16: true });
  trainer.dispose();
  const float16 = await measure(dataset, half.meta, half.weights, testX, testY);
  tf.dispose([testX, testY]);

  const moved = Math.abs(float16.test - float32.test);
  const useHalf = moved <= maxMoved;
  const stored = useHalf ? half : { meta, weights: weights32 };
  await mkdir(out, { recursive: true });
  await writeFile(resolve(out, `${id}.json`), JSON.stringify(stored.meta));
  await writeFile(resolve(out, `${id}.bin`), new Uint8Array(stored.weights));
  console.log(
    JSON.stringify({
      id,
      dtype: useHalf ? 'float16' : 'float32',
      metric: MODEL_CATALOG[meta.config.model].headline,
      testCount: dataset.test.count,
      float32,
      float16,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(`pretrained: ${(err as Error).message}`);
  process.exit(1);
});
