// K-means and the mixture of Bernoullis in the lab on the WASM backend (K = 10): each fits a few
// iterations over the training set, its panels show (the codebook atlas of centroids; the EM
// chart, a digit's responsibilities and the components), and the EM and K-means lesson opens.
// No assertion depends on speed: each wait is for a state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** Canvases inside the element with this test id, and how many of their pixels are drawn. */
function drawnPixels(page, testId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const canvases =
      el instanceof HTMLCanvasElement ? [el] : [...(el?.querySelectorAll('canvas') ?? [])];
    let drawn = 0;
    for (const c of canvases) {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      for (let i = 0; i < data.length; i += 4) if (data[i] < 250) drawn++;
    }
    return drawn;
  }, testId);
}

/** Trains until the status line's step reaches `steps` (iterations), then pauses. */
async function fit(page, steps) {
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
  await toggle.click();
  await waitFor(async () => ((await stepOf(page)) ?? 0) >= steps, 8 * MINUTE, `iteration ${steps}`);
  if ((await toggle.textContent()) !== 'Train') await toggle.click(); // a converged fit pauses itself
  // A pause takes effect after the pass over the training set in progress.
  await waitFor(async () => (await toggle.textContent()) === 'Train', 8 * MINUTE, 'the pause');
}

test('k-means fits, and its centroids fill the codebook panels', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#model=kmeans&clusters=10`,
    );
    await fit(page, 2);
    const usage = page.locator('[data-panel="codebook"]');
    await usage.waitFor({ timeout: MINUTE });
    const atlas = page.locator('[data-panel="codes"]');
    await atlas.waitFor({ timeout: MINUTE });
    await waitFor(async () => (await drawnPixels(page, 'codebook-atlas')) > 100, MINUTE, 'atlas');
    assert.equal(await page.locator('[data-panel="em"]').count(), 0);
    assert.match((await page.getByTestId('status').textContent()) ?? '', /squared error/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the mixture fits by EM; its chart, responsibilities and components show', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#model=mixture&clusters=10&binarize=static`,
    );
    await fit(page, 2);
    const em = page.locator('[data-panel="em"]');
    await em.waitFor({ timeout: 2 * MINUTE });
    // A chart's text alternative is its aria-label: "title. summary".
    const summary = async () =>
      (await page.getByTestId('em-chart').getAttribute('aria-label')) ?? '';
    await waitFor(async () => /Test at iteration \d/.test(await summary()), MINUTE, 'EM summary');
    // The E-step gap is zero to display precision; the M-step gap is not negative.
    const m =
      /Test at iteration \d+: log p\(x\) (−?\d+\.\d); gap after the M-step (−?\d+\.\d), after the E-step (−?\d+\.\d)\./.exec(
        await summary(),
      );
    assert.ok(m, await summary());
    assert.ok(Number(m[2].replace('−', '-')) >= 0, `M-step gap ${m[2]}`);
    assert.equal(Number(m[3].replace('−', '-')), 0);
    await waitFor(
      async () =>
        /Responsibilities of .*component \d+ [01]\.\d{3}/.test(
          (await page.getByTestId('em-responsibilities').getAttribute('aria-label')) ?? '',
        ),
      MINUTE,
      'the responsibilities',
    );
    await waitFor(
      async () => (await drawnPixels(page, 'em-components')) > 100,
      MINUTE,
      'components',
    );
    await em.getByRole('combobox', { name: /^Digit/ }).selectOption('3');
    await waitFor(
      async () =>
        /probe 3/.test(
          (await page.getByTestId('em-responsibilities').getAttribute('aria-label')) ?? '',
        ),
      MINUTE,
      'digit 3',
    );
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the EM and K-means lesson opens on K-means', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#lesson=em-kmeans&step=2`,
    );
    const step = page.getByTestId('lesson-step');
    await step.waitFor({ timeout: MINUTE });
    assert.equal(await step.getAttribute('data-step'), '1');
    assert.match(new URL(page.url()).hash, /model=kmeans/);
    await page.getByTestId('setting-clusters').waitFor({ timeout: MINUTE });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
