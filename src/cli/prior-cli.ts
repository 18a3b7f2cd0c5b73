/**
 * The CLI's two commands for the prior over codes (models/token-prior.ts), besides training:
 *   --tokenizer DIR …   a prior trained on the codes of the VQ-VAE or dVAE saved in DIR (or of the
 *                       tokenizer inside a prior saved there), frozen. Its settings and dataset
 *                       come from DIR/checkpoint.json; the prior's own settings (the catalog's
 *                       `prior` list: --layers, --width, --heads, --dropout, --conditional, --lr,
 *                       --batch, --seed) from the command line.
 *   --load DIR --sample N --class 0…9|any --temperature T [--top-k K] [--guidance W] [--seed S] --out OUT
 *                       N code grids drawn from the prior in DIR (≤ 100 per device call), decoded
 *                       by its tokenizer, written as IDX files (data/idx.ts):
 *                         OUT/samples-images-idx3-ubyte   uint8 [N, H, W]   grey levels round(255·x̂)
 *                         OUT/samples-labels-idx1-ubyte   uint8 [N]         the class asked for,
 *                                                                           10 (ANY_CLASS_LABEL) for any
 *                       and one JSON line: {"samples","class","temperature","topK","seed","seconds","files"}.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_CATALOG } from '../contracts/catalog';
import { TOKENIZERS, type TrainConfig, type TokenizerKind } from '../contracts/config';
import { SETTING_ROWS } from '../contracts/settings';
import { encodeIdx } from '../data/idx';
import { validateManifest } from '../data/manifest';
import type { LatentModel } from '../models/latent-model';
import { createModel } from '../models/zoo';
import { DATASET_IDS, type DatasetId } from '../state/settings';
import {
  loadCheckpointWeights,
  parseCheckpointMeta,
  type CheckpointMeta,
} from '../train/checkpoint';
import { carryTokenizer } from '../train/prior-stage';
import { ANY_CLASS_LABEL, type CliOptions } from './args';

/** Most samples the prior draws in one device call. */
export const SAMPLE_BATCH = 100;
export const SAMPLE_IMAGES_FILE = 'samples-images-idx3-ubyte';
export const SAMPLE_LABELS_FILE = 'samples-labels-idx1-ubyte';

export interface SavedRun {
  dir: string;
  meta: CheckpointMeta;
  weights: ArrayBuffer;
}

