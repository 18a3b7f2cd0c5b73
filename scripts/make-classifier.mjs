/**
 * `npm run make:classifier [-- --epochs E --seed S]`: builds src/cli/classifier.ts with the CLI's
 * build settings (vite.cli.config.ts) into dist-cli/classifier.mjs, next to the CLI, and runs it:
 * it trains the test-time digit classifier with fixed seeds and writes
 * public/pretrained/digit-classifier.json + .bin (not a zoo model: not in manifest.json; its test
 * accuracy is in its own JSON). Rerunning it reproduces the files (fixed seeds, wasm backend).
 */
import { execFileSync } from 'node:child_process';
import { build } from 'vite';

await build({
  configFile: 'vite.cli.config.ts',
  publicDir: false,
  build: {
    ssr: 'src/cli/classifier.ts',
    emptyOutDir: false,
    rollupOptions: { output: { entryFileNames: 'classifier.mjs' } },
  },
});
execFileSync('node', ['dist-cli/classifier.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
