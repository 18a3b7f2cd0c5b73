/**
 * `npm run measure:infer [-- --digits 100 --steps 1000 --rate 0.05 ids…]`: how inference by
 * optimisation compares with the encoder on the shipped trained models (public/pretrained/).
 * For the first --digits of the page's probe digits, in one batch, Adam on the codes only
 * (src/train/infer/), from zero codes (uniform logits), squared error summed over 784 pixels:
 *   - the encoder's error in one shot (its code decoded as the model reconstructs: VQ-VAE
 *     quantised, Gumbel models' most likely codes), and the decoded inferred code's error at
 *     steps 10, 30, 100, 300, 1000 (mean per image);
 *   - per digit, the first step (checked every 10) at which inference reaches the encoder's
 *     error: the median over digits, and how many get there within --steps;
 *   - restoration with the top-left quadrant erased: squared error on the erased pixels of
 *     (a) the encoder given the damaged digit and (b) inference fitted to the visible pixels.
 * Prints one JSON line per model. Wasm backend, fixed seeds: reruns give the same numbers.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { visibleMask } from '../core/digit-masks';
import { loadImageDataset } from '../data/image-dataset';
import { installCpuKernels } from '../backends/cpu/cpu-kernels';
import { installWasmKernels } from '../backends/wasm/wasm-kernels';
import { loadCheckpointWeights, parseCheckpointMeta } from '../train/checkpoint';
import { codeSpaceOf, type CodeSpace } from '../train/infer/code-space';
import { InferenceRun, maskedLoss } from '../train/infer/inference';
import { Trainer } from '../train/trainer';

const CHECK_EVERY = 10;
const REPORT_AT = [10, 30, 100, 300, 1000, 3000];

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const round = (v: number) => Math.round(v * 100) / 100;

/** Squared error per image of what `space` shows for codes z against x on `mask`.   → [B] */
async function shownError(space: CodeSpace, z: tf.Tensor2D, x: tf.Tensor2D, mask: tf.Tensor2D) {
  const e = tf.tidy(() => maskedLoss(space.show(z), x, mask, 'squared'));
  const v = await e.data();
  e.dispose();
  return Float32Array.from(v);
}

async function measureModel(id: string, argv: string[]) {
  const digits = Number(flag(argv, 'digits', '100'));
  const steps = Number(flag(argv, 'steps', '1000'));
  const rate = Number(flag(argv, 'rate', '0.05'));
  const dir = resolve('public/pretrained');
  const meta = parseCheckpointMeta(JSON.parse(await readFile(resolve(dir, `${id}.json`), 'utf8')));
  const weights = new Uint8Array(await readFile(resolve(dir, `${id}.bin`))).buffer;
  const dataset = await loadImageDataset('datasets://', meta.dataset, async (url: string) => {
    try {
      return new Response(await readFile(resolve('datasets', url.replace(/^datasets:\/\//, ''))));
    } catch {
      return new Response('missing', { status: 404 });
    }
  });
  const trainer = new Trainer(dataset, meta.config);
  loadCheckpointWeights(trainer.model, meta, weights);
  const space = codeSpaceOf(trainer.model);
  if (!space?.encode) throw new Error(`${id}: no code space with an encoder`);
  const P = trainer.pixels;
  const x = tf.slice(trainer.probeX, [0, 0], [digits, P]) as tf.Tensor2D;
  const all = tf.ones([1, P]) as tf.Tensor2D;
  const started = performance.now();

  // Inference against the encoder, all pixels.
  const zEnc = space.encode(x);
  const encoder = await shownError(space, zEnc, x, all);
  const run = new InferenceRun(space, x, all, {
    start: 'zero',
    loss: 'squared',
    learningRate: rate,
    seed: 1,
  });
  const reached = new Array<number | null>(digits).fill(null);
  const at: Record<number, number> = {};
  for (let done = 0; done <= steps; done += CHECK_EVERY) {
    const err = await shownError(space, run.z, x, all);
    err.forEach((e, i) => {
      if (reached[i] === null && e <= encoder[i]!) reached[i] = done;
    });
    if (REPORT_AT.includes(done)) at[done] = round(mean(err));
    if (done < steps) run.steps(CHECK_EVERY, false).losses.dispose();
  }
  run.dispose();
  const matched = reached.filter((s): s is number => s !== null);

  // Restoration: the top-left quadrant erased.
  const m = tf.tensor2d(
    visibleMask({ kind: 'quadrant', which: 0 }, trainer.height, trainer.width),
    [1, P],
  );
  const erased = tf.sub(1, m) as tf.Tensor2D;
  const damaged = tf.mul(x, m) as tf.Tensor2D;
  const zDamaged = space.encode(damaged);
  const encoderRestored = await shownError(space, zDamaged, x, erased);
  const fit = new InferenceRun(space, x, m, {
    start: 'zero',
    loss: 'squared',
    learningRate: rate,
    seed: 1,
  });
  fit.steps(steps, false).losses.dispose();
  const inferredRestored = await shownError(space, fit.z, x, erased);
  fit.dispose();
  tf.dispose([x, all, zEnc, m, erased, damaged, zDamaged]);
  trainer.dispose();
  return {
    id,
    model: meta.config.model,
    codes: space.info.kind,
    digits,
    steps,
    learningRate: rate,
    unit: 'squared error per image, summed over 784 pixels (restoration: over the 196 erased)',
    encoder: round(mean(encoder)),
    inferredAt: at,
    matchedEncoder: `${matched.length} of ${digits}`,
    medianStepsToMatch: matched.length ? median(matched) : null,
    restoration: {
      mask: 'top-left quadrant',
      encoderOfDamaged: round(mean(encoderRestored)),
      inferredFromVisible: round(mean(inferredRestored)),
    },
    seconds: round((performance.now() - started) / 1000),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const ids = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  setWasmPaths(resolve(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  installWasmKernels();
  await installCpuKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend could not start');
  for (const id of ids.length ? ids : ['vae-2d', 'ae-2d', 'vae-20d', 'vqvae', 'dvae', 'catvae'])
    console.log(JSON.stringify(await measureModel(id, argv)));
}

main().catch((err: unknown) => {
  console.error(`measure:infer: ${(err as Error).message}`);
  process.exit(1);
});
