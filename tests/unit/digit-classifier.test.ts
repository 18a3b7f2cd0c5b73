// The test-time digit classifier (src/models/digit-classifier.ts) and its shipped file
// (public/pretrained/digit-classifier.{json,bin}, made by npm run make:classifier): its logits
// against a plain-JS forward pass, its accuracy on all 10,000 MNIST test digits against the
// accuracy its JSON records, refusal of wrong or corrupt files, and no leaked tensors.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCpuKernels } from '../../src/backends/cpu/cpu-kernels';
import { decodeHalf } from '../../src/core/half-float';
import { loadImageDataset, type ImageDataset } from '../../src/data/image-dataset';
import { toFloatPixels } from '../../src/data/pixels';
import { DigitClassifier } from '../../src/models/digit-classifier';
import {
  classifyImages,
  encodeDigitClassifier,
  loadDigitClassifier,
  parseDigitClassifierMeta,
} from '../../src/train/digit-classifier-file';
import { tf, useCpu } from './tf-setup';

const JSON_PATH = resolve(__dirname, '../../public/pretrained/digit-classifier.json');
const BIN_PATH = resolve(__dirname, '../../public/pretrained/digit-classifier.bin');
const metaText = readFileSync(JSON_PATH, 'utf8');
const binBytes = new Uint8Array(readFileSync(BIN_PATH));
const root = resolve(__dirname, '../../datasets');
const diskFetch = async (url: string) => {
  try {
    return new Response(await readFile(resolve(root, url.replace(/^datasets:\/\//, ''))));
  } catch {
    return new Response('missing', { status: 404 });
  }
};

let dataset: ImageDataset;
let classifier: DigitClassifier;
beforeAll(async () => {
  await useCpu();
  // Our faster cpu convolutions (as the app's cpu fallback runs them), in this file only: the
  // 10,000 test digits then take a few seconds instead of ~15.
  await installCpuKernels();
  dataset = await loadImageDataset('datasets://', 'mnist', diskFetch);
  classifier = loadDigitClassifier(metaText, binBytes);
});
afterAll(() => classifier.dispose());

/** NHWC 3×3 conv with TF's 'same' padding, + bias, ReLU: plain loops. */
function convRelu(
  x: Float32Array,
  side: number,
  cin: number,
  w: Float32Array, // [3,3,cin,cout]
  b: Float32Array,
  stride: number,
): { y: Float32Array; side: number } {
  const cout = b.length;
  const out = Math.ceil(side / stride);
  const padTop = Math.floor(Math.max((out - 1) * stride + 3 - side, 0) / 2);
  const y = new Float32Array(out * out * cout);
  for (let i = 0; i < out; i++)
    for (let j = 0; j < out; j++)
      for (let o = 0; o < cout; o++) {
        let s = b[o]!;
        for (let di = 0; di < 3; di++)
          for (let dj = 0; dj < 3; dj++) {
            const r = i * stride + di - padTop;
            const c = j * stride + dj - padTop;
            if (r < 0 || c < 0 || r >= side || c >= side) continue;
            for (let k = 0; k < cin; k++)
              s += x[(r * side + c) * cin + k]! * w[((di * 3 + dj) * cin + k) * cout + o]!;
          }
        y[(i * out + j) * cout + o] = Math.max(0, s);
      }
  return { y, side: out };
}

function dense(x: Float32Array, w: Float32Array, b: Float32Array, relu: boolean): Float32Array {
  const n = b.length;
  const y = new Float32Array(n);
  for (let o = 0; o < n; o++) {
    let s = b[o]!;
    for (let k = 0; k < x.length; k++) s += x[k]! * w[k * n + o]!;
    y[o] = relu ? Math.max(0, s) : s;
  }
  return y;
}

describe('the shipped digit classifier', () => {
  it('has float16 weights decoded from its .bin, and logits equal to a plain-JS forward pass', () => {
    const meta = parseDigitClassifierMeta(metaText);
    expect(meta.dtype).toBe('float16');
    const all = decodeHalf(
      new Uint16Array(binBytes.buffer, binBytes.byteOffset, binBytes.length / 2),
    );
    const ws: Float32Array[] = [];
    let offset = 0;
    for (const spec of meta.weightSpecs) {
      const n = spec.shape.reduce((a, d) => a * d, 1);
      ws.push(all.subarray(offset, offset + n));
      offset += n;
    }
    expect(offset).toBe(all.length);
    classifier.variables.forEach((v, i) =>
      expect(Array.from(v.dataSync() as Float32Array)).toEqual(Array.from(ws[i]!)),
    );
    const P = 784;
    const images = toFloatPixels(dataset.test.images, 0, 3, P);
    const got = tf.tidy(() => classifier.logits(tf.tensor2d(images, [3, P])).arraySync());
    const [c1, c2, c3] = meta.config.channels;
    for (let n = 0; n < 3; n++) {
      let h = { y: images.subarray(n * P, (n + 1) * P), side: 28 };
      h = convRelu(h.y, h.side, 1, ws[0]!, ws[1]!, 1);
      h = convRelu(h.y, h.side, c1, ws[2]!, ws[3]!, 2);
      h = convRelu(h.y, h.side, c2, ws[4]!, ws[5]!, 2);
      expect([h.side, h.y.length]).toEqual([7, 49 * c3]);
      const logits = dense(dense(h.y, ws[6]!, ws[7]!, true), ws[8]!, ws[9]!, false);
      logits.forEach((l, k) => expect(got[n]![k]).toBeCloseTo(l, 3));
    }
  });

  it('labels ≥ 98.5 % of the 10,000 MNIST test digits, the accuracy its JSON records', async () => {
    const { test } = dataset;
    const images = toFloatPixels(test.images, 0, test.count, 784);
    const labels = await classifyImages(classifier, images, 1000);
    expect(labels.length).toBe(10000);
    let correct = 0;
    const right = new Array<number>(10).fill(0);
    const seen = new Array<number>(10).fill(0);
    for (let i = 0; i < test.count; i++) {
      seen[test.labels[i]!]!++;
      if (labels[i] === test.labels[i]) {
        correct++;
        right[test.labels[i]!]!++;
      }
    }
    const accuracy = correct / test.count;
    const meta = parseDigitClassifierMeta(metaText);
    expect(accuracy).toBeGreaterThanOrEqual(0.985);
    expect(Math.abs(accuracy - meta.testAccuracy)).toBeLessThanOrEqual(0.001);
    right.forEach((r, k) =>
      expect(Math.abs(r / seen[k]! - meta.perClassAccuracy[k]!)).toBeLessThanOrEqual(0.005),
    );
    expect(meta.testCount).toBe(10000);
  });

  it('predict gives argmax labels with their softmax probability, leaving no tensors', () => {
    const x = tf.tensor2d(toFloatPixels(dataset.test.images, 0, 8, 784), [8, 784]);
    const y = tf.tensor1d(Int32Array.from(dataset.test.labels.subarray(0, 8)), 'int32');
    const before = tf.memory().numTensors;
    const { label, probability } = classifier.predict(x);
    const logits = classifier.logits(x);
    const loss = classifier.loss(x, y);
    expect(tf.memory().numTensors).toBe(before + 4);
    const L = logits.arraySync();
    const lab = label.arraySync();
    const prob = probability.arraySync();
    let ce = 0;
    L.forEach((row, n) => {
      const m = Math.max(...row);
      const z = row.reduce((a, l) => a + Math.exp(l - m), 0);
      expect(lab[n]).toBe(row.indexOf(m));
      expect(prob[n]).toBeCloseTo(1 / z, 5);
      ce += Math.log(z) + m - row[dataset.test.labels[n]!]!;
    });
    expect(label.dtype).toBe('int32');
    expect(loss.dataSync()[0]).toBeCloseTo(ce / 8, 4);
    tf.dispose([label, probability, logits, loss]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('load, classifyImages on a tensor and dispose leave no tensors', async () => {
    const x = tf.tensor2d(toFloatPixels(dataset.test.images, 0, 5, 784), [5, 784]);
    const before = tf.memory().numTensors;
    const c = loadDigitClassifier(JSON.parse(metaText), binBytes);
    const labels = await classifyImages(c, x, 2);
    expect(Array.from(labels)).toEqual(Array.from(await classifyImages(classifier, x)));
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('digit classifier files', () => {
  const good = JSON.parse(metaText);
  const refuse = (json: unknown, bin: Uint8Array | ArrayBuffer, message: RegExp) => {
    const before = tf.memory().numTensors;
    expect(() => loadDigitClassifier(json, bin)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  };

  it('refuses a wrong or corrupt file with a message naming the problem, leaving no tensors', () => {
    const specs = good.weightSpecs as { shape: number[] }[];
    const swapped = specs.map((s, i) => (i === 6 ? { ...s, shape: [784, 128] } : s));
    const cases: [unknown, Uint8Array, RegExp][] = [
      ['{"format":', binBytes, /not valid JSON/],
      [[1, 2], binBytes, /not a JSON object/],
      [{ ...good, format: 'latent-lab-checkpoint' }, binBytes, /not a digit classifier file/],
      [{ ...good, version: 2 }, binBytes, /version 2 is not supported/],
      [{ ...good, config: { channels: [8, 16], hidden: 64 } }, binBytes, /"config" should give/],
      [{ ...good, weightSpecs: [] }, binBytes, /no "weightSpecs"/],
      [{ ...good, testAccuracy: 1.5 }, binBytes, /"testAccuracy" should be a share/],
      [{ ...good, perClassAccuracy: [1] }, binBytes, /"perClassAccuracy" should be 10/],
      [
        good,
        binBytes.subarray(0, binBytes.length - 2),
        /truncated or padded: \d+ bytes, its JSON needs \d+/,
      ],
      [
        { ...good, weightSpecs: swapped },
        binBytes, // 784·128 = 1568·64 values: the byte length matches, the shape does not
        /weight w6 has shape \[784, 128\], the classifier expects w6 of \[1568, 64\]/,
      ],
      [
        { ...good, config: { ...good.config, hidden: 32 } },
        binBytes,
        /weight w6 has shape \[1568, 64\], the classifier expects w6 of \[1568, 32\]/,
      ],
      [
        { ...good, weightSpecs: specs.slice(0, 9) },
        binBytes.subarray(0, binBytes.length - 20),
        /has 9 weight tensors, its config needs 10/,
      ],
    ];
    for (const [json, bin, message] of cases) refuse(json, bin, message);
    // A NaN (half 0x7e00) where a weight was.
    const nan = binBytes.slice();
    nan[0] = 0x00;
    nan[1] = 0x7e;
    refuse(good, nan, /w0 holds a value that is not a finite number/);
  });

  it('round-trips in float32 exactly and in float16 within half precision', async () => {
    const a = new DigitClassifier({ channels: [2, 3, 4], hidden: 5 }, 7);
    const info = {
      testAccuracy: 0.5,
      perClassAccuracy: new Array(10).fill(0.5),
      float32Accuracy: 0.5,
      float16Accuracy: 0.5,
      testCount: 10,
      seed: 7,
      epochs: 1,
      trainSeconds: 1,
      command: 'test',
    };
    const x = tf.randomUniform([3, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
    const want = tf.tidy(() => a.logits(x).arraySync());
    for (const float16 of [false, true]) {
      const { meta, weights } = await encodeDigitClassifier(a, info, { float16 });
      expect(weights.byteLength).toBe(
        (float16 ? 2 : 4) * a.variables.reduce((n, v) => n + v.size, 0),
      );
      const b = loadDigitClassifier(JSON.stringify(meta), weights);
      const got = tf.tidy(() => b.logits(x).arraySync());
      got.flat().forEach((v, i) => {
        const w = want.flat()[i]!;
        if (float16) expect(Math.abs(v - w)).toBeLessThanOrEqual(2e-3 * (1 + Math.abs(w)));
        else expect(v).toBe(w);
      });
      b.dispose();
    }
    a.dispose();
    x.dispose();
  });
});
