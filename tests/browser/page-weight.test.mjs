// The page-weight budget of the built app (dist/, or $LAB_DIST), from the size-report.json that
// scripts/size-report.ts writes during `vite build`: initial JS ≤ 150 kB gzip, whole app
// ≤ 900 kB gzip (definitions in that file). Sizes are deterministic, so they are asserted; the
// report is first checked against the files on disk. Then, in headless Chromium: opening the
// page fetches no JS beyond that initial set before the training worker starts.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { launch, startServer, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const KB = 1000;
const dist = process.env.LAB_DIST || 'dist';
const reportPath = join(dist, 'size-report.json');

function readReport() {
  assert.ok(existsSync(reportPath), `${reportPath} is missing: build with "vite build"`);
  return JSON.parse(readFileSync(reportPath, 'utf8'));
}

test('size-report.json describes the files of this build', () => {
  const report = readReport();
  const onDisk = readdirSync(join(dist, 'assets'))
    .filter((f) => /\.(js|css|wasm)$/.test(f))
    .map((f) => `assets/${f}`)
    .sort();
  assert.deepEqual(
    report.files.map((f) => f.file).sort(),
    onDisk,
    'every JS, CSS and .wasm file, and no other',
  );
  for (const f of report.files) {
    const body = readFileSync(join(dist, f.file));
    assert.equal(f.bytes, body.length, `${f.file}: size`);
    assert.equal(f.gzip, gzipSync(body, { level: 6 }).length, `${f.file}: gzip size`);
  }
  const sum = (files) => files.reduce((s, f) => s + f.gzip, 0);
  const initial = report.files.filter((f) => report.initialJs.files.includes(f.file));
  assert.ok(
    initial.length >= 1 && initial.every((f) => f.file.endsWith('.js')),
    'the initial set is JS',
  );
  assert.equal(report.initialJs.gzip, sum(initial), 'initial JS is the sum of its files');
  // The lessons' text loads one lesson at a time, when opened: reported apart, not in the app.
  const lessons = report.files.filter((f) => f.lesson);
  assert.ok(lessons.length >= 7, `a chunk per lesson (${lessons.length})`);
  assert.ok(
    lessons.every((f) => f.kind === 'js' && !f.initial),
    'lesson chunks are lazy JS',
  );
  assert.equal(report.lessons.gzip, sum(lessons), 'lessons: the sum of their chunks');
  const counted = report.files.filter(
    (f) => !f.lesson && (f.kind !== 'wasm' || /wasm-simd-/.test(f.file)),
  );
  assert.equal(
    counted.filter((f) => f.kind === 'wasm').length,
    1,
    'one .wasm binary (the SIMD one) is counted',
  );
  assert.equal(report.wholeApp.gzip, sum(counted), 'whole app: all JS and CSS + the SIMD .wasm');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="(?:\.?\/)?([^"]+)"/.exec(html)?.[1];
  assert.ok(
    entry && report.initialJs.files.includes(entry),
    `index.html's script ${entry} is initial`,
  );
});

// The service worker (dist/sw.js, Workbox's runtime and our routes in one file) is outside
// assets/ and outside the budget: the browser fetches it apart from the page, and it is never
// on the page's critical path. Reported here so its weight stays visible.
test('the service worker is one file beside index.html, reported apart', () => {
  const sw = join(dist, 'sw.js');
  assert.ok(existsSync(sw), `${sw} is missing`);
  const gzip = gzipSync(readFileSync(sw), { level: 6 }).length;
  console.log(`# service worker (sw.js, apart): ${(gzip / KB).toFixed(1)} kB gzip`);
  assert.ok(gzip <= 15 * KB, `sw.js is ${(gzip / KB).toFixed(1)} kB gzip`);
  const onDisk = readdirSync(dist).filter((f) => /\.(js|wasm)$/.test(f));
  assert.deepEqual(onDisk, ['sw.js'], 'no other script outside assets/');
});

test('initial JS ≤ 150 kB gzip', () => {
  const { initialJs } = readReport();
  console.log(`# initial JS: ${(initialJs.gzip / KB).toFixed(1)} kB gzip`);
  assert.ok(initialJs.gzip <= 150 * KB, `initial JS is ${(initialJs.gzip / KB).toFixed(1)} kB`);
});

test('whole app ≤ 900 kB gzip', () => {
  const { wholeApp } = readReport();
  console.log(`# whole app: ${(wholeApp.gzip / KB).toFixed(1)} kB gzip`);
  assert.ok(wholeApp.gzip <= 900 * KB, `the whole app is ${(wholeApp.gzip / KB).toFixed(1)} kB`);
});

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test(
  'opening the page fetches no JS beyond the initial set before the worker starts',
  { timeout: 3 * MINUTE },
  async () => {
    const initial = new Set(readReport().initialJs.files.map((f) => `/${f}`));
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      // The time the page creates its first worker (page clock), before the app's scripts run.
      await page.addInitScript(() => {
        const w = /** @type {any} */ (window);
        const NativeWorker = window.Worker;
        window.Worker = class extends NativeWorker {
          constructor(url, options) {
            w.__workerAt ??= performance.now();
            super(url, options);
          }
        };
      });
      await page.goto(`${server.url}/#backend=wasm`);
      const workerAt = await waitFor(
        () => page.evaluate(() => /** @type {any} */ (window).__workerAt),
        MINUTE,
        'the training worker',
      );
      const fetched = await page.evaluate(
        (t) =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.startTime <= t)
            .map((e) => new URL(e.name).pathname)
            .filter((p) => p.endsWith('.js')),
        workerAt,
      );
      console.log(`# JS fetched before the worker: ${fetched.join(', ')}`);
      const extra = fetched.filter((p) => !initial.has(p));
      assert.deepEqual(extra, [], 'no lazy chunk is fetched before the worker starts');
      for (const p of initial) assert.ok(fetched.includes(p), `${p} was fetched`);
    } finally {
      await browser.close();
    }
  },
);
