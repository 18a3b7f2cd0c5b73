// The prior over codes in the lab on the WASM backend, from the shipped VQ-VAE: the tokens panel
// prices a grid under the uniform prior, its button starts a prior with that VQ-VAE frozen inside
// it (the prior's reconstruction term is the VQ-VAE's own, to display precision), a few steps
// (the first encodes the 60,000 training images once) fill the bound table, the generate panel
// draws grids token by token for a chosen digit and shows its attention, and leaving the trained
// prior asks first. Then the shipped prior opens from its link and draws 7s. The tests share the
// page and run in order; no assertion depends on speed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const manifest = JSON.parse(readFileSync('dist/pretrained/manifest.json', 'utf8'));
const vqvae = manifest.checkpoints.find((c) => c.id === 'vqvae');
/** 49 positions, 64 codes: the uniform prior's cost of one grid, in nats. */
const UNIFORM = 49 * Math.log(64);

let server;
let browser;
/** The one page the tests drive, in order. */
let page;
let errors;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Tiles drawn (data-count), non-white pixels and a content hash of the canvas with this test id. */
function canvasStats(testId) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!(c instanceof HTMLCanvasElement)) return { count: 0, drawn: 0, hash: 0, label: '' };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let drawn = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 250) drawn++;
      hash = (hash * 31 + data[i]) | 0;
    }
    const label = c.getAttribute('aria-label') ?? '';
    return { count: Number(c.getAttribute('data-count')), drawn, hash, label };
  }, testId);
}

const notices = async () => (await page.getByTestId('notice').allTextContents()).join(' ');

/** The status line's test term, e.g. testTerm('reconstruction'), or null before an evaluation. */
async function testTerm(label) {
  const m = new RegExp(`test ${label} ([\\d.]+) nats`).exec((await text(page, 'status')) ?? '');
  return m ? Number(m[1]) : null;
}

/** The bound table: its caption's step and reconstruction, and each row's three numbers. */
async function boundTable() {
  const table = page.getByTestId('prior-bound');
  const caption = (await table.locator('caption').textContent()) ?? '';
  const rows = {};
  for (const tr of await table.locator('tbody tr').all()) {
    const name = (await tr.locator('th').textContent()) ?? '';
    rows[name.split(/[ ,]/)[0]] = (await tr.locator('td').allTextContents()).map(Number);
  }
  const step = /at step (\d+)/.exec(caption);
  const recon = /reconstruction ([\d.]+)/.exec(caption);
  return {
    caption,
    step: step ? Number(step[1]) : null,
    recon: recon ? Number(recon[1]) : NaN,
    rows,
  };
}

/** Waits for the bound table of step `step` with its numbers filled in. */
const boundAt = (step, ms) =>
  waitFor(
    async () => {
      const b = await boundTable().catch(() => null);
      return b &&
        b.step === step &&
        Number.isFinite(b.recon) &&
        Number.isFinite(b.rows.learned?.[0])
        ? b
        : null;
    },
    ms,
    `the bound table at step ${step}`,
  );

/** Clicks Step once and waits for the step and its evaluation (the first step encodes first). */
async function stepOnce(ms) {
  const before = (await stepOf(page)) ?? 0;
  const step = page.getByTestId('step');
  await waitFor(() => step.isEnabled(), 2 * MINUTE, 'the Step button');
  await step.click();
  await waitFor(async () => (await stepOf(page)) === before + 1, ms, `step ${before + 1}`);
  return boundAt(before + 1, ms);
}

/** Waits for a finished grid of `count` tiles (the frames have played to the last token). */
const finished = (testId, count, also = () => true) =>
  waitFor(
    async () => {
      const s = await canvasStats(testId);
      return s.count === count && s.drawn > 0 && /49 of 49 tokens drawn/.test(s.label) && also(s)
        ? s
        : null;
    },
    2 * MINUTE,
    `${count} finished grids in ${testId}`,
  );