/** DIR/checkpoint.json and DIR/weights.bin, read and checked; `flag` names DIR in messages. */
export async function readCheckpointDir(dir: string, flag: string): Promise<SavedRun> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new Error(`${flag} ${dir}: no such folder`);
  const read = (file: string) =>
    readFile(resolve(dir, file)).catch(() => {
      throw new Error(`${flag} ${dir}: no ${file} there (a run saved with --save DIR has one)`);
    });
  const text = (await read('checkpoint.json')).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${flag} ${dir}: checkpoint.json is not valid JSON`);
  }
  let meta: CheckpointMeta;
  try {
    meta = parseCheckpointMeta(raw);
  } catch (err) {
    throw new Error(`${flag} ${dir}/checkpoint.json: ${(err as Error).message}`);
  }
  const bytes = await read('weights.bin');
  const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { dir, meta, weights: weights as ArrayBuffer };
}

/** The prior's own settings, which the command line gives (the rest is the tokenizer's). */
const PRIOR_KEYS = MODEL_CATALOG.prior.settings.filter((k) => k !== 'model');

/** The tokenizer a checkpoint holds: a VQ-VAE or dVAE itself, or the one frozen in a prior. */
function tokenizerKindOf(saved: SavedRun, flag: string): TokenizerKind {
  const { model } = saved.meta.config;
  if ((TOKENIZERS as readonly string[]).includes(model)) return model as TokenizerKind;
  if (model === 'prior') return saved.meta.config.tokenizerKind;
  throw new Error(
    `${flag} ${saved.dir} holds a ${model} (${MODEL_CATALOG[model].label}), not a tokenizer: it needs a VQ-VAE (vqvae) or dVAE (dvae) run, or a prior, whose tokenizer is taken`,
  );
}

/** The checkpoint's dataset, checked against --dataset where that was given. */
function datasetOf(saved: SavedRun, opts: CliOptions, flag: string): DatasetId {
  const id = saved.meta.dataset;
  if (!(DATASET_IDS as readonly string[]).includes(id))
    throw new Error(`${flag} ${saved.dir} was trained on "${id}", which this CLI does not know`);
  if (opts.given.includes('dataset') && opts.dataset !== id)
    throw new Error(
      `${flag} ${saved.dir} was trained on ${id}, not ${opts.dataset}: drop --dataset, or use a run trained on ${opts.dataset}`,
    );
  return id as DatasetId;
}

/** Refuses setting flags other than `allowed` (url keys), saying where those settings come from. */
function refuseOthers(opts: CliOptions, allowed: readonly string[], why: string): void {
  const stray = opts.given.filter((f) => f !== 'dataset' && !allowed.includes(f));
  if (stray.length)
    throw new Error(`${stray.map((f) => `--${f}`).join(', ')}: ${why} (npm run train -- --help)`);
}

/**
 * `--tokenizer DIR`: the prior's config, whose tokenizer settings are the checkpoint's and whose
 * own settings are the command line's, and the dataset the tokenizer was trained on.
 */
export function priorConfigFrom(
  saved: SavedRun,
  opts: CliOptions,
): { config: TrainConfig; dataset: DatasetId } {
  const flag = '--tokenizer';
  const kind = tokenizerKindOf(saved, flag);
  const dataset = datasetOf(saved, opts, flag);
  const own = (['model', ...PRIOR_KEYS] as const).map((k) => SETTING_ROWS[k].url);
  refuseOthers(
    opts,
    own,
    `with --tokenizer, the tokenizer's settings come from ${saved.dir}/checkpoint.json; the prior's own are ${PRIOR_KEYS.map((k) => `--${SETTING_ROWS[k].url}`).join(', ')}`,
  );
  const config = { ...saved.meta.config, model: 'prior', tokenizerKind: kind } as TrainConfig;
  const target = config as unknown as Record<string, unknown>;
  for (const k of PRIOR_KEYS) target[k] = opts.config[k];
  return { config, dataset };
}

/**
 * Copies the tokenizer saved in `saved` into the new prior `prior` (train/prior-stage.ts): the
 * saved run is built from its own config, loaded, carried over, disposed. Returns the event text.
 */
export function carrySavedTokenizer(
  saved: SavedRun,
  prior: LatentModel,
  config: TrainConfig,
  inputDim: number,
  classes: number,
): string {
  const source = createModel(saved.meta.config, inputDim, null, classes);
  try {
    loadCheckpointWeights(source, saved.meta, saved.weights);
    const from =
      saved.meta.config.model === 'prior'
        ? source.tokenizerVariables
        : (source.savedVariables ?? source.variables);
    const to = prior.tokenizerVariables;
    const fits =
      from !== undefined &&
      to !== undefined &&
      from.length === to.length &&
      from.every((v, i) => tf.util.arraysEqual(v.shape, to[i]!.shape));
    if (!fits)
      throw new Error(
        `--tokenizer ${saved.dir}: its weights do not fit the prior's ${config.tokenizerKind} tokenizer`,
      );
    const step = { model: source, config: saved.meta.config, step: saved.meta.step };
    return carryTokenizer(step, prior, config) ?? '';
  } finally {
    source.dispose();
  }
}

/** A prior's test terms with −log p(codes) per token and per image (nats) beside them. */
export function withNllPerToken(
  test: Record<string, number>,
  positions: number,
): Record<string, number> {
  const nll = test.nll;
  if (nll === undefined) return test;
  return { ...test, nllPerToken: nll / positions, nllPerImage: nll };
}

/**
 * The two IDX files of `count` decoded samples: intensities in [0, 1] → grey levels
 * round(255·x) (clamped), and each sample's label byte.   pixels [count·H·W], labels [count]
 */
export function samplesIdx(
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
  labels: Uint8Array,
): { images: Uint8Array; labels: Uint8Array } {
  const grey = new Uint8Array(count * height * width);
  for (let i = 0; i < grey.length; i++)
    grey[i] = Math.round(255 * Math.min(1, Math.max(0, pixels[i] ?? 0)));
  return { images: encodeIdx([count, height, width], grey), labels: encodeIdx([count], labels) };
}

