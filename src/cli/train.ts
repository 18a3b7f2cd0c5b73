/**
 * `npm run train -- --model vae --latent 20 --hidden 400 --epochs 10 …`: the browser's trainer
 * in Node (TF.js wasm backend, or cpu), one JSON line per epoch on stdout:
 *   {"epoch":1,"train":{…terms},"test":{…terms[, "iw"]},"activeUnits":…,"imagesPerSec":…,
 *    "testSquaredError":…,"testNormalisedMse":…,"step":…}
 * Train terms are the mean over the epoch's steps; test terms are over all 10,000 test digits, or
 * the first N with --test-limit N (one sample of the noise per image); `test.iw` is −log p̂_K(x) with --eval-iw K (VAE only),
 * after the last epoch, and every N epochs with --eval-iw-every N. `--help` lists every flag.
 * A prior over codes (--tokenizer DIR, cli/prior-cli.ts) adds test.nllPerToken and
 * test.nllPerImage (nats) and leaves out what only its frozen tokenizer decides (the squared
 * error, codebook use); `--load DIR --sample N …` draws from a saved prior instead of training.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MODEL_CATALOG } from '../contracts/catalog';
import { activeUnits } from '../core/active-units';
import { codeUsage, perplexity } from '../core/codebook-stats';
import { mulberry32 } from '../core/rng';
import { loadImageDataset, type ImageDataset } from '../data/image-dataset';
import { binarizeInPlace, EVAL_BINARIZATION_SEED, toFloatPixels } from '../data/pixels';
import { Vae } from '../models/vae';
import { installCpuKernels } from '../backends/cpu/cpu-kernels';
import { installWasmKernels } from '../backends/wasm/wasm-kernels';
import { encodeCheckpoint } from '../train/checkpoint';
import { embedSplit, evaluateSplit, reconstructionSquaredError } from '../train/evaluate';
import { profileKernels } from '../backends/kernel-profile';
import { formatStepProfile, summarizeProfile } from '../backends/kernel-categories';
import { Trainer } from '../train/trainer';
import { buildPytorchExport } from '../train/export/pytorch-export';
import { cliHelp, evalIwDue, parseCliArgs } from './args';
import { enableRelaxedSimd } from './node-simd';
import {
  carrySavedTokenizer,
  priorConfigFrom,
  readCheckpointDir,
  samplePrior,
  withNllPerToken,
} from './prior-cli';

const EVAL_SEED = 4242;
/** Training images used for the active-units statistic (Burda et al. use the whole set; 500 is the choice). */
const ACTIVE_UNITS_IMAGES = 500;

