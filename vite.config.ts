/// <reference types="vitest/config" />
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

/** Copies datasets/ into the build output (build only, so test runners never write it). */
function datasetsCopyPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'latent-lab-datasets-copy',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (existsSync(datasetsDir)) {
        await cp(datasetsDir, join(outDir, 'datasets'), { recursive: true });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), datasetsPlugin(), datasetsCopyPlugin()],
  // plotly.js's CommonJS sources refer to Node's `global`.
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