/** Writes OUT/samples-images-idx3-ubyte and OUT/samples-labels-idx1-ubyte; returns their paths. */
export async function writeSampleFiles(
  out: string,
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
  labels: Uint8Array,
): Promise<string[]> {
  const files = samplesIdx(pixels, count, height, width, labels);
  await mkdir(out, { recursive: true });
  const paths = [resolve(out, SAMPLE_IMAGES_FILE), resolve(out, SAMPLE_LABELS_FILE)];
  await writeFile(paths[0]!, files.images);
  await writeFile(paths[1]!, files.labels);
  return paths;
}

/** Image shape and classes of dataset `id` in datasets/index.json (no images loaded). */
async function datasetShape(root: string, id: string) {
  const raw: unknown = JSON.parse(await readFile(resolve(root, 'index.json'), 'utf8'));
  const entry = validateManifest(raw).datasets.find((d) => d.id === id);
  if (!entry) throw new Error(`dataset "${id}" is not in datasets/index.json`);
  return { height: entry.imageShape[0], width: entry.imageShape[1], classes: entry.classes };
}

/**
 * `--load DIR --sample N …`: draws, decodes, writes the IDX files, prints one JSON line.
 * `batch`: samples per device call (SAMPLE_BATCH; tests use fewer).
 */
export async function samplePrior(
  opts: CliOptions,
  datasetsRoot: string,
  batch = SAMPLE_BATCH,
): Promise<void> {
  const request = opts.sample!;
  const flag = '--load';
  const saved = await readCheckpointDir(opts.load!, flag);
  const { config } = saved.meta;
  if (config.model !== 'prior')
    throw new Error(
      `${flag} ${saved.dir} holds a ${config.model} (${MODEL_CATALOG[config.model].label}), not a prior over codes: train one with --tokenizer DIR --save DIR`,
    );
  refuseOthers(
    opts,
    [SETTING_ROWS.seed.url],
    'sampling takes the model from --load; --seed seeds the draws',
  );
  const dataset = datasetOf(saved, opts, flag);
  const { height, width, classes } = await datasetShape(datasetsRoot, dataset);
  const model = createModel(config, height * width, null, classes);
  try {
    loadCheckpointWeights(model, saved.meta, saved.weights);
    const { generate, decodeCodes, codeLayout } = model;
    if (!generate || !decodeCodes || !codeLayout)
      throw new Error(`${flag} ${saved.dir}: this prior cannot generate codes`);
    const { label, temperature, topK, guidance, count, out } = request;
    if (label !== null && !config.conditional)
      throw new Error(
        `${flag} ${saved.dir} was trained without a class token (--conditional false): use --class any`,
      );
    if (label !== null && label >= classes)
      throw new Error(`--class ${label}: ${dataset} has classes 0 … ${classes - 1}`);
    if (topK > codeLayout.size)
      throw new Error(`--top-k ${topK}: the tokenizer has ${codeLayout.size} codes`);
    const P = height * width;
    const pixels = new Float32Array(count * P);
    const start = performance.now();
    for (let first = 0, b = 0; first < count; first += batch, b++) {
      const n = Math.min(batch, count - first);
      // Batch b draws with seed S + 100003·b: the first batch is exactly generate(seed S).
      const seed = opts.config.seed + 100003 * b;
      const images = tf.tidy(() => {
        const labels = tf.fill([n], label ?? -1, 'int32') as tf.Tensor1D;
        const codes = generate.call(model, labels, { temperature, topK, guidance, seed });
        return decodeCodes.call(model, codes); //                                        [n, P]
      });
      pixels.set(await images.data(), first * P);
      images.dispose();
    }
    const seconds = (performance.now() - start) / 1000;
    const labelBytes = new Uint8Array(count).fill(label ?? ANY_CLASS_LABEL);
    const paths = await writeSampleFiles(out, pixels, count, height, width, labelBytes);
    console.log(
      JSON.stringify({
        samples: count,
        class: label ?? 'any',
        temperature,
        topK,
        guidance,
        seed: opts.config.seed,
        seconds: Math.round(seconds * 1000) / 1000,
        files: paths,
      }),
    );
  } finally {
    model.dispose();
  }
}
