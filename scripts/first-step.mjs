// Time from opening the page to the first training step on screen, on the wasm backend:
// serves the build (dist/, or $LAB_DIST) with `vite preview`, opens /#backend=wasm in headless
// Chromium with a fresh profile, clicks Train the moment it is enabled, and reads the clock when
// the status line first shows step ≥ 1. Prints each load's milestones (ms since navigation start)
// and the median over the loads. A measurement, not a test: nothing is asserted.
//
//   npx vite build --outDir /tmp/page-dist && LAB_DIST=/tmp/page-dist node scripts/first-step.mjs [loads=3]
import { launch, startServer } from '../tests/browser/harness.mjs';

const LOADS = Number(process.argv[2] ?? 3);
const LIMIT_MS = 120_000;

/**
 * Runs in the page before its own scripts: wraps Worker to time its creation and the first of
 * each kind of message from it, clicks Train once enabled, and times the first step shown.
 */
function instrument() {
  const w = /** @type {any} */ (window);
  const marks = (w.__marks = {});
  const mark = (name) => {
    if (!(name in marks)) marks[name] = performance.now();
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (String(url).includes('train.worker')) {
        mark('worker created');
        this.addEventListener('message', (e) => {
          const m = e.data ?? {};
          mark(m.type === 'loading' ? `worker: ${m.message}` : `worker: ${m.type}`);
        });
      }
    }
  };
  document.addEventListener('DOMContentLoaded', () => mark('DOMContentLoaded'));
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    const toggle = document.querySelector('[data-testid="train-toggle"]');
    if (toggle && !marks['app rendered']) mark('app rendered');
    if (toggle && !toggle.disabled && !marks['Train clicked']) {
      mark('Train clicked');
      toggle.click();
    }
    const status = document.querySelector('[data-testid="status"]')?.textContent ?? '';
    const m = /step ([\d,]+)/.exec(status);
    if (m && Number(m[1].replace(/,/g, '')) >= 1) mark('first step on screen');
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });
}

/** The worker's fetches (datasets, .wasm, its chunks) in page time. */
async function workerResources(worker, pageOrigin) {
  return worker.evaluate((origin) => {
    const shift = performance.timeOrigin - origin;
    return performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname.replace(/^\/assets\//, ''),
      start: e.startTime + shift,
      end: e.responseEnd + shift,
      bytes: e.transferSize,
    }));
  }, pageOrigin);
}

async function oneLoad(url) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(instrument);
    const workers = [];
    const workerMarks = [];
    page.on('worker', (w) => {
      workers.push(w);
      // The worker's own clock for what it sends and receives (the page sees its messages
      // late while its main thread is busy). Installed while the worker's script still loads.
      if (w.url().includes('train.worker'))
        void w
          .evaluate(() => {
            const s = /** @type {any} */ (self);
            s.__marks = [];
            const at = () => performance.timeOrigin + performance.now();
            const send = s.postMessage.bind(s);
            s.postMessage = (m, t) => {
              s.__marks.push([`sent ${m?.type === 'loading' ? m.message : m?.type}`, at()]);
              send(m, t);
            };
            s.addEventListener('message', (e) => s.__marks.push([`got ${e.data?.type}`, at()]));
          })
          .catch(() => {});
    });
    await page.goto(`${url}/#backend=wasm`);
    const deadline = Date.now() + LIMIT_MS;
    for (;;) {
      const done = await page.evaluate(() => 'first step on screen' in window.__marks);
      if (done) break;
      if (Date.now() > deadline) throw new Error('no training step on screen within 2 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const marks = await page.evaluate(() => window.__marks);
    const longTasks = await page.evaluate(() => window.__longTasks);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const pageJs = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /\.(js|css)$/.test(new URL(e.name).pathname))
        .map((e) => ({
          name: new URL(e.name).pathname.replace(/^\/assets\//, ''),
          start: e.startTime,
          end: e.responseEnd,
        })),
    );
    const worker = workers.find((w) => w.url().includes('train.worker'));
    const inWorker = worker ? await workerResources(worker, origin) : [];
    if (worker) {
      // The first of each kind, in page time.
      for (const [name, t] of await worker.evaluate(() => /** @type {any} */ (self).__marks))
        if (!workerMarks.some((m) => m[0] === name)) workerMarks.push([name, t - origin]);
    }
    for (const [name, t] of workerMarks) marks[`  worker ${name}`] = t;
    return {
      marks,
      longTasks,
      resources: [...pageJs, ...inWorker].sort((a, b) => a.start - b.start),
    };
  } finally {
    await browser.close();
  }
}

const server = await startServer();
try {
  const totals = [];
  for (let i = 1; i <= LOADS; i++) {
    const { marks, longTasks, resources } = await oneLoad(server.url);
    const total = marks['first step on screen'];
    totals.push(total);
    console.log(`\nLoad ${i}: first step on screen at ${total.toFixed(0)} ms`);
    for (const [name, t] of Object.entries(marks).sort((a, b) => a[1] - b[1]))
      console.log(`  ${t.toFixed(0).padStart(6)} ms  ${name}`);
    const busy = longTasks.filter(([t]) => t < total);
    console.log(
      `  page main thread: ${busy.length} long tasks, ${busy.reduce((a, [, d]) => a + d, 0).toFixed(0)} ms in all before the first step: ` +
        busy.map(([t, d]) => `${d.toFixed(0)} ms at ${t.toFixed(0)}`).join(', '),
    );
    console.log('  fetches (start → end, ms):');
    for (const r of resources)
      console.log(
        `  ${r.start.toFixed(0).padStart(6)} → ${r.end.toFixed(0).padStart(6)}  ${r.name}`,
      );
  }
  const sorted = [...totals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `\nFirst training step on screen (wasm, localhost): median ${median.toFixed(0)} ms of ${LOADS} fresh loads (${totals.map((t) => t.toFixed(0)).join(', ')} ms)`,
  );
} finally {
  await server.close();
}
