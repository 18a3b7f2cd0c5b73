// A lesson link on the WASM backend: it opens at its step with the named element highlighted,
// two steps tick off by acting as their tasks say, the link follows the steps, progress is kept,
// presenter mode walks the steps by keyboard, and ? opens the shortcuts dialog. No assertion
// depends on speed: each wait is for a state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

const stepAttr = (page, name) => page.getByTestId('lesson-step').getAttribute(name);

/** The data-testid (or panel id) of the highlighted element, or null. */
const highlighted = (page) =>
  page.evaluate(() => {
    const all = [...document.querySelectorAll('.lesson-highlight')];
    return all.length === 1
      ? (all[0].getAttribute('data-testid') ?? all[0].getAttribute('data-panel'))
      : null;
  });

async function waitDone(page, what) {
  await waitFor(async () => (await stepAttr(page, 'data-done')) === 'true', 6 * MINUTE, what);
}

test('a lesson link: highlight, two steps done by acting, presenter mode, shortcuts', async () => {
  const { context, close } = await launch();
  try {
    const { page, errors } = await openPage(
      context,
      `${server.url}/?backend=wasm#lesson=vae-elbo&step=1`,
    );
    const lessonStep = page.getByTestId('lesson-step');
    await lessonStep.waitFor({ timeout: MINUTE });
    assert.equal(await stepAttr(page, 'data-step'), '0');
    assert.equal(await stepAttr(page, 'data-done'), 'false');
    await page.getByTestId('start-pretrained').waitFor();
    await page.getByTestId('train-scratch').waitFor();

    // Step 1 highlights the Train button and asks for training.
    await waitFor(async () => (await highlighted(page)) === 'train-toggle', MINUTE, 'highlight');
    const toggle = page.getByTestId('train-toggle');
    await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
    await toggle.click();
    await waitDone(page, 'step 1 to tick off by training');
    await toggle.click();
    await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'the pause');

    // Step 2: the link follows; Step pressed until the step ticks off.
    await page.getByTestId('lesson-next').click();
    await waitFor(async () => (await stepAttr(page, 'data-step')) === '1', MINUTE, 'step 2');
    assert.match(new URL(page.url()).hash, /[#&]lesson=vae-elbo&step=2(&|$)/);
    assert.equal(await stepAttr(page, 'data-done'), 'false');
    await waitFor(async () => (await highlighted(page)) === 'step', MINUTE, 'step highlight');
    const stepButton = page.getByTestId('step');
    for (let i = 0; i < 20 && (await stepAttr(page, 'data-done')) !== 'true'; i++) {
      await waitFor(() => stepButton.isEnabled(), MINUTE, 'the Step button');
      await stepButton.click();
    }
    await waitDone(page, 'step 2 to tick off by pressing Step');

    // Progress is kept in the browser.
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('latent-lab.lesson-progress.v1') ?? '{}'),
    );
    assert.deepEqual(stored['vae-elbo'].done.slice(0, 2), [0, 1]);

    // Presenter mode: P, then the arrows walk the steps; Escape leaves.
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await waitFor(
      () => page.evaluate(() => document.documentElement.dataset.mode === 'present'),
      MINUTE,
      'presenter mode',
    );
    assert.equal(await page.locator('.device-benchmark').isHidden(), true);
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await stepAttr(page, 'data-step')) === '2', MINUTE, 'step 3');
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await stepAttr(page, 'data-step')) === '1', MINUTE, 'back');
    assert.match(new URL(page.url()).hash, /present=1/);
    await page.keyboard.press('Escape');
    await waitFor(
      () => page.evaluate(() => document.documentElement.dataset.mode === undefined),
      MINUTE,
      'presenter mode to end',
    );

    // ? lists the shortcuts in a dialog; Escape closes it and focus comes back.
    await page.locator('h1').click();
    await page.getByTestId('lesson-prev').focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ timeout: MINUTE });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: MINUTE });
    await waitFor(
      () =>
        page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'lesson-prev'),
      MINUTE,
      'focus back on the element it left',
    );

    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
