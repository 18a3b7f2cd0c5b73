// End-to-end tests of the built app in headless Chromium. No assertion depends on speed;
// the time limits only bound how long a broken build can hang.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import {
  launch,
  longTasksSince,
  openPage,
  startServer,
  stepOf,
  testElbo,
  text,
  waitFor,
} from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

const MINUTE = 60_000;
/**
 * Every foldable panel, for tests that need none of them drawn: the ids of the `closed` setting,
 * read from src/contracts/panels.ts itself (Vite compiles the TypeScript for Node).
 */
const PANELS_TS = fileURLToPath(new URL('../../src/contracts/panels.ts', import.meta.url));
const { PANEL_IDS } = (await runnerImport(PANELS_TS)).module;
const ALL_PANELS = PANEL_IDS.join(',');

test(
  'trains a 2-D VAE on WASM: test −ELBO falls below 200 nats, 2,000 digits in 10 colours',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/?backend=wasm`);
      await waitFor(
        async () => (await text(page, 'backend')) === 'wasm',
        2 * MINUTE,
        'the wasm backend',
      );
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the Train button');
      assert.equal(await toggle.textContent(), 'Train');
      const initial = await waitFor(() => testElbo(page), MINUTE, 'the first evaluation');

      const trainStart = await page.evaluate(() => performance.now());
      await toggle.click();
      await waitFor(
        async () => (await toggle.textContent()) === 'Pause',
        10_000,
        'the button to read Pause',
      );
      const final = await waitFor(
        async () => {
          const v = await testElbo(page);
          return v !== null && v < 200 ? v : null;
        },
        8 * MINUTE,
        'test −ELBO under 200 nats',
      );
      assert.ok(final < initial, `test −ELBO fell (${initial} → ${final})`);

      // Every plotted point, over all traces of the chart (the probe digits' trace is drawn on
      // its canvas); not the two-point extent trace that only sets Plotly's autorange.
      const points = await page.evaluate(() => {
        const gd = /** @type {any} */ (document.querySelector('[data-testid="latent-scatter"]'));
        const out = [];
        for (const t of gd.data) {
          if (t.name === 'extent') continue;
          t.x.forEach((x, i) => {
            if (x === null) return;
            const c = Array.isArray(t.marker.color) ? t.marker.color[i] : t.marker.color;
            out.push({ x, y: t.y[i], c });
          });
        }
        return out;
      });
      assert.equal(points.length, 2000, 'the scatter shows 2,000 points');
      assert.equal(new Set(points.map((p) => p.c)).size, 10, 'in 10 colours');
      assert.ok(
        points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
        'at finite positions',
      );

      const inked = await page.evaluate(() => {
        const c = /** @type {HTMLCanvasElement} */ (
          document.querySelector('[data-testid="reconstructions"]')
        );
        const ctx = c.getContext('2d');
        const { data } = ctx.getImageData(0, c.height / 2 + 1, c.width, c.height / 2 - 1);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
        return dark;
      });
      assert.ok(inked > 100, `reconstructions are drawn (${inked} dark pixels)`);

      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: 'docs/screenshot.png', fullPage: true });

      await toggle.click();
      await waitFor(
        async () => (await toggle.textContent()) === 'Train',
        MINUTE,
        'the button to read Train',
      );
      const longTasks = await longTasksSince(page, trainStart);
      const worst = longTasks.length ? Math.max(...longTasks) : 0;
      console.log(
        `# main-thread long tasks while training: ${longTasks.length}, worst ${worst.toFixed(0)} ms; all: ${longTasks.map((d) => d.toFixed(0)).join(' ')} (reported, not asserted)`,
      );
      console.log(`# test −ELBO ${initial} → ${final} nats at step ${await stepOf(page)}`);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test(
  'WebGPU smoke test: one training step on the webgpu backend',
  { timeout: 8 * MINUTE },
  async () => {
    const browser = await launch(['--enable-unsafe-webgpu']);
    try {
      // Every lecture panel folded: SwiftShader's WebGPU is slow, and this test is about training.
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/#backend=webgpu&closed=${ALL_PANELS}`,
      );
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 5 * MINUTE, 'the model to be ready');
      assert.equal(
        await text(page, 'backend'),
        'webgpu',
        `running on webgpu (notices: ${await text(page, 'notice')})`,
      );
      const before = await waitFor(() => testElbo(page), MINUTE, 'the first evaluation');
      await page.getByTestId('step').click();
      await waitFor(async () => (await stepOf(page)) === 1, 3 * MINUTE, 'step 1');
      // The loss of step 1 on its training batch, read back from the GPU: an untrained model's
      // loss, so close to the untrained test −ELBO (≈ 549 nats; wrong read-backs are far off).
      const trainLoss = await waitFor(
        async () => {
          const status = (await text(page, 'status')) ?? '';
          const m = /train −ELBO ([−-]?[\d.]+) nats/.exec(status);
          return m ? Number(m[1].replace('−', '-')) : null;
        },
        3 * MINUTE,
        'the loss of step 1',
      );
      assert.ok(
        Math.abs(trainLoss - before) < 0.2 * before,
        `step 1's training loss ${trainLoss} is near the untrained test −ELBO ${before}`,
      );
      const after = await waitFor(
        async () => {
          const v = await testElbo(page);
          return v !== null && v !== before ? v : null;
        },
        3 * MINUTE,
        'the evaluation after step 1',
      );
      assert.ok(
        Number.isFinite(after) && after > 0,
        `finite test −ELBO after one step (${before} → ${after})`,
      );
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test(
  'a bad URL value and an unavailable backend fall back with visible notices',
  { timeout: 5 * MINUTE },
  async () => {
    // Without --enable-unsafe-webgpu this headless Chromium has no WebGPU adapter.
    const browser = await launch(['--disable-features=WebGPU,Vulkan', '--disable-gpu']);
    try {
      const { page } = await openPage(browser.context, `${server.url}/?backend=webgpu&latent=500`);
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
      const backend = await text(page, 'backend');
      assert.notEqual(backend, 'webgpu');
      assert.ok(['webgl', 'wasm', 'cpu'].includes(backend ?? ''), `fell back to ${backend}`);
      const notices = (await text(page, 'notice')) ?? '';
      assert.match(notices, /webgpu could not start/);
      assert.match(notices, new RegExp(`Fell back to ${backend}`));
      assert.match(notices, /Ignored latent=500/);
    } finally {
      await browser.close();
    }
  },
);

/** Waits until the page shows the wasm backend and an enabled Train button. */
async function readyOnWasm(page) {
  await waitFor(async () => (await text(page, 'backend')) === 'wasm', 2 * MINUTE, 'wasm');
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the Train button');
}

test('VQ-VAE trains on WASM', { timeout: 8 * MINUTE }, async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}/?backend=wasm&model=vqvae`,
    );
    await readyOnWasm(page);
    const model = page.getByTestId('model-select');
    assert.equal(await model.inputValue(), 'vqvae');
    assert.equal(await model.locator('option:checked').textContent(), 'VQ-VAE');
    assert.ok(await page.getByTestId('setting-codes').isVisible(), 'codebook size is shown');
    assert.ok(await page.getByTestId('setting-codeDim').isVisible(), 'code size is shown');
    assert.equal(await page.getByTestId('setting-beta').count(), 0, 'no β input');
    assert.equal(await page.getByTestId('setting-latent').count(), 0, 'no latent size');
    assert.equal(await page.getByLabel('β (KL weight)').count(), 0, 'no β by its label');

    const step = page.getByTestId('step');
    for (let n = 1; n <= 3; n++) {
      await waitFor(() => step.isEnabled(), MINUTE, `the Step button before step ${n}`);
      await step.click();
      await waitFor(async () => (await stepOf(page)) === n, 3 * MINUTE, `step ${n}`);
    }
    const recon = await waitFor(
      async () => {
        const m = /train reconstruction ([\d.]+) nats/.exec((await text(page, 'status')) ?? '');
        return m ? Number(m[1]) : null;
      },
      MINUTE,
      'the train reconstruction loss',
    );
    assert.ok(Number.isFinite(recon) && recon > 0, `finite train reconstruction (${recon})`);
    assert.equal(await stepOf(page), 3);
    assert.deepEqual(errors, [], 'no page or console errors');
  } finally {
    await browser.close();
  }
});

/**
 * Every setting away from its default, as the app writes them (table order); the unit test
 * tests/unit/settings.test.ts checks that this list covers every key of the settings table.
 */
const EVERY_SETTING =
  'backend=wasm&dataset=kmnist&closed=manifold%2Cgumbel&model=ae&arch=conv&latent=16&hidden=256&lr=0.0003&batch=64&beta=4.5' +
  '&seed=42&likelihood=gaussian&sigma=0.2&binarize=dynamic&warmup=sigmoid&warmupSteps=2000' +
  '&freeBits=0.25&act=linear&codes=128&codeDim=8&channels=16&commitment=0.5&ema=true&emaDecay=0.9' +
  '&kmeans=false&restart=3&tau=exp&tauEnd=0.5&tauSteps=3000&tauRate=0.0002&hard=true' +
  '&categorical=30&classes=8';

const hashParams = (page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
const sorted = (params) => [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

test(
  'the URL hash round-trips every setting; old ?query links still work',
  {
    timeout: 6 * MINUTE,
  },
  async () => {
    const browser = await launch();
    try {
      // dataset=kmnist makes the page download KMNIST once ready: keep the test offline.
      const origin = new URL(server.url).origin;
      await browser.context.route(
        (url) => url.origin !== origin,
        (route) => route.abort(),
      );
      const { page, errors } = await openPage(browser.context, `${server.url}/#${EVERY_SETTING}`);
      const model = page.getByTestId('model-select');
      await waitFor(async () => (await model.inputValue()) === 'ae', MINUTE, 'the controls');
      const expected = sorted(new URLSearchParams(EVERY_SETTING));
      assert.equal(expected.length, 33, 'the list has all 33 settings');
      const roundTrip = async (what) => {
        await waitFor(
          async () => JSON.stringify(sorted(hashParams(page))) === JSON.stringify(expected),
          10_000,
          `every setting in the hash (${what}); it reads ${new URL(page.url()).hash}`,
        );
        assert.equal(new URL(page.url()).search, '', `no query left (${what})`);
        assert.equal(await model.inputValue(), 'ae');
        assert.equal(await page.getByTestId('setting-backend').inputValue(), 'wasm');
        assert.equal(await page.getByTestId('setting-latent').inputValue(), '16');
        assert.equal(await page.getByTestId('setting-lr').inputValue(), '0.0003');
        assert.equal(await page.getByTestId('setting-batch').inputValue(), '64');
        assert.equal(await page.getByTestId('setting-hidden').inputValue(), '256');
        assert.equal(await page.getByTestId('setting-act').inputValue(), 'linear');
        assert.equal(await page.getByTestId('setting-sigma').inputValue(), '0.2');
      };
      await roundTrip('opened from the hash');
      await page.reload();
      await roundTrip('after a reload');
      // A link from before the hash: the query is read, then rewritten into the hash.
      await page.goto(`${server.url}/?${EVERY_SETTING}`);
      await roundTrip('opened from an old ?query link');
      // Both: the hash wins; a bad value falls back with a notice and leaves the URL.
      await page.goto(`${server.url}/?latent=4&seed=5#latent=8&beta=abc`);
      await waitFor(
        async () => new URL(page.url()).hash === '#latent=8&seed=5',
        10_000,
        `#latent=8&seed=5 (the URL reads ${page.url()})`,
      );
      await waitFor(
        async () => /Ignored beta=abc in the URL/.test((await text(page, 'notice')) ?? ''),
        10_000,
        'the notice about beta=abc',
      );
      assert.deepEqual(
        errors.filter((e) => e.startsWith('pageerror')),
        [],
        'no page errors',
      );
    } finally {
      await browser.close();
    }
  },
);

