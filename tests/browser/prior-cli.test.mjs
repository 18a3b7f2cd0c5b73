// The prior over codes from the command line (dist-cli/train.mjs, no browser): a tiny VQ-VAE
// saved, a prior trained on its frozen codes with --tokenizer (both evaluated on the first 1,000
// test digits), then samples of one class written as IDX files, read back here byte by byte.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'latent-lab-prior-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; returns its stdout's JSON lines. */
function train(...args) {
  const out = execFileSync(process.execPath, ['dist-cli/train.mjs', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** An IDX file of unsigned bytes (LeCun's format): its dims and data, checked as it is read. */
function readIdx(path, rank) {
  const bytes = readFileSync(path);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 8, rank], `${path}: magic number`);
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const data = bytes.subarray(4 + 4 * rank);
  assert.equal(
    data.length,
    dims.reduce((a, b) => a * b, 1),
    `${path}: length`,
  );
  return { dims, data };
}

test(
  'VQ-VAE → prior (--tokenizer) → samples of class 3 (--sample)',
  { timeout: 5 * MINUTE },
  () => {
    const vq = join(dir, 'vq');
    const prior = join(dir, 'prior');
    const out = join(dir, 'samples');
    const [tokenizer] = train(
      ...['--model', 'vqvae', '--codes', '16', '--codeDim', '8', '--channels', '8'],
      ...['--limit', '256', '--epochs', '1', '--save', vq, '--test-limit', '1000'],
    );
    const [line] = train(
      ...['--tokenizer', vq, '--layers', '1', '--width', '32', '--heads', '2'],
      ...['--conditional', 'true', '--limit', '256', '--epochs', '1', '--save', prior],
      ...['--test-limit', '1000'],
    );
    // Both evaluated on the same first 1,000 test digits (--test-limit), and they say so.
    assert.equal(tokenizer.testImages, 1000);
    assert.equal(line.testImages, 1000);
    const t = line.test;
    for (const k of ['nll', 'recon', 'bound', 'unigram', 'uniform', 'nllPerToken', 'nllPerImage'])
      assert.equal(typeof t[k], 'number', `test.${k}`);
    assert.equal(t.nllPerImage, t.nll);
    assert.ok(Math.abs(t.nllPerToken - t.nllPerImage / 49) < 1e-3, JSON.stringify(t));
    assert.ok(Math.abs(t.uniform - 49 * Math.log(16)) < 1e-2, `uniform ${t.uniform}`);
    // The tokenizer was carried over: its test reconstruction term is the saved VQ-VAE's.
    assert.ok(
      Math.abs(t.recon - tokenizer.test.recon) < 1e-2,
      `${t.recon} vs ${tokenizer.test.recon}`,
    );
    assert.ok(!('testSquaredError' in line) && !('codesUsed' in line), 'tokenizer-only extras');

    const [summary] = train(
      ...['--load', prior, '--sample', '4', '--class', '3', '--temperature', '0.9'],
      ...['--top-k', '8', '--seed', '5', '--out', out],
    );
    assert.equal(summary.samples, 4);
    assert.equal(summary.class, 3);
    const images = readIdx(join(out, 'samples-images-idx3-ubyte'), 3);
    const labels = readIdx(join(out, 'samples-labels-idx1-ubyte'), 1);
    assert.deepEqual(images.dims, [4, 28, 28]);
    assert.deepEqual(labels.dims, [4]);
    assert.deepEqual([...labels.data], [3, 3, 3, 3]);
    assert.ok(new Set(images.data).size > 1, 'the samples are not blank');

    // A tokenizer's checkpoint is not a prior to sample from.
    assert.throws(
      () => train('--load', vq, '--sample', '2', '--out', out),
      (err) => /holds a vqvae .*not a prior over codes/.test(String(err.stderr)),
    );
  },
);
