// The two-thread wasm BatchMatMul (src/backends/wasm/wasm-parallel-matmul) in Chromium: a tiny page
// (tests/browser/parallel-matmul/) trains the MLP VAE on wasm, the app's way, with the route off
// and then on from the same seed. On a cross-origin-isolated page (COOP/COEP) the helper thread
// must start, the products must go through it, and the losses must match the single-thread run
// up to float summation order. Without the headers nothing starts and training still works.
// The page is built here into a temporary folder (no shared dist/ is written). Rates are printed
// (PARALLEL_RATE_ROUNDS=N for N rounds of: off = XNNPACK on one thread, our kernel on one thread,
// our kernel on two threads; PARALLEL_MATMUL_ROUNDS=N times single products the same ways),
// never asserted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build, preview } from 'vite';
import { launch, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const root = resolve(import.meta.dirname, 'parallel-matmul');
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

let outDir;
let browser;
const servers = [];

async function serve(headers) {
  const server = await preview({
    configFile: false,
    root,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, headers },
    logLevel: 'warn',
  });
  servers.push(server);
  return server.resolvedUrls.local[0];
}

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'parallel-matmul-'));
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function report(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await waitFor(
    () => page.locator('#out[data-done="true"]').count(),
    10 * MINUTE,
    'the training report',
  );
  const result = JSON.parse(await page.textContent('#out'));
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(result.error, undefined, result.error);
  return result;
}

/** Every step's loss in `run` within relative `tol` of `ref`'s (0: bit for bit). */
function sameLosses(run, ref, tol, what) {
  assert.equal(run.loss.length, ref.loss.length, what);
  ref.loss.forEach((l, i) => {
    assert.ok(Number.isFinite(l), what);
    const rel = Math.abs(run.loss[i] - l) / Math.abs(l);
    assert.ok(rel <= tol, `${what}, step ${i + 1}: ${run.loss[i]} vs ${l} (relative ${rel})`);
  });
}

// 12 steps × the MLP VAE's 5 big products (2 forward, 3 backward).
const PRODUCTS = 12 * 5;

test(
  'cross-origin isolated: products run on two threads and the losses match the single-thread run',
  { timeout: 15 * MINUTE },
  async () => {
    const rounds = Number(process.env.PARALLEL_RATE_ROUNDS ?? 0);
    const matmulRounds = Number(process.env.PARALLEL_MATMUL_ROUNDS ?? 0);
    const r = await report(
      `${await serve(ISOLATION)}?rateRounds=${rounds}&matmulRounds=${matmulRounds}`,
    );
    assert.equal(r.crossOriginIsolated, true);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.ready, true, 'the helper thread started');
    assert.equal(r.inHeap, true, "the helper works in TF.js's heap, made shared");
    const { off, 'one-thread': one, 'two-threads': two, auto } = r.runs;
    assert.deepEqual(off.calls, {
      zeroCopyCalls: 0,
      sharedCalls: 0,
      twoThreadCalls: 0,
      stockCalls: 0,
    });
    assert.equal(
      two.calls.twoThreadCalls,
      PRODUCTS,
      'two-threads: every big product on two threads',
    );
    assert.equal(two.calls.sharedCalls, PRODUCTS);
    // Against XNNPACK (mul + add; ours may fuse): equal up to float rounding.
    sameLosses(two, off, 1e-4, 'two threads vs XNNPACK');
    assert.equal(r.singleThreadReady, true, 'Chromium has relaxed SIMD: the one-thread kernel');
    assert.equal(one.calls.zeroCopyCalls, PRODUCTS, 'one-thread: every big product in place');
    // The same kernel on one thread or two: the same sums in the same order, bit for bit.
    sameLosses(two, one, 0, 'two threads vs one');
    const c = auto.calls;
    assert.equal(
      c.twoThreadCalls + c.zeroCopyCalls + c.stockCalls,
      PRODUCTS,
      'auto: every product',
    );
    assert.ok(c.twoThreadCalls >= 1, 'auto: tried two threads');
    sameLosses(auto, off, 1e-4, 'auto vs XNNPACK');

    const byMode = {};
    for (const { mode, imagesPerSec, copyShare } of r.rates)
      (byMode[mode] ??= []).push([imagesPerSec, copyShare]);
    const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
    for (const [mode, v] of Object.entries(byMode)) {
      const rates = v.map((x) => x[0]);
      const copy =
        mode === 'two-threads'
          ? `, copies ${(100 * median(v.map((x) => x[1]))).toFixed(1)} % of the route's time`
          : '';
      console.log(
        `images/s ${mode}: median ${median(rates)} of [${rates.join(', ')}]${copy} (fused: ${r.fused})`,
      );
    }
    for (const p of r.products) console.log(`${p.shape} ${p.mode}: ${p.gflops.toFixed(1)} GFLOP/s`);
    if (process.env.PARALLEL_VERBOSE) console.log(JSON.stringify(r));
  },
);

test(
  'cross-origin isolated, the conv VAE: convolutions and their gradients on two threads, losses as on one',
  { timeout: 15 * MINUTE },
  async () => {
    const r = await report(`${await serve(ISOLATION)}?arch=conv`);
    assert.equal(r.ready, true, 'the helper thread started');
    assert.equal(r.inHeap, true, "the helper works in TF.js's heap, made shared");
    const { off, 'one-thread': one, 'two-threads': two, auto } = r.runs;
    // Per step: the encoder's and decoder's big convs forward, their input and filter gradients
    // (the first layer's Ci = 1 forward and the last layer's Co = 1 stay on XNNPACK).
    assert.ok(two.calls.twoThreadCalls >= 12 * 6, `two threads: ${JSON.stringify(two.calls)}`);
    assert.equal(two.calls.sharedCalls, two.calls.twoThreadCalls);
    assert.equal(one.calls.sharedCalls, 0);
    assert.ok(one.calls.zeroCopyCalls >= 12 * 6, `one thread: ${JSON.stringify(one.calls)}`);
    // Each image's sums are the same on either thread; the filter gradients add the two halves'
    // partial sums, a different grouping than one thread's blocks: float rounding only.
    sameLosses(two, one, 1e-5, 'conv: two threads vs one');
    sameLosses(two, off, 1e-4, 'conv: two threads vs XNNPACK');
    sameLosses(auto, off, 1e-4, 'conv: auto vs XNNPACK');
  },
);

test(
  'without COOP/COEP: no helper; one thread (in place, where relaxed SIMD is) or XNNPACK trains',
  { timeout: 10 * MINUTE },
  async () => {
    const r = await report(await serve({}));
    assert.equal(r.crossOriginIsolated, false);
    assert.equal(r.ready, false);
    assert.equal(r.inHeap, false, 'no shared heap without isolation');
    const { off, 'one-thread': one, 'two-threads': two, auto } = r.runs;
    assert.equal(two.calls.sharedCalls, 0);
    assert.deepEqual(two.loss, off.loss, 'two-threads without a helper: XNNPACK');
    assert.equal(r.singleThreadReady, true);
    assert.equal(one.calls.zeroCopyCalls, PRODUCTS);
    assert.equal(auto.calls.zeroCopyCalls, PRODUCTS);
    sameLosses(one, off, 1e-4, 'one thread vs XNNPACK');
  },
);
