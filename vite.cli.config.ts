/**
 * Builds the Node CLI (src/cli/train.ts) into dist-cli/train.mjs. TF.js's ESM sources use
 * extensionless imports that Node cannot resolve, and tfjs-core's CommonJS bundle lacks the
 * gradient registrations, so everything TF.js is bundled (noExternal) into one ES module.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'src/cli/train.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      output: {
        entryFileNames: 'train.mjs',
        // The wasm backend's Emscripten glue expects CommonJS's require and __dirname in Node.
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
});
