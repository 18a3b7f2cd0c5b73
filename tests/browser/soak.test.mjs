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
 * Heap growth allowed between the two readings. What a step legitimately adds on the page: one
 * entry in the step list and in each of the VAE's 3 loss curves (4 doubles, 32 B), kept by the
 * store and copied into Plotly's traces and calc data (×4 at most): 128 B per step; 512 B leaves
 * room for array growth in doubling steps. Plus 4 MB for what a GC does not return at once
 * (code caches, Plotly's and React's internal pools). A leak of one evaluation per second
 * (2,000 latent points + 16 reconstructions ≈ 66 KB) would add ≈ 4 MB a minute and fail it.
 */
const HEAP_SLACK_BYTES = 4 * 2 ** 20;
const HEAP_BYTES_PER_STEP = 512;
/** The worker keeps no curves: its heap is flat but for the same GC slack. */
const WORKER_HEAP_SLACK_BYTES = 2 * 2 ** 20;

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
        return { ...device, ...(await probe.heaps()), step: await stepOf(page) };
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
          `page heap ${mb(a.pageHeap)} MB, worker heap ${mb(a.workerHeap)} MB, wasm heap ${mb(a.wasmHeapBytes)} MB`,
      );
      console.log(
        `# ${steps} steps later: ${b.numTensors} tensors (${mb(b.numBytes)} MB), ` +
          `page heap ${mb(b.pageHeap)} MB, worker heap ${mb(b.workerHeap)} MB, wasm heap ${mb(b.wasmHeapBytes)} MB`,
      );
      assert.ok(steps > 0, `training went on (${a.step} → ${b.step})`);
      assert.equal(b.numTensors, a.numTensors, 'the worker holds the same tensors');
      assert.equal(b.numBytes, a.numBytes, 'of the same size');
      const pageBound = HEAP_SLACK_BYTES + HEAP_BYTES_PER_STEP * steps;
      assert.ok(
        b.pageHeap - a.pageHeap <= pageBound,
        `page heap grew ${mb(b.pageHeap - a.pageHeap)} MB, bound ${mb(pageBound)} MB for ${steps} steps`,
      );
      assert.notEqual(a.workerHeap, null, 'the worker heap was read');
      assert.ok(
        b.workerHeap - a.workerHeap <= WORKER_HEAP_SLACK_BYTES,
        `worker heap grew ${mb(b.workerHeap - a.workerHeap)} MB, bound ${mb(WORKER_HEAP_SLACK_BYTES)} MB`,
      );
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
