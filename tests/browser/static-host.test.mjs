// The built app on a plain static host (no COOP/COEP, no CSP header, no rewrites) under a
// sub-path, as a course page would serve it: the page loads, its service worker reloads it once
// into a cross-origin-isolated page, and the wasm matrix products run on two threads. Then the
// network goes (the browser's offline mode) and the page is reloaded: the lab loads from the
// service worker's cache, still isolated, trains, and every lesson of the course opens; a new
// deploy waits behind a banner. Without a service worker the page says so once and never loops.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { launch, openPage, startStaticServer, stepOf, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const dist = process.env.LAB_DIST || 'dist';
const TINY = '#backend=wasm&model=vae&arch=mlp&latent=2';

let server;
before(async () => {
  server = await startStaticServer(dist, '/course/lab/');
});
after(async () => {
  await server?.close();
});

/** window.crossOriginIsolated, or null while the page is navigating (the worker's reload). */
const isolated = (page) => page.evaluate(() => window.crossOriginIsolated).catch(() => null);

/** Waits for the lab to be ready and trains until the step counter passes `beyond`. */
async function trainSomeSteps(page, beyond) {
  const step = page.getByTestId('step');
  await waitFor(() => step.isEnabled(), 3 * MINUTE, 'the lab to be ready');
  for (let i = 0; i < 40 && ((await stepOf(page)) ?? 0) <= beyond; i++) {
    await waitFor(() => step.isEnabled(), MINUTE, 'the Step button');
    await step.click();
  }
  await waitFor(async () => ((await stepOf(page)) ?? 0) > beyond, MINUTE, 'a training step');
  return stepOf(page);
}

/** Clicks the download button `testId` and returns the downloaded file's bytes. */
async function downloaded(page, testId) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return readFile(await download.path());
}