test(
  'the tokens panel starts a prior with the shipped VQ-VAE frozen inside it',
  { timeout: 8 * MINUTE },
  async () => {
    ({ page, errors } = await openPage(
      browser.context,
      `${server.url}/#pretrained=vqvae&backend=wasm`,
    ));
    const toggle = page.getByTestId('train-toggle');
    await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the worker to be ready');
    await waitFor(async () => (await stepOf(page)) === vqvae.step, 2 * MINUTE, 'the VQ-VAE');
    const vqRecon = await waitFor(
      () => testTerm('reconstruction'),
      2 * MINUTE,
      "the VQ-VAE's evaluation",
    );
    assert.ok(
      Math.abs(vqRecon - vqvae.metric.probe.stored) <= 0.3,
      `the VQ-VAE's test reconstruction ${vqRecon} is the manifest's ${vqvae.metric.probe.stored}`,
    );

    const tokens = page.locator('section[data-panel="tokens"]');
    await tokens.waitFor({ timeout: MINUTE });
    assert.match((await tokens.textContent()) ?? '', /49·ln 64 = 203\.8 nats/);
    assert.equal(UNIFORM.toFixed(1), '203.8');
    assert.equal(await page.locator('section[data-panel="generate"]').count(), 0);

    await page.getByTestId('start-prior').click();
    await waitFor(
      async () => (await page.getByTestId('model-select').inputValue()) === 'prior',
      MINUTE,
      'the model control to show the prior',
    );
    assert.match(page.url(), /model=prior/);
    await waitFor(
      async () =>
        /The prior models the codes of the VQ-VAE as it was at step 93, now frozen\./.test(
          await notices(),
        ),
      2 * MINUTE,
      "the event of the tokenizer's hand-over",
    );
    assert.doesNotMatch(await notices(), /untrained/);
    // The step-0 evaluation: the prior's reconstruction term is its frozen tokenizer's, on the
    // same 2,000 probe digits, so it is the VQ-VAE's number (an untrained one scores ~540 nats).
    const b = await boundAt(0, 3 * MINUTE);
    console.log(`# step 0: VQ-VAE test recon ${vqRecon}; the prior's bound table: ${b.caption}`);
    assert.ok(
      Math.abs(b.recon - vqRecon) <= 0.15,
      `the prior's reconstruction ${b.recon} is the VQ-VAE's ${vqRecon}`,
    );
    assert.equal(b.rows.uniform[0], 203.8, 'the uniform prior: 49 ln 64');
    assert.equal(await page.locator('section[data-panel="tokens"]').count(), 0);
    assert.deepEqual(errors, [], 'no page or console errors');
  },
);

test(
  'a few steps: the first encodes the training set once; the bound table adds up',
  { timeout: 15 * MINUTE },
  async () => {
    const started = Date.now();
    await stepOnce(12 * MINUTE);
    const encodedMs = Date.now() - started;
    const n = await notices();
    assert.match(n, /encoded the 60,000 training images into 49 codes each/);
    const b = await stepOnce(3 * MINUTE);
    console.log(
      `# the first step (encoding 60,000 images) in ${encodedMs} ms; at step 2: ${b.caption}`,
    );
    assert.equal(b.step, 2);
    for (const [name, [nll, perToken, bound]] of Object.entries(b.rows)) {
      if (name === 'VAE') continue;
      assert.ok([nll, perToken, bound].every(Number.isFinite), `${name}: finite numbers`);
      // Each cell is rounded to 0.1 on its own: the sum of two rounded numbers is within 0.1.
      assert.ok(
        Math.abs(bound - (b.recon + nll)) <= 0.11,
        `${name}: −ELBO ${bound} = recon ${b.recon} + −log p ${nll}`,
      );
      assert.ok(Math.abs(perToken - nll / 49) <= 0.06, `${name}: per token ${perToken}`);
    }
    assert.equal(b.rows.uniform[0], 203.8);
    assert.ok(b.rows.learned[0] < b.rows.uniform[0], 'the learned prior beats the uniform one');
    assert.ok(Math.abs(b.recon - vqvae.metric.probe.stored) <= 0.3, 'the tokenizer stays frozen');
    assert.match((await text(page, 'status')) ?? '', /test −log p\(codes\) [\d.]+ nats/);
    assert.deepEqual(errors, [], 'no page or console errors');
  },
);

