// The built app's Content-Security-Policy, in headless Chromium: it is there (as a <meta> tag,
// and as a header from `vite preview`, which also covers the worker), it names no remote script
// source, nothing the app does while training and drawing its charts violates it, and no request
// leaves the page's origin (no CDN, fonts, analytics; datasets and .wasm are our own files).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** The policy's directives: name → source list. */
function directives(policy) {
  return Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test(
  'CSP: present, no remote scripts, no violations while training and charting, no foreign requests',
  { timeout: 8 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const requests = [];
      browser.context.on('request', (r) => requests.push(r.url()));
      const page = await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      // Violations in the page (the event) and in the worker (listened to from its first task).
      await page.addInitScript(() => {
        const w = /** @type {any} */ (window);
        w.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__violations.push(
            `${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
          ),
        );
      });
      const workers = [];
      page.on('worker', (worker) => {
        workers.push(worker);
        void worker
          .evaluate(() => {
            const s = /** @type {any} */ (self);
            s.__violations = [];
            s.addEventListener('securitypolicyviolation', (e) =>
              s.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
            );
          })
          .catch(() => {});
      });

      const response = await page.goto(`${server.url}/#backend=wasm`);
      const header = response?.headers()['content-security-policy'] ?? '';
      const meta = await page.evaluate(
        () =>
          document
            .querySelector('meta[http-equiv="Content-Security-Policy"]')
            ?.getAttribute('content') ?? '',
      );
      assert.ok(meta, 'the page carries a CSP <meta> tag');
      assert.equal(header, meta, 'the preview server sends the same policy as a header');
      const csp = directives(meta);
      assert.deepEqual(csp['default-src'], ["'self'"]);
      assert.deepEqual(csp['object-src'], ["'none'"]);
      for (const name of ['script-src', 'worker-src']) {
        const remote = csp[name].filter((s) => !s.startsWith("'"));
        assert.deepEqual(remote, [], `${name} names no host, scheme or wildcard`);
        assert.ok(!csp[name].includes("'unsafe-inline'"), `${name} allows no inline script`);
      }
      assert.ok(!csp['script-src'].includes("'unsafe-eval'"), 'script-src allows no eval');
      console.log(`# CSP: ${meta}`);

      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
      assert.equal(await text(page, 'backend'), 'wasm');
      await toggle.click();
      // Long enough for several evaluations, so every chart and panel has drawn real data.
      await waitFor(async () => ((await stepOf(page)) ?? 0) >= 30, 4 * MINUTE, 'step 30');
      await toggle.click();
      await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'a pause');
      await page.waitForTimeout(3000); // the last evaluation and the panels' inspections

      const drawn = await page.evaluate(() => ({
        plots: document.querySelectorAll('.js-plotly-plot').length,
        // Our canvas charts (curves, bars) that have drawn at least once.
        canvases: [...document.querySelectorAll('canvas[data-draws]')].filter(
          (c) => Number(/** @type {HTMLElement} */ (c).dataset.draws) > 0,
        ).length,
        webglRefused: /WebGL is not supported/.test(document.body.textContent ?? ''),
        katex: document.querySelectorAll('.katex').length,
      }));
      assert.ok(drawn.plots >= 1, `Plotly charts are drawn (${drawn.plots})`);
      assert.ok(drawn.canvases >= 3, `canvas charts are drawn (${drawn.canvases})`);
      assert.equal(drawn.webglRefused, false, 'no chart refuses to draw');
      assert.ok(drawn.katex > 0, 'KaTeX renders the objective');

      const violations = await page.evaluate(() => /** @type {any} */ (window).__violations);
      // The training worker, and on this cross-origin-isolated page the two-thread matmul's
      // helper (src/backends/gemm/gemm-helper.worker.ts), which blocks in Atomics.wait for good, so it
      // cannot be evaluated in; it only instantiates a module compiled by the training worker.
      const training = workers.filter((w) => /train\.worker/.test(w.url()));
      assert.equal(training.length, 1, 'one training worker');
      // The storage worker (src/state/run-db.worker.ts) writes autosaves into IndexedDB.
      const storage = workers.filter((w) => /run-db\.worker/.test(w.url()));
      assert.ok(storage.length <= 1, 'at most one storage worker');
      assert.deepEqual(
        workers.filter(
          (w) =>
            !training.includes(w) && !storage.includes(w) && !/gemm-helper\.worker/.test(w.url()),
        ),
        [],
        'no other worker but the matmul helper and the storage worker',
      );
      for (const w of [...training, ...storage]) {
        const inWorker = await w.evaluate(() => /** @type {any} */ (self).__violations);
        assert.ok(Array.isArray(inWorker), `the violation listener is in place in ${w.url()}`);
        violations.push(...inWorker);
      }
      assert.deepEqual(violations, [], 'no CSP violations in the page or the worker');
      assert.deepEqual(
        errors.filter((e) => /Content Security Policy|Refused to/.test(e)),
        [],
        'no CSP errors on the console',
      );

      const origin = new URL(server.url).origin;
      const foreign = requests.filter((u) => {
        const url = new URL(u);
        return url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin;
      });
      assert.deepEqual(foreign, [], 'every request goes to the page’s own origin');
      assert.ok(
        requests.some((u) => u.includes('/datasets/')) && requests.some((u) => u.endsWith('.wasm')),
        'the worker’s own fetches (datasets, .wasm) are seen too',
      );
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
