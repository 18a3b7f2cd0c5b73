#!/usr/bin/env node
// Long-run memory check of the built app: trains in headless Chromium and, every --interval
// seconds, prints the worker's live tensors and their bytes (tf.memory(), sent with each metrics
// read-back), the JS heaps of the page and of the worker (after a forced GC, over the DevTools
// protocol), and the wasm heap or GPU buffers where the backend reports them. Writes every row as
// JSON. At the end prints, for each series after the warm-up, its least-squares slope (MB an hour
// and MB per 1,000 steps, ± one standard error) and its floor (minimum) over the first and the
// last fifth of the rows: single readings can catch an autosave snapshot in flight (≈ 9.5 MB on
// the page for the default VAE), so the slope is noisy and the floors are what the app keeps.
// Exits 1 when the steady tensor count after warm-up differs from the last one.
//
//   npm run soak                                   # 30 minutes on wasm, a row every 30 s
//   npm run soak -- --minutes 5 --backend webgpu   # WebGPU (Chromium with --enable-unsafe-webgpu)
//   options: --minutes N  --backend wasm|webgpu|webgl|cpu  --interval S  --hash "model=vqvae&…"
//            --warmup S (first row compared, default 60)
//            --out FILE (default tests/browser/output/soak-<backend>-<time>.json, git-ignored)
//
// Needs a build: `npm run build` (or set LAB_DIST to another build folder) and Chromium.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, startServer, stepOf, text, waitFor } from '../tests/browser/harness.mjs';
import { memoryProbe, steadyTensors } from '../tests/browser/memory-probe.mjs';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    backend: { type: 'string', default: 'wasm' },
    interval: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '60' },
    hash: { type: 'string', default: '' },
    out: { type: 'string' },
  },
});
const minutes = Number(opts.minutes);
const interval = Number(opts.interval);
const warmup = Number(opts.warmup);
if (!(minutes > 0) || !(interval >= 5) || !(warmup >= 0)) {
  console.error('usage: soak.mjs [--minutes N > 0] [--interval S ≥ 5] [--warmup S ≥ 0]');
  process.exit(2);
}
const backend = opts.backend;
if (!['wasm', 'webgpu', 'webgl', 'cpu'].includes(backend)) {
  console.error(`--backend must be wasm, webgpu, webgl or cpu, got "${backend}"`);
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = opts.out ?? `tests/browser/output/soak-${backend}-${stamp}.json`;
mkdirSync(dirname(out), { recursive: true });

const MB = (x) => (x === null || x === undefined ? '–' : (x / 2 ** 20).toFixed(1));
const COLUMNS = [
  ['min', 6],
  ['step', 8],
  ['tensors', 8],
  ['tensor MB', 10],
  ['wasm/GPU MB', 12],
  ['page heap', 10],
  ['page buffers', 13],
  ['worker heap', 12],
  ['worker buffers', 15],
];
const row = (cells) => cells.map((c, i) => String(c).padStart(COLUMNS[i][1])).join(' ');

/** Least-squares slope of y over x, with its standard error (null below 3 points). */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 3) return null;
  const mean = (v) => v.reduce((a, b) => a + b, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const b = sxy / sxx;
  const rss = ys.reduce((a, y, i) => a + (y - my - b * (xs[i] - mx)) ** 2, 0);
  return { b, se: Math.sqrt(rss / (n - 2) / sxx) };
}

/** Slopes and floors of each memory series over `rows` (those after the warm-up). */
function report(rows) {
  const fifth = Math.max(1, Math.floor(rows.length / 5));
  const keys = ['numBytes', 'pageHeap', 'pageBackingStore', 'workerHeap', 'workerBackingStore'];
  for (const key of keys) {
    const got = rows.filter((r) => typeof r[key] === 'number' && r.step !== null);
    if (got.length < 3) continue;
    const ys = got.map((r) => r[key] / 2 ** 20);
    const perHour = slope(
      got.map((r) => r.seconds / 3600),
      ys,
    );
    const perKiloStep = slope(
      got.map((r) => r.step / 1000),
      ys,
    );
    const floor = (part) => Math.min(...part.map((r) => r[key] / 2 ** 20)).toFixed(2);
    const pm = (s) => `${s.b.toFixed(3)} ± ${s.se.toFixed(3)}`;
    console.log(
      `# ${key}: ${pm(perHour)} MB/h, ${pm(perKiloStep)} MB/1000 steps; floor ` +
        `${floor(got.slice(0, fifth))} MB in the first fifth, ${floor(got.slice(-fifth))} MB in the last`,
    );
  }
}

const server = await startServer();
const browser = await launch(backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : []);
const rows = [];
let exitCode = 0;
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  const probe = await memoryProbe(browser.context, page);
  const hash = [`backend=${backend}`, opts.hash.replace(/^#/, '')].filter(Boolean).join('&');
  await page.goto(`${server.url}/#${hash}`);
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 5 * 60_000, 'the model to be ready');
  const running = await text(page, 'backend');
  if (running !== backend) {
    console.error(`# asked for ${backend}, the app runs on ${running} (see its notices)`);
    exitCode = 1;
  }
  console.log(`# soak: ${minutes} min on ${running}, #${hash}; a row every ${interval} s → ${out}`);
  console.log(row(COLUMNS.map(([name]) => name)));
  await toggle.click();
  const start = Date.now();
  for (let k = 1; k * interval <= minutes * 60; k++) {
    const due = start + k * interval * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now() - 2000)));
    const device = await steadyTensors(page, 2000); // the minimum over 2 s: no in-flight tensors
    const heaps = await probe.heaps({ workerUrl: /train\.worker/ });
    const r = {
      seconds: Math.round((Date.now() - start) / 1000),
      step: await stepOf(page),
      ...device,
      ...heaps,
    };
    rows.push(r);
    console.log(
      row([
        (r.seconds / 60).toFixed(1),
        r.step ?? '–',
        r.numTensors,
        MB(r.numBytes),
        MB(r.gpuBytesUsed ?? r.wasmHeapBytes),
        MB(r.pageHeap),
        MB(r.pageBackingStore),
        MB(r.workerHeap),
        MB(r.workerBackingStore),
      ]),
    );
    writeFileSync(out, JSON.stringify({ backend: running, hash, interval, rows }, null, 2));
  }
  await toggle.click();
  probe.close();

  const first = rows.find((r) => r.seconds >= warmup) ?? rows[0];
  const last = rows[rows.length - 1];
  if (first && last && first !== last) {
    const grew = (k) => (last[k] ?? 0) - (first[k] ?? 0);
    console.log(
      `# from ${first.seconds} s to ${last.seconds} s (${last.step - first.step} steps): ` +
        `tensors ${first.numTensors} → ${last.numTensors}, page heap ${MB(grew('pageHeap'))} MB, ` +
        `worker heap ${MB(grew('workerHeap'))} MB`,
    );
    report(rows.filter((r) => r.seconds >= first.seconds));
    if (last.numTensors !== first.numTensors) {
      console.log('# the tensor count changed after warm-up: a leak in the worker');
      exitCode = 1;
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(exitCode);
