/**
 * The digit classifier's file (models/digit-classifier.ts), in the checkpoints' style
 * (train/checkpoint.ts): a JSON half with its config, tf.io weight specs and test numbers, and a
 * binary half with the weights (tf.io.encodeWeights order: w0, w1, … in `variables` order), in
 * float16 (TF.js's `"quantization": {"dtype": "float16"}`, 2 bytes a value) or float32.
 * The shipped one is public/pretrained/digit-classifier.{json,bin}, made by `npm run make:classifier`;
 * it is not a zoo model and so not in public/pretrained/manifest.json: its numbers live in its meta.
 *
 *   loadDigitClassifier(json, bin) → DigitClassifier (every problem refused with a message)
 *   classifyImages(classifier, images [N,784] in [0,1]) → Int32Array of N labels (batched)
 */
import * as tf from '@tensorflow/tfjs-core';
import { decodeHalf, encodeHalf } from '../core/half-float';
import {
  DIGIT_CLASSES,
  DIGIT_CLASSIFIER_DEFAULTS,
  DIGIT_PIXELS,
  DigitClassifier,
  type DigitClassifierConfig,
} from '../models/digit-classifier';
import { bytesOf, isHalf, parseWeightSpecs } from './checkpoint';

export const DIGIT_CLASSIFIER_FORMAT = 'latent-lab-digit-classifier';
export const DIGIT_CLASSIFIER_VERSION = 1;

/** How the shipped weights were made and how well they do (all 10,000 MNIST test digits). */
export interface DigitClassifierInfo {
  /** Share of test digits labelled correctly, with the weights as stored. */
  testAccuracy: number;
  /** The same per true class 0…9. */
  perClassAccuracy: number[];
  /** Test accuracy with the weights in float32 and rounded to float16. */
  float32Accuracy: number;
  float16Accuracy: number;
  testCount: number;
  seed: number;
  epochs: number;
  /** Seconds of training (and of the whole command). */
  trainSeconds: number;
  command: string;
}

export interface DigitClassifierMeta extends DigitClassifierInfo {
  format: typeof DIGIT_CLASSIFIER_FORMAT;
  version: number;
  config: DigitClassifierConfig;
  dtype: 'float16' | 'float32';
  weightSpecs: tf.io.WeightsManifestEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isShare = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;

/** Checks the JSON half (an object, or its text), with one message naming the first problem. */
export function parseDigitClassifierMeta(raw: unknown): DigitClassifierMeta {
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch {
      throw new Error('the digit classifier file is not valid JSON');
    }
  }
  if (!isObject(raw)) throw new Error('the digit classifier file is not a JSON object');
  if (raw.format !== DIGIT_CLASSIFIER_FORMAT)
    throw new Error(`not a digit classifier file (format is ${JSON.stringify(raw.format)})`);
  if (raw.version !== DIGIT_CLASSIFIER_VERSION)
    throw new Error(
      `digit classifier version ${JSON.stringify(raw.version)} is not supported (this code reads ${DIGIT_CLASSIFIER_VERSION})`,
    );
  const c = raw.config;
  if (
    !isObject(c) ||
    !Array.isArray(c.channels) ||
    c.channels.length !== 3 ||
    !c.channels.every(isCount) ||
    !isCount(c.hidden)
  )
    throw new Error(
      'the digit classifier\'s "config" should give three conv "channels" and "hidden", whole numbers ≥ 1',
    );
  const specs = parseWeightSpecs(raw.weightSpecs, 'the digit classifier file');
  const numbers = ['testAccuracy', 'float32Accuracy', 'float16Accuracy'] as const;
  for (const key of numbers)
    if (!isShare(raw[key])) throw new Error(`"${key}" should be a share in [0, 1]`);
  if (
    !Array.isArray(raw.perClassAccuracy) ||
    raw.perClassAccuracy.length !== DIGIT_CLASSES ||
    !raw.perClassAccuracy.every(isShare)
  )
    throw new Error(`"perClassAccuracy" should be ${DIGIT_CLASSES} shares in [0, 1]`);
  return {
    format: DIGIT_CLASSIFIER_FORMAT,
    version: DIGIT_CLASSIFIER_VERSION,
    config: {
      channels: [...(c.channels as number[])] as [number, number, number],
      hidden: c.hidden,
    },
    dtype: specs.every(isHalf) ? 'float16' : 'float32',
    weightSpecs: specs,
    testAccuracy: raw.testAccuracy as number,
    perClassAccuracy: [...(raw.perClassAccuracy as number[])],
    float32Accuracy: raw.float32Accuracy as number,
    float16Accuracy: raw.float16Accuracy as number,
    testCount: typeof raw.testCount === 'number' ? raw.testCount : 0,
    seed: typeof raw.seed === 'number' ? raw.seed : 0,
    epochs: typeof raw.epochs === 'number' ? raw.epochs : 0,
    trainSeconds: typeof raw.trainSeconds === 'number' ? raw.trainSeconds : 0,
    command: typeof raw.command === 'string' ? raw.command : '',
  };
}

