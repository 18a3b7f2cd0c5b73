// Accessibility, measured with axe-core: the first screen (and its drawer), presenter mode
// (#present), every lecture panel alone (#embed=<id>) and a 390-px-wide phone find no serious or
// critical violation; the phone does not scroll sideways. Also takes the README's pictures of
// the first screen and of presenter mode (docs/first-screen.png, docs/presenter.png).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { launch, openDrawer, openPage, startServer, stepOf, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const require = createRequire(import.meta.url);
/** axe-core's browser build (a devDependency), run in the page as the page's own code would be. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The model that shows each panel (src/contracts/panels.ts's ids; the registry says which). */
const PANEL_MODEL = {
  elbo: 'vae',
  latent: 'vae',
  'codebook-view': 'vqvae',
  manifold: 'vae',
  interp: 'vae',
  traversal: 'vae',
  samples: 'vae',
  draw: 'vae',
  collapse: 'vae',
  codebook: 'vqvae',
  codes: 'vqvae',
  gumbel: 'dvae',
  recon: 'vae',
  math: 'vae',
};

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

/** The serious and critical violations axe finds on the page, one line each. */
async function audit(page) {
  // page.evaluate runs outside the page's Content-Security-Policy (which allows no inline script).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await /** @type {any} */ (window).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.targets.join(' | ')}`);
}

/** Opens `hash` and waits for a ready run with one step done and its charts drawn. */
async function openReady(hash, viewport = { width: 1280, height: 800 }) {
  const { page, errors } = await openPage(browser.context, 'about:blank');
  await page.setViewportSize(viewport);
  await page.goto(`${server.url}/${hash}`);
  return { page, errors };
}

async function stepOnce(page) {
  const step = page.getByTestId('step');
  await waitFor(() => step.isEnabled(), 3 * MINUTE, 'the Step button');
  await step.click();
  await waitFor(async () => (await stepOf(page)) === 1, 3 * MINUTE, 'step 1');
  await waitFor(() => page.locator('.js-plotly-plot').count(), MINUTE, 'a chart');
  await page.waitForTimeout(1500); // not a timing assertion: lets the charts finish drawing
}

test(
  'the first screen and its drawer: no serious or critical violations',
  { timeout: 6 * MINUTE },
  async () => {
    const { page, errors } = await openReady('#backend=wasm');
    try {
      await stepOnce(page);
      assert.deepEqual(await audit(page), [], 'the first screen');
      // The run controls and the first panel are above the fold of a 1280×800 screen.
      const top = await page.locator('[data-panel]').first().boundingBox();
      assert.ok(top && top.y < 800, `the first panel starts above the fold (y = ${top?.y})`);
      await page.screenshot({ path: 'docs/first-screen.png' });

      const toggle = page.getByTestId('drawer-toggle');
      await openDrawer(page);
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.ok(
        await page.getByTestId('dataset-select').isVisible(),
        'the drawer holds the dataset',
      );
      assert.deepEqual(await audit(page), [], 'the first screen with the drawer open');
      // Escape closes the drawer and gives the focus back to its button.
      await page.getByTestId('drawer').press('Escape');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'drawer-toggle',
      );
      // The dark theme (prefers-color-scheme: dark) keeps its contrast.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(1500); // the charts redraw in the dark theme's colours
      assert.deepEqual(await audit(page), [], 'the first screen in the dark theme');
      assert.deepEqual(
        errors.filter((e) => e.startsWith('pageerror')),
        [],
      );
    } finally {
      await page.close();
    }
  },
);

test(
  'interpolation opens on two different digits and a grid of four',
  { timeout: 4 * MINUTE },
  async () => {
    const { page } = await openReady('#embed=interp&backend=wasm', { width: 900, height: 700 });
    try {
      const summary = page.getByTestId('interpolation').locator('.chart-summary');
      await waitFor(() => summary.count(), 3 * MINUTE, 'the interpolation');
      const path = /From digit (\d) \(probe \d+\) \(left\) to digit (\d)/.exec(
        (await summary.textContent()) ?? '',
      );
      assert.ok(path, 'the summary names both digits');
      assert.notEqual(path[1], path[2], `two different digits (${path[0]})`);
      const grid = page.locator('figure.gen-figure figcaption');
      await waitFor(
        async () => /corners/.test((await grid.textContent()) ?? ''),
        MINUTE,
        'the grid',
      );
      const corners = [...((await grid.textContent()) ?? '').matchAll(/digit (\d)/g)].map(
        (m) => m[1],
      );
      assert.equal(corners.length, 4, 'four corners');
      assert.equal(new Set(corners).size, 4, `four different digits (${corners.join(', ')})`);
    } finally {
      await page.close();
    }
  },
);

test('presenter mode: no serious or critical violations', { timeout: 6 * MINUTE }, async () => {
  const { page } = await openReady('#lesson=vae-elbo&step=3&present&backend=wasm');
  try {
    await stepOnce(page);
    await waitFor(
      () => page.evaluate(() => document.documentElement.dataset.mode === 'present'),
      MINUTE,
      'presenter mode from #present',
    );
    await page.getByTestId('lesson-step').waitFor();
    await page.waitForTimeout(1500); // the charts redraw in the projector theme's colours
    assert.deepEqual(await audit(page), [], 'presenter mode');
    await page.screenshot({ path: 'docs/presenter.png' });
  } finally {
    await page.close();
  }
});

test(
  'a phone (390 px wide): no sideways scroll, no serious or critical violations',
  { timeout: 6 * MINUTE },
  async () => {
    const { page } = await openReady('#backend=wasm', { width: 390, height: 844 });
    try {
      await stepOnce(page);
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      assert.ok(widths.scroll <= widths.client, `no sideways scroll (${JSON.stringify(widths)})`);
      assert.deepEqual(await audit(page), [], 'the phone');
    } finally {
      await page.close();
    }
  },
);

for (const [id, model] of Object.entries(PANEL_MODEL))
  test(
    `#embed=${id}: the panel alone, with no serious or critical violations`,
    { timeout: 4 * MINUTE },
    async () => {
      const { page, errors } = await openReady(`#embed=${id}&model=${model}&backend=wasm`, {
        width: 900,
        height: 700,
      });
      try {
        await waitFor(
          () => page.locator(`[data-panel="${id}"]`).count(),
          3 * MINUTE,
          `panel ${id}`,
        );
        await page.waitForTimeout(2000); // not a timing assertion: lets the panel draw once
        assert.equal(await page.locator('[data-panel]').count(), 1, 'exactly one panel');
        assert.equal(await page.getByTestId('train-toggle').count(), 0, 'no page controls');
        assert.deepEqual(await audit(page), [], `panel ${id}`);
        assert.deepEqual(
          errors.filter((e) => e.startsWith('pageerror')),
          [],
        );
      } finally {
        await page.close();
      }
    },
  );