test(
  'plain static host under /course/lab/: isolated by the service worker, two threads, offline',
  { timeout: 6 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}${TINY}`);
      // A failed request is an error, except one the page's own reloads cut off (the service
      // worker's first reload, the banner's Reload): Chromium aborts what was in flight.
      page.on('requestfailed', (r) => {
        const why = r.failure()?.errorText ?? '';
        if (why !== 'net::ERR_ABORTED') errors.push(`failed (${why}): ${r.url()}`);
      });
      // The first load comes from the network, without the headers; the service worker takes
      // the page over and reloads it once.
      await waitFor(async () => (await isolated(page)) === true, 2 * MINUTE, 'isolation');
      assert.equal(new URL(page.url()).pathname, '/course/lab/', 'the sub-path is kept');
      assert.ok(
        await page.evaluate(() => navigator.serviceWorker.controller !== null),
        'the service worker controls the page',
      );
      assert.equal(await page.getByTestId('isolation-note').count(), 0, 'no one-thread note');
      assert.ok(
        !server.requests.some((p) => !p.startsWith('/course/lab/')),
        `every request stays under the sub-path: ${server.requests.filter((p) => !p.startsWith('/course/lab/'))}`,
      );

      // Training on wasm: the matrix products run on two threads.
      const before = await trainSomeSteps(page, 0);
      await waitFor(
        async () => (await page.getByTestId('gemm-threads').getAttribute('data-threads')) === '2',
        MINUTE,
        'a product on two threads',
      );
      console.log(`# online: step ${before}, two threads`);

      // The manifold's picture for slides: a PNG of the grid enlarged 3× (it decodes to that
      // size at least) and an SVG holding the grid as one embedded image.
      await page.getByTestId('download-manifold-png').waitFor({ timeout: MINUTE });
      const grid = await page
        .getByTestId('manifold')
        .evaluate((c) => [/** @type {HTMLCanvasElement} */ (c).width, c.height]);
      const png = await downloaded(page, 'download-manifold-png');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.ok(w >= 3 * grid[0] && h >= 3 * grid[1], `PNG ${w}×${h} holds the ${grid} grid 3×`);
      const svg = (await downloaded(page, 'download-manifold-svg')).toString('utf8');
      assert.equal(svg.match(/<image /g)?.length, 1, 'one image in the SVG');
      assert.match(svg, new RegExp(`width="${3 * grid[0]}" height="${3 * grid[1]}"`));

      // Offline, reloaded: everything comes from the service worker.
      const served = server.requests.length;
      await browser.context.setOffline(true);
      await page.reload();
      assert.equal(await isolated(page), true, 'offline and still isolated');
      const after = await trainSomeSteps(page, 0);
      assert.ok(after > 0, 'it trains offline');

      // Every lesson of the course opens (its text is a lazy chunk, precached).
      const entries = page.locator('[data-testid="lesson-list"] button.lesson-entry');
      const n = await entries.count();
      assert.ok(n >= 7, `the course lists its lessons (${n})`);
      for (let i = 0; i < n; i++) {
        const entry = entries.nth(i);
        const title = (await entry.locator('.lesson-title').textContent())?.trim();
        await entry.click();
        await page.getByTestId('lesson-step').waitFor({ timeout: MINUTE });
        assert.equal((await page.locator('#lesson-h').textContent())?.trim(), title);
        await page.getByRole('button', { name: 'Close lesson' }).click();
        await page.getByTestId('lesson-list').waitFor({ timeout: MINUTE });
      }
      console.log(`# offline: step ${after}, ${n} lessons opened`);
      // Chromium's emulated offline mode does not cover the browser's own update check of the
      // worker script (a real offline browser fails it, harmlessly): the app's files only.
      const leaked = server.requests.slice(served).filter((p) => p !== '/course/lab/sw.js');
      assert.deepEqual(leaked, [], 'no file of the app came from the server while offline');

      // A new deploy (here: a changed sw.js) waits: the page says so and keeps its version
      // until the reader reloads through the banner's button.
      await browser.context.setOffline(false);
      const swPath = '/course/lab/sw.js';
      const sw = await readFile(`${dist}/sw.js`);
      server.overrides.set(swPath, Buffer.concat([sw, Buffer.from('\n// the next deploy\n')]));
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const banner = page.getByTestId('update-banner');
      await banner.waitFor({ timeout: MINUTE });
      assert.ok(
        await page.evaluate(() =>
          navigator.serviceWorker.getRegistration().then((r) => r?.waiting !== null),
        ),
        'the new version waits (no silent takeover)',
      );
      await Promise.all([
        page.waitForEvent('framenavigated'),
        banner.getByRole('button', { name: 'Reload' }).click(),
      ]);
      await waitFor(async () => (await isolated(page)) === true, MINUTE, 'the reloaded page');
      assert.equal(await banner.count(), 0, 'the banner is gone after the reload');
      assert.ok(
        await page.evaluate(() =>
          navigator.serviceWorker.getRegistration().then((r) => r?.waiting === null),
        ),
        'the new version took over',
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'no service worker (blocked): one quiet note, no reload, one thread; dismissed for good',
  { timeout: 4 * MINUTE },
  async () => {
    const browser = await launch([], { serviceWorkers: 'block' });
    try {
      const page = await browser.context.newPage();
      let loads = 0;
      page.on('load', () => loads++);
      await page.goto(`${server.url}${TINY}`);
      const note = page.getByTestId('isolation-note');
      await note.waitFor({ timeout: MINUTE });
      assert.match((await note.textContent()) ?? '', /Training runs on one thread here: /);
      await trainSomeSteps(page, 0);
      assert.equal(await page.getByTestId('gemm-threads').getAttribute('data-threads'), '1');
      assert.equal(await isolated(page), false);
      assert.equal(loads, 1, 'the page never reloaded itself');
      await note.getByRole('button', { name: 'Dismiss the note about threads' }).click();
      assert.equal(await note.count(), 0, 'dismissed');
      await page.reload();
      await page.getByTestId('step').waitFor({ timeout: MINUTE });
      await page.waitForTimeout(2000); // time for the registration to fail again
      assert.equal(await note.count(), 0, 'said once: not again after a reload');
      assert.equal(loads, 2, 'only the reload asked for');
    } finally {
      await browser.close();
    }
  },
);
