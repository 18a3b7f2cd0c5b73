/**
 * `npm run measure:infer`: builds src/cli/infer-measure.ts for Node (as the CLI is built) and
 * runs it with this command's arguments: inference by optimisation against the encoder on the
 * shipped trained models (see that file for what it measures).
 */
import { execFileSync } from 'node:child_process';
import { build } from 'vite';

await build({
  configFile: 'vite.cli.config.ts',
  publicDir: false,
  build: {
    ssr: 'src/cli/infer-measure.ts',
    emptyOutDir: false,
    rollupOptions: { output: { entryFileNames: 'infer-measure.mjs' } },
  },
});
execFileSync('node', ['dist-cli/infer-measure.mjs', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