test(
  'the generate panel draws grids token by token for a chosen digit, and its attention',
  { timeout: 6 * MINUTE },
  async () => {
    const first = await finished('prior-samples', 8);
    assert.match(first.label, /for the digit 7/, 'a conditional prior starts on a 7');
    const uniform = await waitFor(
      async () => {
        const s = await canvasStats('prior-uniform');
        return s.count === 8 && s.drawn > 0 ? s : null;
      },
      MINUTE,
      'the uniform codes decoded',
    );
    assert.ok(uniform.drawn > 100, `uniform codes decode to ink (${uniform.drawn} pixels)`);

    await page.getByTestId('prior-generate').click();
    const again = await finished('prior-samples', 8, (s) => /seed 2\b/.test(s.label));
    assert.notEqual(again.hash, first.hash, 'Generate draws new grids');

    await page.getByTestId('prior-class').selectOption('3');
    const three = await finished('prior-samples', 8, (s) => /for the digit 3/.test(s.label));
    assert.ok(three.drawn > 100, `the 3s have ink (${three.drawn} pixels)`);

    const attention = await waitFor(
      async () => {
        const s = await canvasStats('prior-attention');
        return s.count > 0 && /class token/.test(s.label) ? s : null;
      },
      2 * MINUTE,
      'the attention maps',
    );
    assert.match(attention.label, /layer 1 head 1: \d+% on the class token/);
    assert.deepEqual(errors, [], 'no page or console errors');
  },
);

test(
  'leaving the trained prior asks first: dismissed, the prior stays; accepted, the VAE starts',
  { timeout: 5 * MINUTE },
  async () => {
    const select = page.getByTestId('model-select');
    const step = await stepOf(page);
    const asked = [];
    const answer = (accept) =>
      page.once('dialog', (d) => {
        asked.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });

    answer(false);
    await select.selectOption('vae');
    await waitFor(() => asked.length === 1, MINUTE, 'the confirm dialog');
    assert.match(asked[0], /Start a new .*\? The prior trained for 2 steps/);
    await waitFor(async () => (await select.inputValue()) === 'prior', MINUTE, 'the control back');
    assert.match(page.url(), /model=prior/);
    assert.equal(await stepOf(page), step, 'the prior is still there');
    assert.equal(await page.locator('section[data-panel="generate"]').count(), 1);

    answer(true);
    await select.selectOption('vae');
    await waitFor(() => asked.length === 2, MINUTE, 'the confirm dialog again');
    await waitFor(async () => (await stepOf(page)) === 0, 2 * MINUTE, 'the fresh VAE');
    await waitFor(
      async () => /test −ELBO/.test((await text(page, 'status')) ?? ''),
      2 * MINUTE,
      "the VAE's status line",
    );
    assert.equal(await select.inputValue(), 'vae');
    assert.equal(await page.locator('section[data-panel="generate"]').count(), 0);
    assert.deepEqual(errors, [], 'no page or console errors');
  },
);

test(
  'the shipped prior opens from its link and draws 7s token by token',
  { timeout: 6 * MINUTE },
  async () => {
    const shipped = manifest.checkpoints.find((c) => c.id === 'prior');
    assert.ok(shipped, 'the manifest lists the shipped prior');
    const opened = await openPage(browser.context, `${server.url}/#pretrained=prior&backend=wasm`);
    page = opened.page;
    try {
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the worker to be ready');
      await waitFor(async () => (await stepOf(page)) === shipped.step, 2 * MINUTE, 'the prior');
      assert.equal(await page.getByTestId('model-select').inputValue(), 'prior');
      assert.match(await notices(), /Loaded the trained model prior/);
      assert.doesNotMatch(await notices(), /untrained/);
      await page.getByTestId('prior-class').selectOption('7');
      const sevens = await finished('prior-samples', 8, (s) => /for the digit 7/.test(s.label));
      assert.ok(sevens.drawn > 100, `the 7s have ink (${sevens.drawn} pixels)`);
      const b = await boundAt(shipped.step, 3 * MINUTE);
      console.log(`# the shipped prior: ${b.caption}`);
      assert.ok(Math.abs(b.recon - vqvae.metric.probe.stored) <= 0.3, 'its tokenizer: the VQ-VAE');
      // The unigram baseline comes from the training codes' counts stored in the checkpoint (tens
      // of thousands: beyond float16, they must be stored in float32 to load finite).
      assert.ok(Number.isFinite(b.rows.unigram[0]), `a finite unigram baseline: ${b.caption}`);
      assert.ok(b.rows.learned[0] < b.rows.unigram[0], 'the shipped prior beats the unigram one');
      assert.deepEqual(opened.errors, [], 'no page or console errors');
    } finally {
      await page.close();
    }
  },
);
