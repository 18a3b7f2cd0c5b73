#!/usr/bin/env node
// `npm run measure:time-to-elbo`: how long the page takes, from the click on Train, to bring the
// default model (the 2-D VAE) to a test −ELBO of 165 nats per image or less. Builds the app,
// serves it, opens it in headless Chromium (a fresh profile) on the chosen backend with its
// default panels, clicks Train and reads the status line's step and test −ELBO every 100 ms
// until the target is reached or the time is up; prints one line per run and the median.
//
//   npm run measure:time-to-elbo                      # 3 runs on wasm, target 165, up to 60 s
//   npm run measure:time-to-elbo -- --runs 5 --backend wasm --target 165 --limit 90
//
// A measurement, not a test: nothing here asserts a time (README "Performance" reports it).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  launch,
  openPage,
  startServer,
  stepOf,
  testElbo,
  waitFor,
} from '../tests/browser/harness.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
    target: { type: 'string', default: '165' },
    limit: { type: 'string', default: '60' },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const target = Number(values.target);
const limitMs = Number(values.limit) * 1000;

if (!values['no-build']) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
const server = await startServer();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `# ${cpus()[0]?.model ?? 'CPU'} × ${cpus().length}; load average ${load()} at the start`,
);

const results = [];
try {
  for (let r = 0; r < runs; r++) {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=${values.backend}`,
      );
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 2 * 60_000, 'the model to be ready');
      await toggle.click();
      const t0 = Date.now();
      let reached = null;
      let at20 = null;
      let last = null;
      while (Date.now() - t0 < limitMs) {
        await page.waitForTimeout(100);
        const s = (Date.now() - t0) / 1000;
        const elbo = await testElbo(page);
        const step = await stepOf(page);
        if (elbo !== null) last = { s, step, elbo };
        if (s >= 20 && at20 === null) at20 = last;
        if (elbo !== null && elbo <= target) {
          reached = { s, step, elbo };
          break;
        }
      }
      if (errors.length) console.log(`# page errors: ${errors.join('; ')}`);
      const fmt = (p) =>
        p ? `${p.elbo.toFixed(1)} nats at step ${p.step} (${p.s.toFixed(1)} s)` : '–';
      console.log(
        `run ${r + 1}: ${reached ? `≤ ${target} after ${reached.s.toFixed(1)} s (step ${reached.step}, ${reached.elbo.toFixed(1)} nats)` : `not ≤ ${target} within ${limitMs / 1000} s`}; at 20 s: ${fmt(at20 ?? last)}`,
      );
      results.push(reached?.s ?? Infinity);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
const sorted = [...results].sort((a, b) => a - b);
const median = sorted[sorted.length >> 1];
console.log(
  `# median time to test −ELBO ≤ ${target}: ${Number.isFinite(median) ? `${median.toFixed(1)} s` : 'not reached'} over ${runs} runs on ${values.backend}; load average ${load()} at the end`,
);
