// The lecture panels, each driven for the model it belongs to on the WASM backend: they show real
// decoded content that changes with training, and their numbers agree with the status line.
// Screenshots of each panel go to docs/panels/ for the README. No assertion depends on speed.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, testElbo, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
  mkdirSync('docs/panels', { recursive: true });
});
after(async () => {
  await server?.close();
});

/** Dark pixels and a content hash of the canvas with this test id (or inside this element). */
async function canvasStats(page, testId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const canvases =
      el instanceof HTMLCanvasElement ? [el] : [...(el?.querySelectorAll('canvas') ?? [])];
    let dark = 0;
    let drawn = 0;
    let hash = 0;
    for (const c of canvases) {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] < 128) dark++;
        if (data[i] < 255) drawn++;
        hash = (hash * 31 + data[i]) | 0;
      }
    }
    return {
      canvases: canvases.length,
      dark,
      drawn,
      hash,
      count: Number(el?.getAttribute('data-count') ?? NaN),
    };
  }, testId);
}

async function ready(page) {
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the model to be ready');
  await waitFor(() => testElbo(page).then((v) => v !== null || true), MINUTE, 'the status line');
  return toggle;
}

/** Trains until the status line's step reaches `steps`, then pauses and waits for the final evaluation. */
async function trainTo(page, toggle, steps) {
  await toggle.click();
  await waitFor(async () => ((await stepOf(page)) ?? 0) >= steps, 6 * MINUTE, `step ${steps}`);
  await toggle.click();
  await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'training to pause');
}

async function shot(page, testId, name) {
  const section = page.locator('section.panel', { has: page.getByTestId(testId) }).first();
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: `docs/panels/${name}.png` });
}

