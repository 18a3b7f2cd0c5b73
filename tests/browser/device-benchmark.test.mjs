// "Benchmark this device": the app measures training images/s on each backend, switches to the
// fastest, and remembers it in the link and in localStorage. No assertion depends on which
// backend wins (that is this machine's speed); time limits only bound how long a broken build
// can hang.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openDrawer, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

const MINUTE = 60_000;
const STORAGE_KEY = 'latent-lab.device-benchmark';

/** The results table as { backend, rate (null for "—"), chosen } rows. */
function readTable(page) {
  return page
    .getByTestId('benchmark-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const rate = tr.querySelector('[data-testid="benchmark-rate"]')?.textContent ?? '';
        return {
          backend: (tr.getAttribute('data-testid') ?? '').replace('benchmark-row-', ''),
          rate: /^[\d,.]+$/.test(rate) ? Number(rate.replace(/,/g, '')) : null,
          chosen: tr.getAttribute('data-chosen') === 'true',
          text: Array.from(tr.cells, (c) => c.textContent).join(' · '),
        };
      }),
    );
}

test(
  'benchmark this device: a table of images/s per backend, the fastest chosen, kept in the link and localStorage',
  { timeout: 6 * MINUTE },
  async () => {
    let stored;
    let chosen;
    const browser = await launch(['--enable-unsafe-webgpu']);
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/#backend=cpu`);
      await waitFor(async () => (await text(page, 'backend')) === 'cpu', 2 * MINUTE, 'cpu');
      assert.match((await text(page, 'backend-source')) ?? '', /from the link/);

      // A run with a step done, which a switch of backend must not lose.
      const stepButton = page.getByTestId('step');
      await waitFor(() => stepButton.isEnabled(), 2 * MINUTE, 'the Step button');
      await stepButton.click();
      await waitFor(async () => (await stepOf(page)) === 1, 2 * MINUTE, 'step 1');

      await openDrawer(page);
      const button = page.getByRole('button', { name: 'Benchmark this device' });
      await waitFor(() => button.isEnabled(), 2 * MINUTE, 'the benchmark button');
      await button.click();
      const outcome = page.getByTestId('benchmark-outcome');
      await waitFor(() => outcome.isVisible(), 4 * MINUTE, 'the benchmark to finish');

      const rows = await readTable(page);
      console.log(`# benchmark: ${rows.map((r) => r.text).join(' | ')}`);
      console.log(`# outcome: ${await outcome.textContent()}`);
      const wasm = rows.find((r) => r.backend === 'wasm');
      assert.ok(wasm, 'the table lists wasm');
      assert.ok(wasm.rate !== null && wasm.rate > 0, `wasm has a positive rate (${wasm.text})`);
      const chosenRows = rows.filter((r) => r.chosen);
      assert.equal(chosenRows.length, 1, 'exactly one backend is marked as chosen');
      chosen = chosenRows[0].backend;
      const best = Math.max(...rows.map((r) => r.rate ?? 0));
      assert.equal(chosenRows[0].rate, best, 'the chosen backend has the highest rate');
      assert.match(chosenRows[0].text, /fastest/);

      // The choice is in the link, in localStorage, and runs the training.
      await waitFor(
        async () =>
          new URLSearchParams(new URL(page.url()).hash.slice(1)).get('backend') === chosen,
        10_000,
        `backend=${chosen} in the URL hash`,
      );
      stored = await page.evaluate((key) => window.localStorage.getItem(key), STORAGE_KEY);
      assert.ok(stored, 'localStorage holds the benchmark');
      const parsed = JSON.parse(stored);
      assert.equal(parsed.backend, chosen);
      assert.ok(
        parsed.results.some((r) => r.backend === 'wasm' && r.imagesPerSec > 0),
        'with the per-backend rates',
      );
      await waitFor(async () => (await text(page, 'backend')) === chosen, 2 * MINUTE, chosen);
      assert.match((await text(page, 'backend-source')) ?? '', /fastest on this device/);
      if (chosen !== 'cpu') {
        // The run moved to the new backend at the step it had reached.
        await waitFor(
          async () =>
            /Moved the run to the \w+ backend; it continues from step 1\b/.test(
              (await text(page, 'notice')) ?? '',
            ),
          2 * MINUTE,
          'the run to move',
        );
        // The moved run stands at step 1, idle: a Step that was still finishing (evaluation,
        // autosave) when the benchmark started is not training, so the move does not resume
        // training (it once did, and the Step button then stayed disabled for good).
        await waitFor(
          async () => (await stepOf(page)) === 1,
          2 * MINUTE,
          'the moved run at step 1',
        );
        await waitFor(() => stepButton.isEnabled(), 2 * MINUTE, 'the Step button after the move');
        assert.equal(await page.getByTestId('train-toggle').textContent(), 'Train');
        await stepButton.click();
        await waitFor(async () => (await stepOf(page)) === 2, 2 * MINUTE, 'step 2 after the move');
      }
      assert.deepEqual(
        errors.filter((e) => e.startsWith('pageerror')),
        [],
        'no uncaught page errors',
      );
    } finally {
      await browser.close();
    }

    // A fresh browser with only that localStorage, opened without a hash, comes up on it.
    const fresh = await launch();
    try {
      await fresh.context.addInitScript(
        ([key, value]) => {
          if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value);
        },
        [STORAGE_KEY, stored],
      );
      const { page, errors } = await openPage(fresh.context, `${server.url}/`);
      await waitFor(async () => (await text(page, 'backend')) === chosen, 2 * MINUTE, chosen);
      assert.match(
        (await text(page, 'backend-source')) ?? '',
        /fastest on this device, benchmarked/,
      );
      assert.equal(await page.getByTestId('setting-backend').inputValue(), chosen);
      // The remembered table is shown without measuring again.
      const rows = await readTable(page);
      assert.equal(rows.find((r) => r.chosen)?.backend, chosen);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await fresh.close();
    }
  },
);
