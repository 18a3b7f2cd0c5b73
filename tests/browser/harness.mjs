// Shared set-up for the browser tests: serve the built app with Vite's preview server and
// drive Debian's Chromium (or $CHROME_PATH) with playwright-core. Never downloads a browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

export function chromePath() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH.',
    );
  }
  return found;
}

/** Starts `vite preview` on a free port for the built app (dist/, or $LAB_DIST when set). */
export async function startServer() {
  const outDir = process.env.LAB_DIST || 'dist';
  if (!existsSync(`${outDir}/index.html`))
    throw new Error(`${outDir}/ is missing: run "vite build" first`);
  const server = await preview({
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server has no URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

/**
 * Launches headless Chromium with a fresh profile; `extraArgs` e.g. ['--enable-unsafe-webgpu'];
 * `options` more of Playwright's context options (e.g. { serviceWorkers: 'block' }).
 */
export async function launch(extraArgs = [], options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'latent-lab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromePath(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a page that records console errors, page errors and main-thread long tasks. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    // @ts-expect-error test-only global
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      // @ts-expect-error test-only global
      for (const e of list.getEntries())
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Chromium's long animation frames (≥ 50 ms) name the scripts that ran in them.
    // @ts-expect-error test-only global
    window.__longFrames = [];
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
      new PerformanceObserver((list) => {
        for (const e of /** @type {any[]} */ (list.getEntries()))
          // @ts-expect-error test-only global
          window.__longFrames.push({
            start: e.startTime,
            duration: e.duration,
            blocking: e.blockingDuration,
            renderStart: e.renderStart,
            styleAndLayoutStart: e.styleAndLayoutStart,
            scripts: e.scripts.map((/** @type {any} */ s) => ({
              invoker: s.invoker,
              source: `${s.sourceURL.split('/').pop()}${s.sourceFunctionName ? ` ${s.sourceFunctionName}` : ''}`,
              start: s.startTime,
              duration: s.duration,
              forcedLayout: s.forcedStyleAndLayoutDuration,
            })),
          });
      }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(url);
  return { page, errors };
}

/** Main-thread long tasks (≥ 50 ms) that started after `since` (page time in ms). */
export async function longTasksSince(page, since) {
  const all = await page.evaluate(() => /** @type {any} */ (window).__longTasks);
  return all.filter((t) => t.start >= since).map((t) => t.duration);
}

export const text = (page, testId) => page.getByTestId(testId).textContent();

/** The latest "test −ELBO N nats" on the status line, or null. */
export async function testElbo(page) {
  const m = /test −ELBO ([\d.]+) nats/.exec((await text(page, 'status')) ?? '');
  return m ? Number(m[1]) : null;
}

export async function stepOf(page) {
  const m = /step ([\d,]+)/.exec((await text(page, 'status')) ?? '');
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

/** Polls `fn` until it returns a truthy value or `ms` pass (a bound, not a speed assertion). */
export async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Opens the page's drawer of data, run files, saved runs and the device benchmark (closed on the
 * first screen), so the tests can click what is in it.
 */
export async function openDrawer(page) {
  const toggle = page.getByTestId('drawer-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * A plain static file server, as a course web space or GitHub Pages is: `dir` under the URL
 * folder `prefix` (e.g. '/course/lab/'), a Content-Type by extension and nothing else: no
 * COOP/COEP, no CSP, no rewrites. Counts the requests it answers (`requests`); `overrides`
 * (URL path → bytes) stands in for files of a new deploy.
 */
export async function startStaticServer(dir, prefix = '/') {
  const { createServer } = await import('node:http');
  const { readFile, stat } = await import('node:fs/promises');
  const { extname, normalize, resolve } = await import('node:path');
  const root = resolve(dir);
  const requests = [];
  const overrides = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (`${path}/` === prefix) {
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let file = normalize(resolve(root, `./${path.slice(prefix.length)}`));
    try {
      if (!file.startsWith(root)) throw new Error('outside');
      if (!overrides.has(path) && (await stat(file)).isDirectory())
        file = resolve(file, 'index.html');
      const body = overrides.get(path) ?? (await readFile(file));
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    overrides,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      }),
  };
}
