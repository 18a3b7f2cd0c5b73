// Our webgpu kernel (src/backends/webgpu/webgpu-kernels: AddN of any number of inputs) in
// Chromium's WebGPU (here SwiftShader): a tiny page (tests/browser/webgpu-kernels/) adds 3, 11
// and 20 tensors on webgpu the app's way and on TF.js's cpu backend, and reports the largest
// relative error of each and how often TF.js's own AddN ran under ours. WebGPU reports invalid shaders only as console
// errors, so the page must log none. The page is built into a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build, preview } from 'vite';
import { launch, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const root = resolve(import.meta.dirname, 'webgpu-kernels');
let outDir;
let browser;
let server;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'webgpu-kernels-'));
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  server = await preview({
    configFile: false,
    root,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  browser = await launch(['--enable-unsafe-webgpu']);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('our webgpu kernels match the cpu backend', { timeout: 10 * MINUTE }, async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The favicon request's 404 is the only expected message.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  await page.goto(server.resolvedUrls.local[0]);
  await waitFor(() => page.locator('#out[data-done="true"]').count(), 8 * MINUTE, 'the report');
  const r = JSON.parse(await page.textContent('#out'));
  await page.close();
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(errors, []);
  assert.equal(r.leaked, 0, 'no tensors left behind');
  const bad = r.errors.filter(({ err, tol }) => !(err <= tol));
  assert.deepEqual(
    bad.map(({ name, err, tol }) => `${name}: relative error ${err} > ${tol}`),
    [],
    'every case within its tolerance of the cpu backend',
  );
  console.log(r.errors.map(({ name, err }) => `${name}: ${err.toExponential(1)}`).join('\n'));
  // AddN in groups of at most maxBuffers − 1 inputs (the output takes one binding): each group's
  // sum, then the sum of those, is one call of the stock kernel.
  const size = Math.max(2, r.maxBuffers - 1);
  for (const { name, inputs, stockCalls } of r.errors) {
    let calls = 0;
    for (let n = inputs; n > size; n = Math.ceil(n / size))
      calls += Math.floor(n / size) + (n % size > 1 ? 1 : 0);
    assert.equal(stockCalls, calls + 1, `${name}: TF.js's AddN once per group, then once more`);
  }
  assert.ok(r.maxBuffers > 11 || r.errors[0].stockCalls > 1, 'AddN of 11 went through our groups');
});
