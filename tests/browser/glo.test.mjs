// GLO in the lab on the WASM backend, tiny: its lesson link opens on the model, the first step
// ticks off by training, the status line and chart report its terms, and the continuous-latent
// panels (latent space, manifold, samples from the fitted Gaussian, interpolation, traversal)
// show decoded digits. No assertion depends on speed: each wait is for a state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** Canvases inside the element with this test id, and how many of their pixels are dark. */
async function ink(page, testId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const canvases =
      el instanceof HTMLCanvasElement ? [el] : [...(el?.querySelectorAll('canvas') ?? [])];
    let dark = 0;
    for (const c of canvases) {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
    }
    return { canvases: canvases.length, dark };
  }, testId);
}

test('GLO trains in the lab from its lesson, and its panels show', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#lesson=glo&step=1&hidden=32&batch=32&inferSteps=5`,
    );
    await page.getByTestId('lesson-step').waitFor({ timeout: MINUTE });
    assert.match(new URL(page.url()).hash, /model=glo/);
    const toggle = page.getByTestId('train-toggle');
    await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
    await toggle.click();
    await waitFor(
      async () => (await page.getByTestId('lesson-step').getAttribute('data-done')) === 'true',
      6 * MINUTE,
      'step 1 to tick off by training',
    );
    await waitFor(
      async () => /test reconstruction [\d.]+ nats/.test((await text(page, 'status')) ?? ''),
      3 * MINUTE,
      'a test evaluation on the status line',
    );
    await toggle.click();
    await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'the pause');
    assert.ok(((await stepOf(page)) ?? 0) >= 200, 'trained 200 steps');

    // The chart's legend names both terms: the likelihood term and the squared error.
    const legend = page.getByRole('list', { name: /^Legend of Loss terms during training/ });
    await waitFor(
      async () => /squared error/.test((await legend.textContent()) ?? ''),
      MINUTE,
      'the squared error in the legend',
    );

    assert.deepEqual(errors, []);
    await page.close();

    // The full lab, where every panel of a continuous latent is open.
    const lab0 = await openPage(
      context,
      `${server.url}/?backend=wasm#model=glo&hidden=32&batch=32&inferSteps=5`,
    );
    const labPage = lab0.page;
    const lab = labPage.getByTestId('train-toggle');
    await waitFor(() => lab.isEnabled(), 3 * MINUTE, 'the model to be ready again');
    await lab.click();
    await waitFor(async () => ((await stepOf(labPage)) ?? 0) >= 100, 6 * MINUTE, 'step 100');
    await lab.click();
    await waitFor(async () => (await lab.textContent()) === 'Train', MINUTE, 'the pause');
    for (const id of ['manifold', 'samples', 'interpolation', 'traversal']) {
      const s = await waitFor(
        async () => {
          const st = await ink(labPage, id);
          return st.canvases > 0 && st.dark > 50 ? st : null;
        },
        2 * MINUTE,
        `${id} to show decoded digits`,
      );
      assert.ok(s.dark > 50, `${id} shows ink`);
    }
    assert.equal(await labPage.locator('[data-panel="latent"]').count(), 1, 'the latent scatter');
    assert.equal(await labPage.locator('[data-panel="collapse"]').count(), 0, 'no KL panels');
    assert.deepEqual(lab0.errors, []);
  } finally {
    await close();
  }
});