test(
  'settings changed on the page, or in the hash, reach the URL and the run',
  {
    timeout: 8 * MINUTE,
  },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/#backend=wasm&model=dvae&tau=exp&hard=true&codes=32`,
      );
      await readyOnWasm(page);
      const tau = page.getByTestId('setting-tau');
      const hard = page.getByTestId('setting-hard');
      const codes = page.getByTestId('setting-codes');
      assert.equal(await page.getByTestId('model-select').inputValue(), 'dvae');
      assert.equal(await tau.inputValue(), 'exp');
      assert.equal(await hard.isChecked(), true);
      assert.equal(await codes.inputValue(), '32');

      await page.locator('details.more > summary').click();
      assert.ok(await tau.isVisible(), 'the τ schedule is shown under Model options');
      assert.ok(await page.getByTestId('setting-tauRate').isVisible(), 'exp shows its rate r');
      assert.equal(await page.getByTestId('setting-tauSteps').count(), 0, 'exp has no τ steps');

      const param = (key) => hashParams(page).get(key);
      await tau.selectOption('constant');
      await waitFor(() => param('tau') === 'constant', 10_000, 'tau=constant in the URL');
      await tau.selectOption('cosine');
      await waitFor(() => param('tau') !== 'constant', 10_000, 'the URL to drop tau=constant');
      // cosine is the default, which the URL leaves out; it must still read back as cosine.
      assert.equal(param('tau'), null, `tau in the URL: ${param('tau')}`);
      assert.equal(param('model'), 'dvae');
      assert.equal(param('hard'), 'true');
      assert.equal(param('codes'), '32');
      assert.ok(await page.getByTestId('setting-tauSteps').isVisible(), 'cosine shows τ steps');
      assert.equal(await page.getByTestId('setting-tauRate').count(), 0, 'cosine has no rate r');

      // Folding a panel is a setting too: its content goes, the URL says so, unfolding restores it.
      const fold = page.getByTestId('panel-toggle-gumbel');
      await waitFor(() => fold.isVisible(), MINUTE, 'the Gumbel panel');
      assert.equal(await fold.getAttribute('aria-expanded'), 'true');
      await fold.click();
      await waitFor(() => param('closed') === 'gumbel', 10_000, 'closed=gumbel in the URL');
      assert.equal(await fold.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.getByTestId('tau').count(), 0, 'a folded panel renders nothing');
      await fold.press('Enter'); // the heading button works from the keyboard
      await waitFor(() => param('closed') === null, 10_000, 'the URL to drop closed');
      await waitFor(async () => (await page.getByTestId('tau').count()) === 1, MINUTE, 'τ again');

      // Reloading the written URL gives the same settings back.
      await page.reload();
      await waitFor(
        async () => (await page.getByTestId('setting-tau').count()) === 1,
        MINUTE,
        'the controls after reload',
      );
      assert.equal(await tau.inputValue(), 'cosine');
      assert.equal(await hard.isChecked(), true);
      assert.equal(await codes.inputValue(), '32');
      assert.equal(await page.getByTestId('model-select').inputValue(), 'dvae');

      // A link pasted into this tab changes only the hash (no reload): it still applies.
      await readyOnWasm(page);
      await page.evaluate(() => {
        window.location.hash = '#backend=wasm&model=vqvae&codes=16';
      });
      await waitFor(
        async () => (await page.getByTestId('model-select').inputValue()) === 'vqvae',
        MINUTE,
        'the VQ-VAE of the new hash',
      );
      assert.equal(await codes.inputValue(), '16');
      await readyOnWasm(page);
      assert.equal(new URL(page.url()).hash, '#backend=wasm&model=vqvae&codes=16');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
