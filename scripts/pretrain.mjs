/**
 * `npm run make:pretrained`: makes the trained models that ship with the lab (public/pretrained/), each
 * by the CLI (`npm run train`, src/cli/train.ts) with a fixed seed and a few epochs, then stores
 * it in float16 where that moves its test metric by ≤ 0.2 nats per image (else float32), and
 * writes public/pretrained/manifest.json: each checkpoint's files, bytes, model, settings, test
 * metric (float32 and float16, on all 10,000 test digits and on the page's 2,000 probe digits)
 * and the command that made it. Rerunning it reproduces the files (fixed seeds, wasm backend).
 * `npm run make:pretrained -- vae-2d ae-2d` remakes only those (the others stay in the manifest).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const OUT = 'public/pretrained';
const MANIFEST = join(OUT, 'manifest.json');
/** The most a float16 copy may move the test metric (nats per image) and still be shipped. */
const MAX_NATS_MOVED = 0.2;

/**
 * The checkpoints: id → title and the CLI flags that train it. Epochs are few so that the
 * whole command takes about 15 minutes on two busy cores (the conv models see a subset).
 */
const CHECKPOINTS = [
  {
    id: 'vae-2d',
    title: 'VAE, 2-D latent (MLP)',
    flags: ['--model', 'vae', '--latent', '2', '--hidden', '256', '--seed', '1', '--epochs', '2'],
  },
  {
    id: 'vae-20d',
    title: 'VAE, 20-D latent (MLP)',
    flags: ['--model', 'vae', '--latent', '20', '--hidden', '256', '--seed', '1', '--epochs', '2'],
  },
  {
    id: 'ae-2d',
    title: 'Autoencoder, 2-D latent (MLP)',
    flags: ['--model', 'ae', '--latent', '2', '--hidden', '256', '--seed', '1', '--epochs', '2'],
  },
  {
    id: 'catvae',
    title: 'Categorical VAE, 20 variables of 10 classes (MLP)',
    flags: ['--model', 'catvae', '--seed', '1', '--epochs', '2'],
  },
  {
    id: 'vqvae',
    title: 'VQ-VAE, 64 codes (conv)',
    flags: ['--model', 'vqvae', '--seed', '1', '--epochs', '1', '--limit', '12000'],
  },
  {
    id: 'dvae',
    title: 'dVAE, 64 codes on a 7×7 grid (conv)',
    flags: ['--model', 'dvae', '--seed', '1', '--epochs', '1', '--limit', '12000'],
  },
  {
    // The second stage: a prior over the shipped VQ-VAE's codes (made above, or already shipped),
    // which its checkpoint carries frozen inside it. TOKENIZER stands for that checkpoint's folder.
    id: 'prior',
    title: 'Prior over the VQ-VAE’s codes (transformer, class token)',
    tokenizer: 'vqvae',
    flags: [
      '--tokenizer',
      'TOKENIZER',
      '--conditional',
      'true',
      '--batch',
      '64',
      '--seed',
      '1',
      '--epochs',
      '2',
    ],
  },
];

const only = process.argv.slice(2);
const chosen = only.length ? CHECKPOINTS.filter((c) => only.includes(c.id)) : CHECKPOINTS;
if (chosen.length !== only.length && only.length)
  throw new Error(
    `unknown id among ${only.join(', ')}; ids: ${CHECKPOINTS.map((c) => c.id).join(', ')}`,
  );

const run = (args) =>
  execFileSync('node', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

execFileSync('npm', ['run', 'build:cli'], { stdio: 'inherit' });
// The measuring step, built next to the CLI with the CLI's build settings.
await build({
  configFile: 'vite.cli.config.ts',
  publicDir: false,
  build: {
    ssr: 'src/cli/pretrained.ts',
    emptyOutDir: false,
    rollupOptions: { output: { entryFileNames: 'pretrained.mjs' } },
  },
});

const previous = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')).checkpoints : [];
const made = new Map(previous.map((c) => [c.id, c]));
const started = Date.now();
for (const c of chosen) {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), `pretrain-${c.id}-`));
  console.error(`\n== ${c.id}: npm run train -- ${c.flags.join(' ')}`);
  const flags = c.tokenizer
    ? c.flags.map((f) => (f === 'TOKENIZER' ? tokenizerDir(c.tokenizer) : f))
    : c.flags;
  const lines = run(['dist-cli/train.mjs', ...flags, '--save', dir])
    .trim()
    .split('\n');
  const last = JSON.parse(lines[lines.length - 1]);
  const m = JSON.parse(
    run([
      'dist-cli/pretrained.mjs',
      '--dir',
      dir,
      '--out',
      OUT,
      '--id',
      c.id,
      '--max-nats-moved',
      String(MAX_NATS_MOVED),
    ]).trim(),
  );
  const meta = JSON.parse(readFileSync(join(OUT, `${c.id}.json`), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const files = [`${c.id}.json`, `${c.id}.bin`];
  const bytes = files.map((f) => statSync(join(OUT, f)).size);
  const gzipBytes = files.map((f) => gzipSync(readFileSync(join(OUT, f)), { level: 6 }).length);
  const stored = m.dtype;
  made.set(c.id, {
    id: c.id,
    title: c.title,
    model: meta.config.model,
    settings: meta.config,
    step: meta.step,
    epoch: meta.epoch,
    dataset: meta.dataset,
    files: { meta: files[0], weights: files[1] },
    bytes: bytes[0] + bytes[1],
    gzipBytes: gzipBytes[0] + gzipBytes[1],
    dtype: stored,
    metric: {
      term: m.metric.key,
      label: m.metric.label,
      unit: 'nats per image',
      test: {
        split: `${meta.dataset} test split, all ${m.testCount} digits`,
        float32: round(m.float32.test),
        float16: round(m.float16.test),
        stored: round(m[stored].test),
      },
      probe: {
        split: `${meta.dataset} test split, the page's 2,000 fixed probe digits`,
        float32: round(m.float32.probe),
        float16: round(m.float16.probe),
        stored: round(m[stored].probe),
      },
    },
    trainLastEpoch: last,
    command: `npm run train -- ${c.flags.join(' ').replace('TOKENIZER', `public/pretrained/${c.tokenizer}`)} --save DIR`,
    seconds: Math.round((Date.now() - t0) / 1000),
  });
  console.error(
    `${c.id}: ${stored}, ${m.metric.label} ${round(m[stored].test)} nats (float32 ${round(m.float32.test)}), ${bytes[0] + bytes[1]} bytes`,
  );
}

const checkpoints = CHECKPOINTS.map((c) => made.get(c.id)).filter(Boolean);
const manifest = {
  format: 'latent-lab-pretrained',
  version: 1,
  command: 'npm run make:pretrained',
  maxNatsMovedByFloat16: MAX_NATS_MOVED,
  gzipBytes: checkpoints.reduce((a, c) => a + c.gzipBytes, 0),
  checkpoints,
};
writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
console.error(
  `\nwrote ${MANIFEST}: ${checkpoints.length} checkpoints, ${(manifest.gzipBytes / 1e6).toFixed(2)} MB gzip, in ${Math.round((Date.now() - started) / 1000)} s`,
);

/** A shipped checkpoint as the CLI's --tokenizer folder (checkpoint.json + weights.bin). */
function tokenizerDir(id) {
  const dir = mkdtempSync(join(tmpdir(), `pretrain-tokenizer-${id}-`));
  copyFileSync(join(OUT, `${id}.json`), join(dir, 'checkpoint.json'));
  copyFileSync(join(OUT, `${id}.bin`), join(dir, 'weights.bin'));
  return dir;
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}