function diskFetch(root: string) {
  return async (url: string) => {
    try {
      return new Response(await readFile(resolve(root, url.replace(/^datasets:\/\//, ''))));
    } catch {
      return new Response('missing', { status: 404 });
    }
  };
}

function limitTrain(ds: ImageDataset, limit: number | null): ImageDataset {
  if (limit === null || limit >= ds.train.count) return ds;
  const P = ds.height * ds.width;
  return {
    ...ds,
    train: {
      count: limit,
      images: ds.train.images.subarray(0, limit * P),
      labels: ds.train.labels.subarray(0, limit),
    },
  };
}

async function main(): Promise<void> {
  const opts = parseCliArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(cliHelp());
    return;
  }
  // The .wasm binaries are read from the installed package (this file is a bundle elsewhere).
  setWasmPaths(resolve(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  enableRelaxedSimd();
  installWasmKernels();
  await installCpuKernels();
  const ok = await tf.setBackend(opts.backend);
  if (!ok) throw new Error(`the ${opts.backend} backend could not start`);
  const root = resolve(process.cwd(), 'datasets');
  if (opts.sample) {
    await samplePrior(opts, root);
    return;
  }
  // --tokenizer DIR: a prior over the codes of the tokenizer saved there, on its dataset.
  const tokenizer = opts.tokenizer ? await readCheckpointDir(opts.tokenizer, '--tokenizer') : null;
  const { config, dataset: datasetId } = tokenizer
    ? priorConfigFrom(tokenizer, opts)
    : { config: opts.config, dataset: opts.dataset };
  const dataset = limitTrain(
    await loadImageDataset('datasets://', datasetId, diskFetch(root)),
    opts.limit,
  );
  const P = dataset.height * dataset.width;

  // The evaluation's test images: all, or the first --test-limit (the trainer's probe digits, and
  // so the PyTorch export, come from the whole test split either way).
  const testCount = Math.min(dataset.test.count, opts.testLimit ?? Infinity);
  const testPixels = toFloatPixels(dataset.test.images, 0, testCount, P);
  if (config.binarize !== 'none') binarizeInPlace(testPixels, mulberry32(EVAL_BINARIZATION_SEED));
  const testX = tf.tensor2d(testPixels, [testCount, P]);
  const auCount = Math.min(ACTIVE_UNITS_IMAGES, dataset.train.count);
  const auX = tf.tensor2d(toFloatPixels(dataset.train.images, 0, auCount, P), [auCount, P]);
  // Labels, for a conditional model (the others ignore them).   int32 [N]
  const testY = tf.tensor1d(Int32Array.from(dataset.test.labels.subarray(0, testCount)), 'int32');
  const auY = tf.tensor1d(Int32Array.from(dataset.train.labels.subarray(0, auCount)), 'int32');

  const trainer = new Trainer(dataset, config);
  if (tokenizer)
    console.error(carrySavedTokenizer(tokenizer, trainer.model, config, P, dataset.classes));
  const traits = MODEL_CATALOG[config.model].traits;
  const variance = pixelVariance(dataset.train.images);
  console.error(
    `training ${MODEL_CATALOG[config.model].describe(config)} on ${dataset.train.count} images, backend ${tf.getBackend()}; training pixel variance ${variance.toFixed(5)}`,
  );
  await trainer.prepare();
  if (opts.profile > 0) {
    await printKernelProfile(trainer, opts.profile, config.batchSize);
    trainer.dispose();
    tf.dispose([testX, auX, testY, auY]);
    return;
  }
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const sums: Record<string, number> = {};
    const events: string[] = [];
    let steps = 0;
    const start = performance.now();
    const accumulate = async () => {
      const m = await trainer.flush();
      if (!m) return;
      for (const [k, v] of Object.entries(m.terms))
        sums[k] = (sums[k] ?? 0) + v.reduce((a, b) => a + b, 0);
      steps += m.steps.length;
    };
    let converged = false;
    while (trainer.epoch < epoch) {
      if (trainer.fitsWithoutGradients) converged = await trainer.fitStep();
      else trainer.trainStep();
      if (trainer.pendingSteps >= 50) await accumulate();
      events.push(...(await trainer.maintain()));
    }
    await accumulate();
    const seconds = (performance.now() - start) / 1000;
    const test = await evaluateSplit(trainer.model, testX, EVAL_SEED, 1000, testY);
    const iwDue = evalIwDue(epoch, opts.epochs, opts.evalIw, opts.evalIwEvery);
    if (iwDue && trainer.model instanceof Vae) {
      const model = trainer.model;
      const chunk = Math.max(1, Math.floor(20000 / opts.evalIw));
      let sum = 0;
      for (let s = 0; s < testX.shape[0]; s += chunk) {
        const n = Math.min(chunk, testX.shape[0] - s);
        const t = tf.tidy(() =>
          tf.sum(
            model.negIwBound(
              tf.slice(testX, [s, 0], [n, P]) as tf.Tensor2D,
              opts.evalIw,
              EVAL_SEED + s,
            ),
          ),
        );
        sum += (await t.data())[0]!;
        t.dispose();
      }
      test.iw = sum / testX.shape[0];
    }
    const positions = trainer.model.codeLayout?.positions;
    const testTerms = traits.prior && positions ? withNllPerToken(test, positions) : test;
    const line: Record<string, unknown> = {
      epoch,
      step: trainer.step,
      train: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, round(v / steps)])),
      test: Object.fromEntries(Object.entries(testTerms).map(([k, v]) => [k, round(v)])),
      imagesPerSec: Math.round((steps * trainer.imagesPerStep) / seconds),
    };
    if (testCount < dataset.test.count) line.testImages = testCount; // --test-limit
    if (!traits.prior) {
      // A model that reports it (GLO, whose test codes are found by optimisation) is not asked
      // twice. (A prior's reconstructions and codes are its frozen tokenizer's: `recon` says it.)
      const squaredError =
        test.squaredError ?? (await reconstructionSquaredError(trainer.model, testX, 1000, testY));
      // Σ_p (x_p − x̂_p)² per test image, the unit of PCA's reconstruction error.
      line.testSquaredError = round(squaredError);
      // The Keras VQ-VAE example's loss unit: mean squared error per pixel / var(training pixels).
      line.testNormalisedMse = round(squaredError / (P * variance), 5);
    }
    if (traits.prior) {
      // nothing more: codebook use is the frozen tokenizer's, the same every epoch
    } else if (trainer.model.takeCodeUsage) {
      // Codes used at least once during this epoch, and the perplexity of their use.
      const counts = await trainer.model.takeCodeUsage();
      line.codesUsed = counts.filter((c) => c > 0).length;
      line.perplexity = round(perplexity(counts));
    } else if (trainer.model.codes) {
      const { indices, size } = trainer.model.codes(testX);
      const counts = codeUsage(await indices.data(), size);
      indices.dispose();
      line.codesUsed = counts.filter((c) => c > 0).length;
      line.perplexity = round(perplexity(counts));
    }
    if (events.length) line.events = events;
    if (traits.latent === 'continuous' && traits.kl) {
      // Active units (Burda et al.'s rule) need a posterior with a KL to its prior.
      const { data, dims } = await embedSplit(trainer.model, auX, auY);
      line.activeUnits = activeUnits(data, auX.shape[0], dims);
    }
    if (trainer.fitsWithoutGradients) line.converged = converged;
    if (trainer.fitInfo) Object.assign(line, trainer.fitInfo); // e.g. k-means' cluster sizes
    console.log(JSON.stringify(line));
    if (converged) break; // a fitted model at rest: further iterations would repeat this line
  }
  if (opts.save) {
    const { meta, weights } = await encodeCheckpoint(trainer.model, config, {
      step: trainer.step,
      epoch: trainer.epoch,
      dataset: dataset.id,
    });
    await mkdir(opts.save, { recursive: true });
    await writeFile(resolve(opts.save, 'checkpoint.json'), JSON.stringify(meta, null, 2));
    await writeFile(resolve(opts.save, 'weights.bin'), new Uint8Array(weights));
    console.error(`saved ${opts.save}/checkpoint.json and weights.bin`);
  }
  if (opts.exportPytorch) {
    const files = await buildPytorchExport({
      model: trainer.model,
      config,
      step: trainer.step,
      epoch: trainer.epoch,
      dataset,
      probeX: trainer.probeX,
      probeLabels: trainer.probeLabels,
      // The Python templates: public/pytorch/, which the CLI build copies next to train.mjs.
      templates: (file) =>
        readFile(resolve(dirname(fileURLToPath(import.meta.url)), 'pytorch', file), 'utf8'),
    });
    await mkdir(opts.exportPytorch, { recursive: true });
    for (const f of files) await writeFile(resolve(opts.exportPytorch, f.path), f.data);
    console.error(
      `exported for PyTorch to ${opts.exportPytorch}: ${files.map((f) => f.path).join(', ')}`,
    );
  }
  trainer.dispose();
  tf.dispose([testX, auX, testY, auY]);
}

/** --profile N: 5 warm-up steps, then N timed steps kernel by kernel (self times), on stderr. */
async function printKernelProfile(trainer: Trainer, steps: number, batch: number): Promise<void> {
  for (let i = 0; i < 5; i++) trainer.trainStep();
  await trainer.flush();
  const profile = profileKernels(tf.getBackend());
  const start = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  await trainer.flush();
  const ms = performance.now() - start;
  // Self times (a kernel's time less that of the kernels it ran): shares add up to ≤ 100 %.
  const p = summarizeProfile(profile.stop(), steps, ms);
  console.error(
    `${steps} steps in ${ms.toFixed(0)} ms: ${((steps * batch * 1000) / ms).toFixed(0)} img/s, ` +
      `${p.stepMs.toFixed(2)} ms/step, of which kernels ${p.kernelMs.toFixed(2)} ms`,
  );
  console.error(formatStepProfile(p));
  console.error('kernel                      calls/step  self ms/step   share  incl. ms/step');
  for (const r of p.kernels.slice(0, 25)) {
    console.error(
      `${r.kernel.padEnd(28)}${r.calls.toFixed(1).padStart(10)}${r.ms.toFixed(3).padStart(14)}` +
        `${((100 * r.ms) / p.stepMs).toFixed(1).padStart(6)} %${r.totalMs.toFixed(3).padStart(15)}`,
    );
  }
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Variance of all training pixel intensities in [0, 1] (Keras: np.var(x_train / 255)). */
function pixelVariance(images: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    sum += v;
    sq += v * v;
  }
  const mean = sum / images.length;
  return sq / images.length - mean * mean;
}

main().catch((err: unknown) => {
  console.error(`train: ${(err as Error).message}`);
  process.exit(1);
});