test(
  'VAE panels: manifold, interpolation, traversal, samples, collapse, math, draw',
  { timeout: 12 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/?backend=wasm`);
      const toggle = await ready(page);
      assert.equal(await page.getByTestId('model-select').inputValue(), 'vae');

      const manifold0 = await waitFor(
        async () => {
          const s = await canvasStats(page, 'manifold');
          return s.count > 0 && s.drawn > 0 ? s : null;
        },
        MINUTE,
        'the manifold of the untrained model',
      );
      const n = Math.round(Math.sqrt(manifold0.count));
      assert.equal(
        n * n,
        manifold0.count,
        `the manifold is an n×n grid (${manifold0.count} tiles)`,
      );

      await trainTo(page, toggle, 150);
      const manifold1 = await waitFor(
        async () => {
          const s = await canvasStats(page, 'manifold');
          return s.hash !== manifold0.hash ? s : null;
        },
        MINUTE,
        'the manifold to change after training',
      );
      assert.equal(manifold1.count, manifold0.count);
      assert.ok(manifold1.dark > 0, 'decoded tiles have ink');

      for (const id of ['interpolation', 'traversal', 'samples']) {
        const s = await waitFor(
          async () => {
            const st = await canvasStats(page, id);
            return st.canvases > 0 && st.dark > 50 ? st : null;
          },
          MINUTE,
          `${id} to show decoded digits`,
        );
        assert.ok(s.dark > 50, `${id} shows ink`);
      }
      assert.equal((await canvasStats(page, 'samples')).count, 32, '32 samples');

      // The loss chart's legend (HTML toggle buttons): an entry hides its trace and, pressed
      // again from the keyboard, shows it.
      const legend = page.getByRole('list', { name: /^Legend of Loss terms during training/ });
      const entry = legend.getByRole('button').first();
      const entryName = (await entry.textContent()) ?? '';
      assert.match(entryName, /^train /, 'the first entry is a train curve');
      // What the chart shows: its text alternative names hidden traces, its CSV has only the shown.
      const chart = page.getByTestId('elbo-chart');
      const hiddenSaid = async () =>
        ((await chart.getAttribute('aria-label')) ?? '').includes(`Hidden: ${entryName}.`);
      const csvColumns = async () => {
        const csv = page.getByRole('button', { name: /^CSV: download the shown curves of Loss/ });
        const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
        const head = readFileSync(await download.path(), 'utf8').split('\n')[0] ?? '';
        return head.split(',');
      };
      assert.ok((await csvColumns()).includes(entryName), 'the CSV has every trace at first');
      await entry.click();
      assert.equal(await entry.getAttribute('aria-pressed'), 'false');
      await waitFor(hiddenSaid, 10_000, 'the trace hidden');
      assert.ok(!(await csvColumns()).includes(entryName), 'a hidden trace is not in the CSV');
      await entry.focus();
      await page.keyboard.press('Space');
      assert.equal(await entry.getAttribute('aria-pressed'), 'true');
      await waitFor(async () => !(await hiddenSaid()), 10_000, 'the trace shown again');
      assert.ok((await csvColumns()).includes(entryName), 'shown again: back in the CSV');

      // Posterior collapse: KL per dimension and the active-unit count (of 2 dims).
      const active = await waitFor(
        async () => {
          const t = (await text(page, 'active-units'))?.trim();
          return t && /^\d+$/.test(t) ? Number(t) : null;
        },
        MINUTE,
        'the active-unit count',
      );
      assert.ok(active >= 0 && active <= 2, `active units ${active} of 2`);
      const klSummary = await page.getByTestId('kl-per-dim').getAttribute('aria-label');
      assert.match(klSummary ?? '', /nats/);

      // The math panel's numbers are the status line's.
      const status = await testElbo(page);
      const math = await waitFor(
        async () => {
          const label = (await page.getByTestId('math').getAttribute('aria-label')) ?? '';
          const m = /ELBO = ([\d.]+) = ([\d.]+) \(reconstruction\) \+ ([\d.]+) \(KL\)/.exec(label);
          return m ? m.slice(1).map(Number) : null;
        },
        MINUTE,
        'live numbers in the math panel',
      );
      assert.equal(math[0], status, 'math −ELBO equals the status line');
      assert.ok(Math.abs(math[1] + math[2] - math[0]) <= 0.11, 'reconstruction + KL = −ELBO');

      // Draw a digit: a vertical stroke ("1"); its point appears as text and in the scatter.
      const pad = page.getByTestId('draw-canvas');
      await pad.scrollIntoViewIfNeeded();
      const box = await pad.boundingBox();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++)
        await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.05 * i));
      await page.mouse.up();
      const drawn = await waitFor(
        async () => {
          const t = (await text(page, 'drawn-point')) ?? '';
          return /\([−-]?[\d.]+, [−-]?[\d.]+\)/.test(t) ? t : null;
        },
        MINUTE,
        'the drawn digit to be encoded',
      );
      const star = await waitFor(
        () =>
          page.evaluate(() => {
            const gd = /** @type {any} */ (
              document.querySelector('[data-testid="latent-scatter"]')
            );
            return gd?.data?.some((t) => t.name === 'your digit') ?? false;
          }),
        MINUTE,
        'the drawn digit in the scatter',
      );
      assert.ok(star, `drawn digit shown in the scatter (${drawn})`);

      // Click in the scatter: the point is decoded under it.
      const scatter = page.getByTestId('latent-scatter');
      await scatter.scrollIntoViewIfNeeded();
      const sb = await scatter.boundingBox();
      await page.mouse.click(sb.x + sb.width * 0.45, sb.y + sb.height * 0.45);
      await waitFor(
        async () => /Decoded at/.test((await text(page, 'scatter-preview')) ?? ''),
        MINUTE,
        'a decoded click',
      );

      for (const [id, name] of [
        ['manifold', 'manifold'],
        ['interpolation', 'interpolation'],
        ['traversal', 'traversal'],
        ['samples', 'samples'],
        ['kl-per-dim', 'posterior-collapse'],
        ['draw-canvas', 'draw'],
        ['latent-scatter', 'latent-space'],
      ])
        await shot(page, id, name);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test(
  'VQ-VAE panels: codebook usage, perplexity, code map, atlas, quantised interpolation',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=wasm&model=vqvae&codes=16&channels=8`,
      );
      const toggle = await ready(page);
      await trainTo(page, toggle, 40);
      const perplexity = await waitFor(
        async () => {
          const t = (await text(page, 'perplexity'))?.trim();
          return t && /^[\d.]+$/.test(t) ? Number(t) : null;
        },
        MINUTE,
        'the perplexity',
      );
      assert.ok(perplexity >= 1 && perplexity <= 16, `perplexity ${perplexity} within [1, K]`);
      const atlas = await waitFor(
        async () => {
          const s = await canvasStats(page, 'codebook-atlas');
          return s.count === 16 ? s : null;
        },
        MINUTE,
        'an atlas of all 16 codes',
      );
      assert.ok(atlas.canvases === 1);
      const map = await waitFor(
        async () => {
          const s = await canvasStats(page, 'code-map');
          return s.count > 0 && s.canvases > 0 ? s : null;
        },
        MINUTE,
        'the code maps',
      );
      assert.ok(map.canvases >= 1);
      const usage = await page.getByTestId('codebook-usage').getAttribute('aria-label');
      assert.match(usage ?? '', /of 16 codes used/);
      const interp = await waitFor(
        async () => {
          const t = (await page.getByTestId('interpolation').textContent()) ?? '';
          return /quantis/i.test(t) ? t : null;
        },
        MINUTE,
        'the z_e and quantised interpolation rows',
      );
      assert.ok(interp);
      for (const [id, name] of [
        ['codebook-usage', 'codebook-usage'],
        ['codebook-atlas', 'codebook-atlas'],
        ['interpolation', 'vq-interpolation'],
      ])
        await shot(page, id, name);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test('dVAE panels: the Gumbel table, τ, schedules', { timeout: 10 * MINUTE }, async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}/?backend=wasm&model=dvae&codes=16&channels=8`,
    );
    const toggle = await ready(page);
    await trainTo(page, toggle, 20);
    const rows = await waitFor(
      async () => {
        const n = await page.getByTestId('gumbel-table').locator('tbody tr').count();
        return n > 0 ? n : null;
      },
      MINUTE,
      'the Gumbel table',
    );
    assert.ok(rows >= 1 && rows <= 16);
    const probs = await page
      .getByTestId('gumbel-table')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[0]?.textContent)));
    assert.ok(
      probs.every((p, i) => i === 0 || p <= probs[i - 1] + 1e-9),
      `π sorted: ${probs}`,
    );
    const tau = Number((await text(page, 'tau'))?.trim());
    const statusTau = /τ ([\d.]+)/.exec((await text(page, 'status')) ?? '');
    assert.ok(statusTau, 'the status line shows τ');
    assert.equal(tau, Number(statusTau[1]), 'the τ readout equals the status line');
    await shot(page, 'gumbel-table', 'gumbel');
    assert.deepEqual(errors, [], 'no page or console errors');
  } finally {
    await browser.close();
  }
});
