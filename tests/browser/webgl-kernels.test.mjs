// Our webgl kernels (src/backends/webgl/webgl-kernels) in Chromium's WebGL: Conv2DBackpropFilter (grouped
// im2col, or dY spread by taps), Conv2DBackpropInput (tap products + gather-add, or sub-pixel
// phases + the interleave shader), Conv2D by tap products for few output channels, and Sum by
// matmul: conv2d and conv2dTranspose outputs and gradients, and sums, on webgl match the stock
// cpu backend, and no tensor is left behind. A tiny page (tests/browser/webgl-kernels/) is built
// here into a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build, preview } from 'vite';
import { launch, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const root = resolve(import.meta.dirname, 'webgl-kernels');
let outDir;
let server;
let browser;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'webgl-kernels-'));
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  });
  server = await preview({
    configFile: false,
    root,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test(
  'conv gradients on webgl with our kernels match the cpu backend',
  { timeout: 10 * MINUTE },
  async () => {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.resolvedUrls.local[0], { waitUntil: 'commit' });
    await waitFor(() => page.locator('#out[data-done="true"]').count(), 8 * MINUTE, 'the report');
    const r = JSON.parse(await page.textContent('#out'));
    await page.close();
    assert.deepEqual(errors, []);
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.backend, 'webgl');
    assert.ok(
      r.results.filter((c) => c.taps).length >= 3,
      'some conv cases take the tap-products route',
    );
    const inputTaps = r.results.filter((c) => c.inputTaps).length;
    assert.ok(inputTaps >= 3, '∂x by tap products in some cases');
    assert.ok(r.results.length - inputTaps >= 3, '∂x by phases in some cases');
    for (const {
      name,
      leaked,
      errors: [y, da, dw],
    } of r.results) {
      console.log(`${name}: relative errors ${y}, ${da}, ${dw}; tensors left ${leaked}`);
      assert.equal(leaked, 0, `${name}: tensors left behind`);
      // Relative to the largest reference value; float32 sums in another order.
      assert.ok(y < 1e-4, `${name}: output off by ${y}`);
      assert.ok(da < 1e-4, `${name}: ∂input off by ${da}`);
      assert.ok(dw < 1e-4, `${name}: ∂filter off by ${dw}`);
    }
    assert.ok(r.sums.filter((s) => s.matmul).length >= 4, 'some sums take the matmul route');
    for (const { name, leaked, error } of r.sums) {
      console.log(`${name}: relative error ${error}; tensors left ${leaked}`);
      assert.equal(leaked, 0, `${name}: tensors left behind`);
      assert.ok(error < 1e-4, `${name}: off by ${error}`);
    }
  },
);
