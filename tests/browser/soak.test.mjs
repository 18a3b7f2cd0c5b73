// A two-minute soak of the built app on WASM (the CI cut of scripts/soak.mjs): after a warm-up,
// the worker's tensor count must not move at all, and the JS heaps (page and worker, each after a
// forced GC) may grow only by what the run legitimately keeps: its loss curves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, stepOf, text, waitFor } from './harness.mjs';
import { memoryProbe, steadyTensors } from './memory-probe.mjs';

const MINUTE = 60_000;
const WARM_UP_MS = 30_000;
const SOAK_MS = 60_000;
const WINDOW_MS = 10_000;

/**
 * Growth allowed between the two readings (each after a forced GC).
 * - Page JS heap: the run keeps its loss curves, and they grow with every step: the store's arrays
 *   (step, 3 VAE terms, schedule values: ~7 doubles) and Plotly's per-point calc data and SVG path
 *   of each trace that plots them (~6 traces). scripts/soak.mjs measured ≈ 3 KB per step over
 *   the first minutes on wasm (0.35 MB per 150 steps, levelling off); 8 KB per step allows for
 *   that with room, plus 4 MB for what one GC leaves (code caches, pools).
 * - ArrayBuffers of the page and of the worker (pixels of evaluations and inspections, the
 *   dataset): flat in that soak; 8 MB covers a few answers in flight (a 20×20 decoded manifold is
 *   1.25 MB). Keeping every evaluation's or inspection's pixels would add tens of MB a minute.
 * - Worker JS heap: no curves there; 2 MB of GC slack (it moved 0.1 MB a minute).
 */
const PAGE_HEAP_SLACK = 4 * 2 ** 20;
const PAGE_HEAP_PER_STEP = 8 * 2 ** 10;
const BUFFER_SLACK = 8 * 2 ** 20;
const WORKER_HEAP_SLACK = 2 * 2 ** 20;

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test(
  'two minutes of training on WASM: tensor count flat, heaps within the curves’ growth',
  { timeout: 8 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      // The probe attaches before the first navigation, so it sees the worker start.
      const page = await browser.context.newPage();
      const probe = await memoryProbe(browser.context, page);
      const errors = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      await page.goto(`${server.url}/#backend=wasm`);
      await waitFor(async () => (await text(page, 'backend')) === 'wasm', 2 * MINUTE, 'wasm');
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the Train button');
      await toggle.click();
      await new Promise((r) => setTimeout(r, WARM_UP_MS));

      const reading = async () => {
        const device = await steadyTensors(page, WINDOW_MS);
        return {
          ...device,
          ...(await probe.heaps({ workerUrl: /train\.worker/ })),
          step: await stepOf(page),
        };
      };
      const a = await reading();
      await new Promise((r) => setTimeout(r, SOAK_MS - WINDOW_MS));
      const b = await reading();
      await toggle.click();
      probe.close();

      const mb = (x) => (x / 2 ** 20).toFixed(2);
      const steps = b.step - a.step;
      console.log(
        `# after warm-up: step ${a.step}, ${a.numTensors} tensors (${mb(a.numBytes)} MB), ` +
          `page heap ${mb(a.pageHeap)} + ${mb(a.pageBackingStore)} MB, worker heap ${mb(a.workerHeap)} + ${mb(a.workerBackingStore)} MB, wasm heap ${mb(a.wasmHeapBytes)} MB`,
      );
      console.log(
        `# ${steps} steps later: ${b.numTensors} tensors (${mb(b.numBytes)} MB), ` +
          `page heap ${mb(b.pageHeap)} + ${mb(b.pageBackingStore)} MB, worker heap ${mb(b.workerHeap)} + ${mb(b.workerBackingStore)} MB, wasm heap ${mb(b.wasmHeapBytes)} MB`,
      );
      assert.ok(steps > 0, `training went on (${a.step} → ${b.step})`);
      assert.equal(b.numTensors, a.numTensors, 'the worker holds the same tensors');
      assert.equal(b.numBytes, a.numBytes, 'of the same size');
      const within = (key, bound, what) => {
        assert.notEqual(a[key], null, `${what} was read`);
        const grew = b[key] - a[key];
        assert.ok(grew <= bound, `${what} grew ${mb(grew)} MB, bound ${mb(bound)} MB`);
      };
      within(
        'pageHeap',
        PAGE_HEAP_SLACK + PAGE_HEAP_PER_STEP * steps,
        `page heap (${steps} steps)`,
      );
      within('pageBackingStore', BUFFER_SLACK, 'page ArrayBuffers');
      within('workerHeap', WORKER_HEAP_SLACK, 'worker heap');
      within('workerBackingStore', BUFFER_SLACK, 'worker ArrayBuffers');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
