// PCA in the lab on the WASM backend: one Step fits it (the fit hook: one iteration = one step,
// then the run pauses by itself), its comparison panel shows the eigen-digits; the linear AE
// trains and the same panel shows its error beside PCA's floor and the principal angles.
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

/** Canvas pixels drawn (not white) under the element with this test id. */
const drawn = (page, testId) =>
  page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const canvases =
      el instanceof HTMLCanvasElement ? [el] : [...(el?.querySelectorAll('canvas') ?? [])];
    let n = 0;
    for (const c of canvases) {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      for (let i = 0; i < data.length; i += 4) if (data[i] < 255) n++;
    }
    return n;
  }, testId);

test('PCA fits in one step and shows its eigen-digits; the linear AE is compared with it', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#model=pca&latent=2&closed=manifold,interp,traversal,samples,draw,latent`,
    );
    const stepButton = page.getByTestId('step');
    await waitFor(() => stepButton.isEnabled(), 3 * MINUTE, 'the PCA model to be ready');
    await stepButton.click();
    await waitFor(async () => (await stepOf(page)) === 1, 6 * MINUTE, 'the fit (step 1)');
    const panel = page.locator('[data-panel="pca"]');
    await panel.waitFor({ timeout: MINUTE });
    await waitFor(async () => (await drawn(page, 'pca-basis')) > 0, 2 * MINUTE, 'eigen-digits');
    const caption = await panel.textContent();
    assert.match(caption, /explained/);
    assert.equal(await page.getByTestId('ae-basis').count(), 0);

    // The linear AE with a Gaussian likelihood: the same panel, now with curves and its basis.
    await page.goto(
      `${server.url}/?backend=wasm#model=ae&latent=2&act=linear&likelihood=gaussian&hidden=32&closed=manifold,interp,traversal,samples,draw,latent`,
    );
    await page.reload();
    const toggle = page.getByTestId('train-toggle');
    await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the AE to be ready');
    await toggle.click();
    await waitFor(async () => (await stepOf(page)) >= 50, 3 * MINUTE, '50 steps');
    await toggle.click();
    await waitFor(async () => (await drawn(page, 'ae-basis')) > 0, 4 * MINUTE, 'AE directions');
    await page.getByTestId('pca-compare-angles').waitFor({ timeout: MINUTE });
    const summary = await page.locator('[data-panel="pca"]').textContent();
    assert.match(summary, /Principal angles at step \d+: [\d.]+, [\d.]+ degrees/);
    assert.match(summary, /PCA with 2 components reaches [\d.]+/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
