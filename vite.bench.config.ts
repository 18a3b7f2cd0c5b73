/**
 * Builds `npm run bench`'s two halves into dist-bench/ (scripts/bench/build.mjs runs both):
 *   vite build --config vite.bench.config.ts --mode web    bench.html + its two workers → dist-bench/web/
 *   vite build --config vite.bench.config.ts --mode node   src/cli/bench.ts → dist-bench/node/bench.mjs
 * The web build is served by `vite preview` with the app's own vite.config.ts (its /datasets/
 * route and Content-Security-Policy header). The node build is bundled like vite.cli.config.ts
 * (everything TF.js inside one ES module; the wasm glue gets require and __dirname).
 */
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

const root = import.meta.dirname;

const web: UserConfig = {
  root,
  publicDir: false,
  worker: { format: 'es' },
  build: {
    outDir: resolve(root, 'dist-bench/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: resolve(root, 'bench.html'),
      // No "plugins took N s" notice when a loaded machine makes the build slow.
      checks: { bundlerTimings: false },
    },
  },
  logLevel: 'warn',
};

const node: UserConfig = {
  root,
  publicDir: false,
  build: {
    ssr: resolve(root, 'src/cli/bench.ts'),
    outDir: resolve(root, 'dist-bench/node'),
    target: 'node20',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      checks: { bundlerTimings: false },
      output: {
        entryFileNames: 'bench.mjs',
        banner: [
          "import { createRequire as __createRequire } from 'node:module';",
          "import { fileURLToPath as __fileURLToPath } from 'node:url';",
          "import { dirname as __pathDirname } from 'node:path';",
          'const require = __createRequire(import.meta.url);',
          'const __filename = __fileURLToPath(import.meta.url);',
          'const __dirname = __pathDirname(__filename);',
        ].join('\n'),
      },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  logLevel: 'warn',
};

export default defineConfig(({ mode }) => (mode === 'node' ? node : web));
