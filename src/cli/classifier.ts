/**
 * `npm run make:classifier [-- --epochs E --seed S]` (scripts/make-classifier.mjs builds this file
 * with vite.cli.config.ts into dist-cli/classifier.mjs and runs it): trains the test-time digit
 * classifier (models/digit-classifier.ts) on the 60,000 MNIST training digits, on TF.js's wasm
 * backend, with fixed seeds (initialisation and shuffling both from --seed); measures it on all
 * 10,000 test digits with its weights in float32 and rounded to float16; writes
 * public/pretrained/digit-classifier.json + .bin in float16 where that costs < 0.1 % of test
 * accuracy (else float32); prints one JSON line: test accuracy, per-class accuracies, seconds.
 *
 * Training: Adam (β = 0.9, 0.999), batch 64, step size 2e-3 on a cosine schedule down to 0 over
 * all steps, mean cross-entropy; pixels x/255 as they are (no binarisation, no augmentation).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { permutation, mulberry32 } from '../core/rng';
import { loadImageDataset } from '../data/image-dataset';
import { toFloatPixels } from '../data/pixels';
import { installCpuKernels } from '../backends/cpu/cpu-kernels';
import { installWasmKernels } from '../backends/wasm/wasm-kernels';
import { DIGIT_PIXELS, DigitClassifier } from '../models/digit-classifier';
import {
  accuracyOf,
  classifyImages,
  encodeDigitClassifier,
  loadDigitClassifier,
  type DigitClassifierInfo,
} from '../train/digit-classifier-file';

const OUT = 'public/pretrained';
const NAME = 'digit-classifier';
const BATCH = 64;
const LEARNING_RATE = 2e-3;
/** The most test accuracy float16 weights may cost (a share: 0.001 = 0.1 %) to be stored. */
const MAX_ACCURACY_COST = 0.001;
const DEFAULT_EPOCHS = 3;
const DEFAULT_SEED = 1;

function intFlag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} should be a whole number ≥ 1`);
  return v;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const known = new Set(['--epochs', '--seed']);
  for (let i = 0; i < argv.length; i += 2)
    if (!known.has(argv[i]!)) throw new Error(`unknown flag ${argv[i]} (flags: --epochs, --seed)`);
  const epochs = intFlag(argv, 'epochs', DEFAULT_EPOCHS);
  const seed = intFlag(argv, 'seed', DEFAULT_SEED);
  const started = performance.now();

  setWasmPaths(resolve(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  installWasmKernels();
  await installCpuKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend could not start');
  const dataset = await loadImageDataset('datasets://', 'mnist', async (url: string) => {
    try {
      return new Response(await readFile(resolve('datasets', url.replace(/^datasets:\/\//, ''))));
    } catch {
      return new Response('missing', { status: 404 });
    }
  });
  const P = DIGIT_PIXELS;
  const { train, test } = dataset;
  const testPixels = toFloatPixels(test.images, 0, test.count, P);

  const classifier = new DigitClassifier({}, seed);
  const optimizer = tf.train.adam(LEARNING_RATE);
  const rng = mulberry32(seed);
  const stepsPerEpoch = Math.floor(train.count / BATCH);
  const totalSteps = stepsPerEpoch * epochs;
  const xs = new Float32Array(BATCH * P);
  const ys = new Int32Array(BATCH);
  console.error(
    `training the digit classifier (${JSON.stringify(classifier.config)}) on ${train.count} digits, ${epochs} epochs of ${stepsPerEpoch} steps, seed ${seed}, backend ${tf.getBackend()}`,
  );
  const trainStart = performance.now();
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = permutation(train.count, rng);
    const epochStart = performance.now();
    let lossSum = 0;
    let pending: tf.Scalar[] = [];
    const drain = async () => {
      for (const l of pending) {
        lossSum += (await l.data())[0]!;
        l.dispose();
      }
      pending = [];
    };
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      for (let b = 0; b < BATCH; b++) {
        const i = order[s * BATCH + b]!;
        for (let p = 0; p < P; p++) xs[b * P + p] = train.images[i * P + p]! / 255;
        ys[b] = train.labels[i]!;
      }
      // Cosine schedule (`learningRate` is protected in the typings; train/trainer.ts sets it too).
      (optimizer as unknown as { learningRate: number }).learningRate =
        LEARNING_RATE * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps));
      const x = tf.tensor2d(xs, [BATCH, P]);
      const y = tf.tensor1d(ys, 'int32');
      const loss = optimizer.minimize(() => classifier.loss(x, y), true);
      tf.dispose([x, y]);
      if (loss) pending.push(loss);
      if (pending.length >= 100) await drain();
    }
    await drain();
    const labels = await classifyImages(classifier, testPixels);
    console.error(
      `epoch ${epoch}: train loss ${(lossSum / stepsPerEpoch).toFixed(4)}, test accuracy ${accuracyOf(labels, test.labels).accuracy.toFixed(4)}, ${((performance.now() - epochStart) / 1000).toFixed(1)} s`,
    );
  }
  const trainSeconds = (performance.now() - trainStart) / 1000;
  optimizer.dispose();

  // Test accuracy with the weights in float32, then through the float16 file itself.
  const full = accuracyOf(await classifyImages(classifier, testPixels), test.labels);
  const info = (accuracy: ReturnType<typeof accuracyOf>): DigitClassifierInfo => ({
    testAccuracy: accuracy.accuracy,
    perClassAccuracy: accuracy.perClass,
    float32Accuracy: full.accuracy,
    float16Accuracy: full.accuracy,
    testCount: test.count,
    seed,
    epochs,
    trainSeconds: Math.round(trainSeconds),
    command: `npm run make:classifier -- --epochs ${epochs} --seed ${seed}`,
  });
  const half = await encodeDigitClassifier(classifier, info(full), { float16: true });
  const halfModel = loadDigitClassifier(half.meta, half.weights);
  const halfAcc = accuracyOf(await classifyImages(halfModel, testPixels), test.labels);
  halfModel.dispose();
  const useHalf = full.accuracy - halfAcc.accuracy < MAX_ACCURACY_COST;
  const chosen = useHalf ? halfAcc : full;
  const stored = await encodeDigitClassifier(
    classifier,
    { ...info(chosen), float16Accuracy: halfAcc.accuracy },
    { float16: useHalf },
  );
  classifier.dispose();

  await mkdir(OUT, { recursive: true });
  const json = JSON.stringify(stored.meta);
  await writeFile(resolve(OUT, `${NAME}.json`), json);
  await writeFile(resolve(OUT, `${NAME}.bin`), new Uint8Array(stored.weights));
  console.log(
    JSON.stringify({
      files: [`${OUT}/${NAME}.json`, `${OUT}/${NAME}.bin`],
      dtype: stored.meta.dtype,
      bytes: json.length + stored.weights.byteLength,
      testAccuracy: chosen.accuracy,
      perClassAccuracy: chosen.perClass.map((a) => Math.round(a * 1e4) / 1e4),
      float32Accuracy: full.accuracy,
      float16Accuracy: halfAcc.accuracy,
      epochs,
      seed,
      trainSeconds: Math.round(trainSeconds),
      seconds: Math.round((performance.now() - started) / 1000),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(`classifier: ${(err as Error).message}`);
  process.exit(1);
});
