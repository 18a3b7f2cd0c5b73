/// <reference types="vitest/config" />
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { plotlyTrimPlugin } from './scripts/plotly-trim.ts';
import { sizeReportPlugin } from './scripts/size-report.ts';
import { tfjsKernelsPlugin } from './scripts/tfjs-kernels.ts';
import { ISOLATION_HEADERS } from './src/core/cross-origin-isolation.ts';

const datasetsDir = resolve(import.meta.dirname, 'datasets');

/**
 * Serves datasets/ (prepared by scripts/prepare-data.mjs) at /datasets/ in dev and preview. Files go out as-is: .gz stays compressed
 * (no Content-Encoding), the app decompresses it with DecompressionStream.
 */
function datasetsPlugin(): Plugin {
  const serve = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = (req.url ?? '').split('?')[0] ?? '';
    if (!url.startsWith('/datasets/')) return next();
    const file = normalize(join(datasetsDir, decodeURIComponent(url.slice('/datasets/'.length))));
    if (!file.startsWith(datasetsDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader(
      'Content-Type',
      file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    );
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cache-Control', 'no-cache');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'latent-lab-datasets',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
  };
}

/**
 * Copies datasets/ into the build output (build only, so test runners never write it), when the
 * bundle is written: before closeBundle, where the service worker's precache list is made.
 */
function datasetsCopyPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'latent-lab-datasets-copy',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      if (existsSync(datasetsDir)) {
        // Real files, never links: dist/ is copied as it is onto other machines.
        await cp(datasetsDir, join(outDir, 'datasets'), { recursive: true, dereference: true });
      }
    },
  };
}

/**
 * The Content-Security-Policy of the built app: nothing runs that is not one of our own files.
 * - script-src: our bundles only, no inline scripts, no eval. 'wasm-unsafe-eval' lets TF.js
 *   compile its .wasm backend. No 'unsafe-eval': our Plotly bundle has no WebGL traces (their
 *   regl renderer compiles draw calls with Function()); the scatter charts are SVG.
 *   TF.js and KaTeX need no eval.
 * - worker-src: the training worker is a module file of this origin.
 * - style-src 'unsafe-inline': KaTeX and Plotly position their output with style attributes.
 * - font-src data:: the smallest KaTeX fonts are inlined into the CSS by Vite.
 * - connect-src: our own files (datasets/, .wasm), plus the hosts Fashion-MNIST and KMNIST
 *   are downloaded from and local mirrors: DOWNLOAD_CONNECT_SOURCES in src/data/download-sources.ts
 *   (tests/unit/download-dataset.test.ts checks that the two lists agree).
 * A <meta> policy cannot carry frame-ancestors; a host that can send headers should add it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self' https://raw.githubusercontent.com http://codh.rois.ac.jp http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Puts the policy into the built index.html as a <meta> tag (build only: the dev server's hot
 * reload needs inline scripts), and sends it as a header from `vite preview`, where it also
 * covers the worker (a worker loaded from a URL takes its policy from its own response, not
 * from the page's <meta>).
 */
function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'latent-lab-csp',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (ctx.server) return [];
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        next();
      });
    },
  };
}

/**
 * Cross-origin isolation for `vite` and `vite preview`: with these headers the page (and its
 * workers) may use SharedArrayBuffer, which the two-thread wasm matmul needs (its helper worker
 * shares a WebAssembly.Memory with the training worker; src/backends/wasm/wasm-parallel-matmul.ts). Without
 * them (a host that does not send them) training runs on one thread, as before. require-corp
 * blocks only cross-origin no-cors subresources, which the app has none of: its dataset downloads
 * are CORS fetches. A static host needs not send them: the service worker adds them.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = { ...ISOLATION_HEADERS };

/**
 * The service worker (src/sw.ts) and the web app manifest. The worker precaches the app, the
 * bundled MNIST and the PyTorch export's Python templates, caches trained models at first use, and adds the isolation headers on hosts that
 * send none. Registered by our own few lines (src/ui/service-worker.ts): an update waits for the
 * reader's "Reload" (no silent skipWaiting).
 */
function serviceWorkerPlugin() {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src',
    filename: 'sw.ts',
    registerType: 'prompt',
    injectRegister: false,
    injectManifest: {
      globPatterns: [
        '**/*.{html,js,css,wasm,woff2,svg,png,webmanifest}',
        'datasets/**/*.{json,gz}',
        // The PyTorch export's templates (public/pytorch/), fetched when exporting: offline too.
        'pytorch/*.{py,md}',
      ],
      globIgnores: ['pretrained/**', 'size-report.json'],
      // The bundled MNIST's training images are the largest file (9.6 MB).
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      rollupFormat: 'iife',
    },
    manifest: {
      name: 'Latent Lab',
      short_name: 'Latent Lab',
      description: 'Train latent-variable models on MNIST in your browser.',
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#332288',
      icons: [
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
  });
}

export default defineConfig({
  // Relative URLs throughout: the built app works from any folder of any static host.
  base: './',
  plugins: [
    datasetsPlugin(),
    datasetsCopyPlugin(),
    contentSecurityPolicyPlugin(),
    plotlyTrimPlugin(),
    // Prints the gzip size of every asset and the page-weight budget; writes size-report.json.
    sizeReportPlugin(),
    serviceWorkerPlugin(),
  ],
  // The UI is written against React's API and rendered by Preact through preact/compat: the same
  // components for about 60 kB gzip less than react-dom 19 (docs/DESIGN.md, "Rendering"). JSX
  // compiles to react/jsx-runtime (tsconfig "jsx": "react-jsx"), which lands here too.
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  // plotly.js's CommonJS sources refer to Node's `global`.
  define: { global: 'globalThis' },
  worker: {
    format: 'es',
    // The worker's TF.js backends register only the kernels our models run.
    plugins: () => [tfjsKernelsPlugin()],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // Bounds for a slow, shared 2-core machine (conv models on the pure-JS CPU backend); no test
    // asserts speed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Both cores: Vitest's default is one worker fewer than the CPUs, which is one worker here,
    // and so one file at a time. Files run longest first once Vitest has timed them (its cache).
    maxWorkers: 2,
  },
});
