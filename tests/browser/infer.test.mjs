// Inference by optimisation, restoration and editing in the lab (WASM backend, a tiny 2-D
// autoencoder): inference on a probe digit shows a falling loss and images, restoration with a
// quadrant erased shows the damaged input, the completion and the original, and the editing
// slider changes the edited digit. No assertion depends on speed.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const OTHERS = [
  'elbo',
  'latent',
  'codebook-view',
  'manifold',
  'interp',
  'traversal',
  'samples',
  'draw',
  'collapse',
  'codebook',
  'codes',
  'gumbel',
  'recon',
  'math',
].join(',');

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** Pixels drawn (not white) and a content hash of the canvas with this test id. */
async function canvasStats(page, testId) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!(c instanceof HTMLCanvasElement)) return null;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let drawn = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 250) drawn++;
      hash = (hash * 31 + data[i]) | 0;
    }
    return { drawn, hash };
  }, testId);
}

/** A screenshot of the panel holding this test id, for the README (docs/panels/). */
async function shot(page, testId, name) {
  mkdirSync('docs/panels', { recursive: true });
  const section = page.locator('section.panel', { has: page.getByTestId(testId) }).first();
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: `docs/panels/${name}.png` });
}

/** "Loss (…): A at step 0, B at step N" from the chart's text alternative. */
async function lossSummary(page) {
  const m = /: ([\d.]+) at step 0, ([\d.]+) at step (\d+)/.exec(
    (await text(page, 'infer-loss-summary')) ?? '',
  );
  return m ? { first: Number(m[1]), last: Number(m[2]), step: Number(m[3]) } : null;
}

test(
  'inference, restoration and editing on a small autoencoder',
  { timeout: 8 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=wasm#model=ae&latent=2&hidden=32&closed=${OTHERS}`,
      );
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the model to be ready');
      await toggle.click();
      await waitFor(async () => ((await stepOf(page)) ?? 0) >= 100, 4 * MINUTE, 'step 100');
      await toggle.click();
      await waitFor(
        async () => (await toggle.textContent()) === 'Train',
        MINUTE,
        'training to pause',
      );

      // Inference by optimisation on probe digit 0, nothing erased.
      const panel = page.getByTestId('infer-panel');
      await waitFor(() => panel.isVisible(), MINUTE, 'the inference panel to load');
      await panel.getByLabel('Steps').selectOption('100');
      await page.getByTestId('infer-run').click();
      const done = await waitFor(
        async () => {
          const s = await lossSummary(page);
          return s && s.step >= 99 ? s : null;
        },
        2 * MINUTE,
        '100 steps of inference',
      );
      assert.ok(done.last < done.first, `the loss falls (${done.first} → ${done.last})`);
      const recon = await canvasStats(page, 'infer-recon');
      assert.ok(recon && recon.drawn > 20, 'the found code decodes to an image');
      assert.ok((await canvasStats(page, 'infer-encoder')).drawn > 20, "the encoder's image shows");
      assert.ok(await page.getByTestId('infer-path').isVisible(), 'the path across the 2-D plane');
      assert.match((await text(page, 'infer-summary')) ?? '', /step 100/);

      // Restoration with the top-left quadrant erased.
      await page.getByTestId('infer-mask').selectOption('q0');
      await page.getByTestId('infer-run').click();
      await waitFor(
        async () => /erased pixels/.test((await text(page, 'infer-summary')) ?? ''),
        2 * MINUTE,
        'the restoration to report the error on the erased pixels',
      );
      const restored = await waitFor(
        async () => {
          const s = await lossSummary(page);
          return s && s.step >= 99 ? s : null;
        },
        2 * MINUTE,
        '100 steps of restoration',
      );
      assert.ok(restored.last < restored.first, 'the masked loss falls');
      assert.match((await text(page, 'infer-loss-summary')) ?? '', /588 visible pixels of 784/);
      for (const id of ['infer-input', 'infer-recon', 'infer-original'])
        assert.ok((await canvasStats(page, id)).drawn > 0, `${id} shows an image`);
      await shot(page, 'infer-panel', 'inference');
      const input = await canvasStats(page, 'infer-input');
      const original = await canvasStats(page, 'infer-original');
      assert.notEqual(input.hash, original.hash, 'the damaged input differs from the original');

      // Editing: the slider moves the digit along the direction.
      const before = await waitFor(
        async () => {
          const s = await canvasStats(page, 'edit-single');
          return s && s.drawn > 0 ? s : null;
        },
        MINUTE,
        'the edited digit',
      );
      assert.match((await text(page, 'edit-summary')) ?? '', /‖d‖ = [\d.]+/);
      const slider = page.getByTestId('edit-slider');
      await slider.focus();
      for (let i = 0; i < 6; i++) await slider.press('ArrowRight');
      await waitFor(
        async () => (await canvasStats(page, 'edit-single')).hash !== before.hash,
        MINUTE,
        'the edited digit to change with the slider',
      );
      await shot(page, 'edit-panel', 'editing');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'the lesson opens at its search step, and running inference ticks it',
  { timeout: 5 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=wasm#lesson=inference-restoration&step=2`,
      );
      const step = page.getByTestId('lesson-step');
      await step.waitFor({ timeout: MINUTE });
      assert.equal(await step.getAttribute('data-step'), '1');
      assert.equal(await step.getAttribute('data-done'), 'false');
      const run = page.getByTestId('infer-run');
      await waitFor(() => run.isVisible(), 2 * MINUTE, 'the inference panel of the lesson');
      await waitFor(
        () =>
          page.evaluate(
            () => document.querySelector('.lesson-highlight')?.getAttribute('data-testid') ?? null,
          ),
        MINUTE,
        'the Run button to be highlighted',
      ).then((id) => assert.equal(id, 'infer-run'));
      await page.getByTestId('train-toggle').waitFor();
      await waitFor(() => page.getByTestId('train-toggle').isEnabled(), 2 * MINUTE, 'the model');
      await run.click();
      await waitFor(
        async () => (await step.getAttribute('data-done')) === 'true',
        MINUTE,
        'the step to tick off',
      );
      await waitFor(async () => (await lossSummary(page)) !== null, 2 * MINUTE, 'a loss curve');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);
