// The browser half of `npm run bench`: serves dist-bench/web with `vite preview` (the app's
// vite.config.ts: its /datasets/ route and CSP header), drives headless Chromium with the
// browser tests' launch flags (tests/browser/harness.mjs), and reads each worker's JS heap over
// the DevTools protocol (tests/browser/memory-probe.mjs) when the page asks for it.
import { existsSync } from 'node:fs';
import { preview } from 'vite';
import { launch } from '../../tests/browser/harness.mjs';
import { memoryProbe } from '../../tests/browser/memory-probe.mjs';
import { BENCH_WEB_DIR } from './build.mjs';
import { limitFor, modelsFor, planFor, profileStepsFor } from './plan.mjs';

/** `vite preview` of the bench build on a free port; `url` is the bench page's. */
export async function startBenchServer(outDir = process.env.BENCH_DIST || BENCH_WEB_DIR) {
  if (!existsSync(`${outDir}/bench.html`))
    throw new Error(`${outDir}/bench.html is missing: build the bench first`);
  const server = await preview({
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('preview server has no URL');
  return { url: `${base.replace(/\/$/, '')}/bench.html`, close: () => server.close() };
}

/** Chromium for `backend` (WebGPU needs --enable-unsafe-webgpu), with the bench page open. */
export async function openBench(url, backend) {
  const browser = await launch(backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : []);
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const probe = await memoryProbe(browser.context, page);
    // The bench worker of `way` (ours may start helper workers of its own, e.g. for GEMM).
    await page.exposeFunction('benchHeap', async (way) => {
      const workerUrl = new RegExp(`/${way === 'naive' ? 'naive' : 'ours'}\\.worker-[^/]*\\.js$`);
      return (await probe.heaps({ workerUrl })).workerHeap;
    });
    await page.goto(url);
    await page.waitForFunction(() => 'latentBench' in window, null, { timeout: 60_000 });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    return {
      page,
      errors,
      userAgent,
      /** One measurement in a fresh worker of `way`: a BenchRun, or throws the worker's error. */
      run: (request, way, limitSeconds) =>
        page.evaluate(
          ([r, w, s]) => window.latentBench.run(r, w, s ?? undefined),
          [request, way, limitSeconds ?? null],
        ),
      async close() {
        await probe.close();
        await browser.close();
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/**
 * Ours on wasm again with the GEMM pinned to one thread and to two (`threads` of a row: each a
 * BenchRun, or null with the reason in `error`), so that the two routes are timed apart.
 */
async function timeThreads(bench, request, quick, log) {
  const out = { one: null, two: null, error: null };
  for (const [key, matmul] of [
    ['one', 'one-thread'],
    ['two', 'two-threads'],
  ]) {
    log(`browser wasm ${request.model} ours, GEMM on ${matmul}…`);
    try {
      out[key] = await bench.run(
        { ...request, matmul },
        'ours',
        limitFor({ quick, model: request.model }),
      );
    } catch (err) {
      out.error = `${matmul}: ${firstLine(err)}`;
    }
  }
  return out;
}

/**
 * Every (backend, model) of the browser, ours then naive. Returns { rows, userAgent }; a row has
 * runtime 'browser', backend, model, ours and naive (BenchRun or null), threads (wasm with
 * `threads`: see timeThreads; else null) and error (or null). A backend that does not start is
 * one row with model null and the reason. `onRow(row, userAgent)` sees each row as it is done.
 */
export async function benchBrowser({
  backends,
  models,
  quick,
  threads = false,
  log,
  onRow = () => {},
}) {
  const server = await startBenchServer();
  const rows = [];
  let userAgent = null;
  try {
    const datasetsUrl = new URL('/datasets/', server.url).href;
    for (const backend of backends) {
      const bench = await openBench(server.url, backend);
      userAgent ??= bench.userAgent;
      try {
        for (const model of modelsFor(backend, models)) {
          const request = {
            type: 'run',
            backend,
            model,
            datasetsUrl,
            plan: planFor({ quick, backend, model }),
          };
          const row = {
            runtime: 'browser',
            backend,
            model,
            ours: null,
            naive: null,
            threads: null,
            error: null,
          };
          // Ours on wasm: a few more steps under the kernel profiler (BenchRun.profile).
          const profileSteps = backend === 'wasm' ? profileStepsFor({ quick, model }) : 0;
          for (const way of ['ours', 'naive']) {
            log(`browser ${backend} ${model} ${way}…`);
            try {
              const asked = way === 'ours' && profileSteps ? { ...request, profileSteps } : request;
              row[way] = await bench.run(asked, way, limitFor({ quick, model }));
            } catch (err) {
              row.error = `${way}: ${firstLine(err)}`;
              break;
            }
          }
          if (row.ours === null && /^ours: cannot start/.test(row.error)) {
            // The backend itself does not start here: one row says so, its models are skipped.
            rows.push({ ...row, model: null });
            await onRow(rows.at(-1), userAgent);
            break;
          }
          if (threads && backend === 'wasm' && row.ours !== null)
            row.threads = await timeThreads(bench, request, quick, log);
          rows.push(row);
          await onRow(row, userAgent);
        }
      } finally {
        await bench.close();
      }
    }
  } finally {
    await server.close();
  }
  return { rows, userAgent };
}

function firstLine(err) {
  return String(err?.message ?? err)
    .replace(/^page\.evaluate: (Error: )?/, '')
    .split('\n')[0];
}