/** The classifier's file: its meta (with `info`) and weights, float16 when asked. */
export async function encodeDigitClassifier(
  classifier: DigitClassifier,
  info: DigitClassifierInfo,
  options: { float16?: boolean } = {},
): Promise<{ meta: DigitClassifierMeta; weights: ArrayBuffer }> {
  const named = classifier.variables.map((v, i) => ({ name: `w${i}`, tensor: v as tf.Tensor }));
  const encoded = await tf.io.encodeWeights(named);
  const { specs } = encoded;
  let data = encoded.data;
  if (options.float16) {
    data = encodeHalf(new Float32Array(data)).buffer as ArrayBuffer;
    for (const spec of specs) spec.quantization = { dtype: 'float16' };
  }
  return {
    meta: {
      format: DIGIT_CLASSIFIER_FORMAT,
      version: DIGIT_CLASSIFIER_VERSION,
      config: { ...classifier.config, channels: [...classifier.config.channels] },
      dtype: options.float16 ? 'float16' : 'float32',
      weightSpecs: specs,
      ...info,
    },
    weights: data,
  };
}

/**
 * A classifier with the file's weights: `json` is the JSON half (text or parsed), `bin` its
 * weights. Shapes and byte length are checked before anything is built; the caller disposes it.
 */
export function loadDigitClassifier(json: unknown, bin: ArrayBuffer | Uint8Array): DigitClassifier {
  const meta = parseDigitClassifierMeta(json);
  const buffer =
    bin instanceof Uint8Array
      ? (bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer)
      : bin;
  const expectedBytes = meta.weightSpecs.reduce((a, s) => a + bytesOf(s), 0);
  if (buffer.byteLength !== expectedBytes)
    throw new Error(
      `the digit classifier's weights are truncated or padded: ${buffer.byteLength} bytes, its JSON needs ${expectedBytes}`,
    );
  const classifier = new DigitClassifier(meta.config, meta.seed);
  try {
    const vars = classifier.variables;
    if (meta.weightSpecs.length !== vars.length)
      throw new Error(
        `the digit classifier file has ${meta.weightSpecs.length} weight tensors, its config needs ${vars.length}`,
      );
    // Every shape is checked before any weight is assigned.
    vars.forEach((v, i) => {
      const spec = meta.weightSpecs[i]!;
      if (spec.name !== `w${i}` || !tf.util.arraysEqual(spec.shape, v.shape))
        throw new Error(
          `weight ${spec.name} has shape [${spec.shape.join(', ')}], the classifier expects w${i} of [${v.shape.join(', ')}]`,
        );
    });
    let offset = 0;
    vars.forEach((v, i) => {
      const spec = meta.weightSpecs[i]!;
      const bytes = buffer.slice(offset, offset + bytesOf(spec));
      offset += bytes.byteLength;
      const values = isHalf(spec) ? decodeHalf(new Uint16Array(bytes)) : new Float32Array(bytes);
      if (!values.every(Number.isFinite))
        throw new Error(`weight ${spec.name} holds a value that is not a finite number`);
      const t = tf.tensor(values, v.shape, 'float32');
      v.assign(t);
      t.dispose();
    });
    return classifier;
  } catch (err) {
    classifier.dispose();
    throw err;
  }
}

/**
 * The classifier's label for each image: images [N,784] in [0,1] (a Float32Array of N·784 values
 * or a tensor), run `batchSize` at a time → Int32Array [N]. Leaves no tensors behind.
 */
export async function classifyImages(
  classifier: DigitClassifier,
  images: Float32Array | tf.Tensor2D,
  batchSize = 500,
): Promise<Int32Array> {
  const total = images instanceof Float32Array ? images.length : images.size;
  if (
    total % DIGIT_PIXELS !== 0 ||
    (!(images instanceof Float32Array) && images.shape[1] !== DIGIT_PIXELS)
  )
    throw new Error(`classifyImages: images should be [N, ${DIGIT_PIXELS}] (28×28 digits)`);
  const N = total / DIGIT_PIXELS;
  const out = new Int32Array(N);
  for (let start = 0; start < N; start += batchSize) {
    const n = Math.min(batchSize, N - start);
    const batch =
      images instanceof Float32Array
        ? tf.tensor2d(images.subarray(start * DIGIT_PIXELS, (start + n) * DIGIT_PIXELS), [
            n,
            DIGIT_PIXELS,
          ])
        : tf.slice(images, [start, 0], [n, DIGIT_PIXELS]);
    const labels = tf.tidy(() => tf.argMax(classifier.logits(batch), 1));
    batch.dispose();
    out.set(await labels.data(), start);
    labels.dispose();
  }
  return out;
}

/** Share of `labels` equal to `truth`, overall and per true class (NaN for a class with no images). */
export function accuracyOf(
  labels: ArrayLike<number>,
  truth: ArrayLike<number>,
): { accuracy: number; perClass: number[] } {
  if (labels.length !== truth.length)
    throw new Error(`accuracyOf: ${labels.length} labels for ${truth.length} true classes`);
  const right = new Array<number>(DIGIT_CLASSES).fill(0);
  const seen = new Array<number>(DIGIT_CLASSES).fill(0);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = truth[i]!;
    seen[t]!++;
    if (labels[i] === t) {
      right[t]!++;
      correct++;
    }
  }
  return {
    accuracy: correct / Math.max(1, labels.length),
    perClass: right.map((r, k) => r / seen[k]!),
  };
}

export { DIGIT_CLASSIFIER_DEFAULTS };
