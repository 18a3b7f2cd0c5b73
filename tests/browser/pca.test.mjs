// PCA in the lab on the WASM backend: one Step fits it (the fit hook: one iteration = one step),
// and its comparison panel shows the eigen-digits and the explained variance.
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

test('PCA fits in one step and shows its eigen-digits and explained variance', async () => {
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

    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
