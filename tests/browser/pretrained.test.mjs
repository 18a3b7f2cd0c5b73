// Every trained model of public/pretrained/manifest.json opens from its link (#pretrained=<id>):
// the page shows it at its step with its settings, and its test metric on the page's 2,000 probe
// digits is the one `npm run make:pretrained` measured for the stored weights. An unknown id is refused
// with a notice and the fresh run carries on. The time from the worker being ready (when the page
// starts the load) to the model on screen is logged, not asserted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const manifest = JSON.parse(readFileSync('dist/pretrained/manifest.json', 'utf8'));
/**
 * The page shows one decimal (±0.05), and its wasm kernels may sum in another order than
 * Node's: the same weights on the same 2,000 digits agree to within this many nats.
 */
const TOLERANCE = 0.3;

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The status line's headline test term: test −ELBO or test reconstruction, in nats. */
async function testMetric(page, label) {
  // The label as literal text: "−log p(codes)" has parentheses.
  const literal = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`test ${literal} ([\\d.]+) nats`).exec((await text(page, 'status')) ?? '');
  return m ? Number(m[1]) : null;
}

for (const c of manifest.checkpoints) {
  test(
    `the trained model ${c.id} opens from its link with its manifest metric`,
    { timeout: 4 * MINUTE },
    async () => {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/#backend=wasm&pretrained=${c.id}`,
      );
      try {
        const toggle = page.getByTestId('train-toggle');
        await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the worker to be ready');
        const started = Date.now();
        await waitFor(
          async () => (await stepOf(page)) === c.step,
          MINUTE,
          `step ${c.step} of the trained model`,
        );
        const loadedMs = Date.now() - started;
        const shown = await waitFor(
          () => testMetric(page, c.metric.label),
          MINUTE,
          'the evaluation of the loaded model',
        );
        const want = c.metric.probe.stored;
        console.log(
          `# ${c.id}: on screen ${loadedMs} ms after the worker was ready; page test ${c.metric.label} ${shown}, ` +
            `manifest ${want} (2,000 probe digits), ${c.metric.test.stored} (all test digits); ${c.dtype}, ${c.bytes} bytes`,
        );
        assert.ok(
          Math.abs(shown - want) <= TOLERANCE,
          `the page's test ${c.metric.label} ${shown} is the manifest's ${want} (±${TOLERANCE})`,
        );
        const notices = (await text(page, 'notice')) ?? '';
        assert.match(notices, new RegExp(`Loaded the trained model ${c.id}`));
        assert.equal(
          await page.getByTestId('model-select').inputValue(),
          c.model,
          'the model control',
        );
        const url = page.url();
        if (c.model !== 'vae')
          assert.match(url, new RegExp(`model=${c.model}`), 'the URL names the model');
        assert.doesNotMatch(
          url,
          /pretrained=/,
          'the link was read once, the URL shows the settings',
        );
        if (c.model === 'vae' || c.model === 'ae') {
          // The MLPs' sizes, which the controls show for these models.
          for (const [testId, key] of [
            ['setting-hidden', 'hiddenDim'],
            ['setting-latent', 'latentDim'],
          ])
            assert.equal(
              await page.getByTestId(testId).inputValue(),
              String(c.settings[key]),
              `the ${key} control shows the trained model's`,
            );
          assert.match(url, new RegExp(`hidden=${c.settings.hiddenDim}`), 'and so does the URL');
        }
        assert.deepEqual(errors, [], 'no page or console errors');
      } finally {
        await page.close();
      }
    },
  );
}

test(
  'an unknown trained model is refused with a notice; the fresh run carries on',
  { timeout: 4 * MINUTE },
  async () => {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}/#backend=wasm&pretrained=nope`,
    );
    try {
      const notice = await waitFor(
        async () => {
          const t = (await text(page, 'notice')) ?? '';
          return /Could not load the trained model nope/.test(t) ? t : null;
        },
        2 * MINUTE,
        'a notice refusing "nope"',
      );
      assert.match(notice, /no trained model "nope" \(the lab ships vae-2d/);
      assert.equal(await stepOf(page), 0, 'the fresh run is still there');
      await page.getByTestId('step').click();
      await waitFor(async () => (await stepOf(page)) === 1, MINUTE, 'a step of the fresh run');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await page.close();
    }
  },
);
