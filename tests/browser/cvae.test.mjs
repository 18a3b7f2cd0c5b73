// The conditional VAE on the WASM backend: it trains in the lab, its panel samples a chosen class
// and decodes one digit's z with every label, the latent scatter shows, its lesson opens; and on
// unlabelled data it refuses with a sentence, the run and the settings untouched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openDrawer, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** Tiles drawn (count) and non-white pixels of the canvas with this test id, and a content hash. */
async function canvasStats(page, testId) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!(c instanceof HTMLCanvasElement)) return { count: 0, drawn: 0, hash: 0 };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let drawn = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 255) drawn++;
      hash = (hash * 31 + data[i]) | 0;
    }
    return { count: Number(c.getAttribute('data-count')), drawn, hash };
  }, testId);
}

const drawnWith = (page, testId, count) =>
  waitFor(
    async () => {
      const s = await canvasStats(page, testId);
      return s.count === count && s.drawn > 0 ? s : null;
    },
    2 * MINUTE,
    `${count} images in ${testId}`,
  );

async function ready(page) {
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the lab to be ready');
  return toggle;
}

const notices = async (page) => (await page.getByTestId('notice').allTextContents()).join(' ');

/** An IDX file of `n` 28×28 images and no labels file: an unlabelled upload. */
function unlabelledIdx(n) {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 28, 0, 0, 0, 28]);
  const pixels = Buffer.alloc(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 13 < 3 ? 255 : 0;
  return Buffer.concat([header, pixels]);
}
const upload = (page) =>
  page.getByTestId('upload-data').setInputFiles({
    name: 'scans-images-idx3-ubyte',
    mimeType: 'application/octet-stream',
    buffer: unlabelledIdx(60),
  });

test(
  'the conditional VAE trains, its panel samples a chosen class and one style in every class, its lesson opens',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=wasm&model=cvae&hidden=64`,
      );
      const toggle = await ready(page);
      assert.equal(await page.getByTestId('model-select').inputValue(), 'cvae');
      await toggle.click();
      await waitFor(async () => ((await stepOf(page)) ?? 0) >= 40, 4 * MINUTE, 'step 40');
      await toggle.click();
      await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'a pause');
      assert.match((await text(page, 'status')) ?? '', /test −ELBO [\d.]+ nats/);

      const samples = await drawnWith(page, 'cond-samples', 16);
      await drawnWith(page, 'cond-every', 10);
      await drawnWith(page, 'cond-input', 1);
      await page.getByTestId('cond-class').selectOption('7');
      await waitFor(
        async () => (await canvasStats(page, 'cond-samples')).hash !== samples.hash,
        MINUTE,
        'samples of class 7',
      );
      assert.match(
        (await page.getByTestId('cond-samples').getAttribute('aria-label')) ?? '',
        /16 samples of class 7/,
      );
      const row = await canvasStats(page, 'cond-every');
      await page.getByTestId('cond-digit').selectOption('3');
      await waitFor(
        async () => (await canvasStats(page, 'cond-every')).hash !== row.hash,
        MINUTE,
        'the row of another test digit',
      );
      assert.ok(await page.getByTestId('latent-scatter').isVisible(), 'the latent scatter shows');
      assert.equal(await page.locator('section[data-panel="draw"]').count(), 0, 'no drawing');
      assert.deepEqual(errors, [], 'no page or console errors');

      const lesson = await openPage(
        browser.context,
        // model=cvae in the link: the page starts on it (the preset alone applies it as a reset,
        // which can race the worker's start; see the report of this branch)
        `${server.url}/?backend=wasm&model=cvae#lesson=conditional-vae&step=2`,
      );
      await lesson.page.getByTestId('lesson-step').waitFor({ timeout: 2 * MINUTE });
      await waitFor(
        async () => (await lesson.page.getByTestId('model-select').inputValue()) === 'cvae',
        MINUTE,
        'the lesson preset',
      );
      await lesson.page.getByTestId('cond-class').waitFor({ timeout: 3 * MINUTE });
      assert.equal(await lesson.page.locator('section[data-panel="draw"]').count(), 0);
      assert.deepEqual(lesson.errors, [], 'no page or console errors in the lesson');
    } finally {
      await browser.close();
    }
  },
);

test(
  'unlabelled data: the cvae refuses an unlabelled upload, and cannot be chosen on one',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page } = await openPage(browser.context, `${server.url}/?backend=wasm&model=cvae`);
      await ready(page);
      await openDrawer(page);
      await upload(page);
      await waitFor(
        async () => /Conditional VAE needs labelled data/.test(await notices(page)),
        2 * MINUTE,
        'the refusal of the upload',
      );
      assert.match((await text(page, 'dataset-name')) ?? '', /MNIST/, 'the data is unchanged');
      assert.equal(await page.getByTestId('model-select').inputValue(), 'cvae');

      await page.getByTestId('model-select').selectOption('vae');
      await ready(page);
      await upload(page);
      await waitFor(
        async () => /unlabelled/.test((await text(page, 'dataset-name')) ?? ''),
        2 * MINUTE,
        'the unlabelled upload under the VAE',
      );
      const before = (await notices(page)).split('needs labelled data').length;
      await page.getByTestId('model-select').selectOption('cvae');
      await waitFor(
        async () => (await notices(page)).split('needs labelled data').length > before,
        MINUTE,
        'a second refusal',
      );
      assert.match(await notices(page), /has no labels: pick MNIST, Fashion-MNIST or an upload/);
      assert.equal(await page.getByTestId('model-select').inputValue(), 'vae', 'VAE stays');
      const step = page.getByTestId('step');
      await waitFor(() => step.isEnabled(), MINUTE, 'the Step button');
      await step.click();
      await waitFor(async () => (await stepOf(page)) === 1, 2 * MINUTE, 'the VAE still trains');
    } finally {
      await browser.close();
    }
  },
);
