// A two-minute soak of the built app on WASM (the CI cut of scripts/soak.mjs): after a warm-up,
// the worker's tensor count must not move at all, and the JS heaps and ArrayBuffers (page and
// worker) may grow only by what the run legitimately keeps: its loss curves. Each value is the
// floor of a window of readings (every heap reading after a forced GC), and the test compares the
// floor of the last window with that of the first: what the app keeps is in every reading, while
// what is in flight at one instant (an autosave snapshot, an inspection's pixels) or a GC that
// comes late on a busy machine is not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, text, waitFor } from './harness.mjs';
import { memoryProbe, windowFloor } from './memory-probe.mjs';

const MINUTE = 60_000;
const WARM_UP_MS = 30_000;
/** From the start of the first window to the start of the last. */
const SOAK_MS = 45_000;
/**
 * Each window: a tensor reading every 250 ms and a heap reading every 1.7 s (fewer on a busy
 * machine, where a forced GC takes longer: 5–7 seen). On 2 loaded cores an autosave snapshot was
 * alive in up to 40% of single readings, so a window's floor misses the bare page only if every
 * one of its readings catches one.
 */
const WINDOW_MS = 20_000;

/**
 * Growth allowed between the two floors. `npm run soak -- --minutes 30 --interval 15` on wasm
 * (2 loaded cores, ≈ 9,100 steps after the first minute) measured, after a forced GC each:
 * - Page ArrayBuffers: a floor of 12.02 MB from the first minute to the last. Single readings
 *   jump to 21.5–22.1 MB (a second autosave snapshot, ≈ 9.5 MB, still alive: what failed the old
 *   two-reading bound with +9.47 MB) in 32 of 117 rows, more often as the load rose (hence a
 *   least-squares slope of 5.7 ± 2.8 MB/h over single readings), or up to 13.6 MB (pixels in
 *   flight). 1 MB is ~15× the floor's wobble (0.06 MB) and still catches a leak of 1.4 MB a
 *   minute (≈ 80 MB over an hour's class), e.g. one 240 KB shuffle order kept per autosave (5 s).
 * - Worker ArrayBuffers (the dataset): floor 53.17 MB throughout; same bound.
 * - Page JS heap: the run keeps its loss curves, which grow with every step or evaluation until
 *   their bounds (src/state/training-store.ts), and V8 compiles more code as it warms up. Floors
 *   rose ≈ 1.4 KB per step over minutes 1–5 (a heap-snapshot diff: +1.5 MB compiled code, then
 *   the test curves' points and markers) and ≈ 0.2 KB per step (3.5 MB/h) after minute 10.
 *   8 KB per step allows for that with room, plus 4 MB for what one GC leaves (code caches, pools).
 * - Worker JS heap: no curves there; 2 MB of GC slack (floor 2.7–3.1 MB over 30 minutes,
 *   readings up to 3.9 MB).
 */
const PAGE_HEAP_SLACK = 4 * 2 ** 20;
const PAGE_HEAP_PER_STEP = 8 * 2 ** 10;
const BUFFER_SLACK = 1 * 2 ** 20;
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

      const reading = () => windowFloor(page, probe, WINDOW_MS, { workerUrl: /train\.worker/ });
      const first = await reading();
      await new Promise((r) => setTimeout(r, SOAK_MS - WINDOW_MS));
      const last = await reading();
      await toggle.click();
      probe.close();

      const mb = (x) => (x / 2 ** 20).toFixed(2);
      const a = first.floor;
      const b = last.floor;
      const steps = last.step - first.step;
      const line = (f) =>
        `${f.numTensors} tensors (${mb(f.numBytes)} MB), page heap ${mb(f.pageHeap)} + ` +
        `${mb(f.pageBackingStore)} MB, worker heap ${mb(f.workerHeap)} + ` +
        `${mb(f.workerBackingStore)} MB, wasm heap ${mb(f.wasmHeapBytes)} MB`;
      const series = (w, key) => w.heaps.map((h) => mb(h[key])).join(' ');
      console.log(`# floor of the first ${WINDOW_MS / 1000} s (to step ${first.step}): ${line(a)}`);
      console.log(`# floor of the last ${WINDOW_MS / 1000} s, ${steps} steps later: ${line(b)}`);
      for (const key of ['pageHeap', 'pageBackingStore', 'workerHeap', 'workerBackingStore'])
        console.log(`#   ${key} readings: ${series(first, key)} | ${series(last, key)}`);
      assert.ok(steps > 0, `training went on (${first.step} → ${last.step})`);
      assert.ok(typeof a.numTensors === 'number', 'the worker’s memory line was read');
      assert.equal(b.numTensors, a.numTensors, 'the worker holds the same tensors');
      assert.equal(b.numBytes, a.numBytes, 'of the same size');
      const within = (key, bound, what) => {
        assert.ok(typeof a[key] === 'number' && typeof b[key] === 'number', `${what} was read`);
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
