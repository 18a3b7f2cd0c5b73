// "Your own data" and downloadable datasets, end to end in headless Chromium:
// - Fashion-MNIST "downloaded" from a local stand-in for its public host: a node http server on
//   127.0.0.1 that serves Debian's dataset-fashion-mnist files (apt-get install
//   dataset-fashion-mnist; /usr/share/datasets/fashion-mnist, or $FASHION_MNIST_DIR), slowly
//   enough to see the progress bar; a second load comes from IndexedDB (no second request);
// - a clear message when offline;
// - a corrupt IDX upload while training: a notice names the file and training goes on;
// - a small CSV and a zip of PNGs built here become the training data and train.
// Every request the page makes must go to the app's origin or to the data server.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { after, before, test } from 'node:test';
import { launch, openDrawer, openPage, startServer, stepOf, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
const FASHION_DIR = process.env.FASHION_MNIST_DIR || '/usr/share/datasets/fashion-mnist';
const FASHION_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
/** The data server sends CHUNK bytes every TICK_MS (≈ 13 MB/s), so a download takes seconds. */
const CHUNK = 128 * 1024;
const TICK_MS = 10;

/** A stand-in for a public dataset host: /fashion-mnist/<file> from FASHION_DIR, CORS allowed. */
function startDataServer() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const m = /^\/fashion-mnist\/([\w.-]+)$/.exec(req.url ?? '');
    const file = m && FASHION_FILES.includes(m[1]) ? join(FASHION_DIR, m[1]) : null;
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': statSync(file).size,
    });
    const stream = createReadStream(file, { highWaterMark: CHUNK });
    stream.on('data', (chunk) => {
      stream.pause();
      res.write(chunk);
      setTimeout(() => stream.resume(), TICK_MS);
    });
    stream.on('end', () => res.end());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => server.close() });
    });
  });
}

let app;
let data;
before(async () => {
  const missing = FASHION_FILES.filter((f) => !existsSync(join(FASHION_DIR, f)));
  if (missing.length) {
    throw new Error(
      `Fashion-MNIST files missing in ${FASHION_DIR} (${missing.join(', ')}). ` +
        'Install them with: apt-get install -y dataset-fashion-mnist (or set FASHION_MNIST_DIR).',
    );
  }
  app = await startServer();
  data = await startDataServer();
});
after(async () => {
  await app?.close();
  data?.close();
});

/** Opens the app on wasm with the data server as datasetBase, and checks where requests go. */
async function openLab(context) {
  const origins = [new URL(app.url).origin, data.url];
  const stray = [];
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && !origins.some((o) => u.startsWith(o)))
      stray.push(u);
  });
  const { page, errors } = await openPage(
    context,
    `${app.url}/?backend=wasm&datasetBase=${encodeURIComponent(`${data.url}/`)}`,
  );
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the lab to be ready');
  await waitFor(
    async () => /MNIST/.test((await text(page, 'dataset-name')) ?? ''),
    MINUTE,
    'MNIST',
  );
  await openDrawer(page);
  return { page, errors, stray, toggle };
}

const noticeText = async (page) => (await text(page, 'notice')) ?? '';

test(
  'Fashion-MNIST: offline message, download with progress, a training step, then from IndexedDB',
  { timeout: 15 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      let lab = await openLab(browser.context);
      let { page } = lab;

      // Offline: a clear message and no request.
      await browser.context.setOffline(true);
      await page.getByTestId('dataset-select').selectOption('fashion-mnist');
      await waitFor(
        async () => /You are offline, and Fashion-MNIST/.test(await noticeText(page)),
        MINUTE,
        'the offline message',
      );
      assert.equal(data.requests.length, 0, 'nothing was requested while offline');
      await browser.context.setOffline(false);

      // Download: the progress bar moves, the header names the set.
      await waitFor(() => page.getByTestId('dataset-select').isEnabled(), MINUTE, 'the select');
      await page.getByTestId('dataset-select').selectOption('fashion-mnist');
      const seen = await page.waitForFunction(
        () => {
          const p = /** @type {HTMLProgressElement | null} */ (
            document.querySelector('[data-testid="dataset-progress"]')
          );
          return p && p.max > 1 && p.value > 0 && p.value < p.max ? [p.value, p.max] : null;
        },
        null,
        { timeout: 2 * MINUTE, polling: 50 },
      );
      const [value, max] = await seen.jsonValue();
      assert.ok(max > 30_000_000, `progress counts bytes of all four files (max ${max})`);
      console.log(`# progress seen at ${value} of ${max} bytes`);
      await waitFor(
        async () =>
          /Fashion-MNIST: 60,000 training and 10,000 test images/.test(
            (await text(page, 'dataset-name')) ?? '',
          ),
        5 * MINUTE,
        'Fashion-MNIST in the header',
      );
      assert.deepEqual(
        [...data.requests].sort(),
        FASHION_FILES.map((f) => `/fashion-mnist/${f}`).sort(),
        'each file was downloaded once',
      );
      assert.match(await noticeText(page), /Downloaded Fashion-MNIST/);
      assert.match((await page.textContent('footer')) ?? '', /Fashion-MNIST.*License: MIT/s);

      // One training step on it.
      await waitFor(() => page.getByTestId('step').isEnabled(), 2 * MINUTE, 'the Step button');
      await page.getByTestId('step').click();
      await waitFor(async () => (await stepOf(page)) === 1, 3 * MINUTE, 'step 1 on Fashion-MNIST');
      assert.deepEqual(lab.stray, [], 'no request left for another site');
      assert.deepEqual(lab.errors, [], 'no page or console errors');
      await page.close();

      // Second load, in a fresh page of the same profile: from IndexedDB, no request.
      lab = await openLab(browser.context);
      page = lab.page;
      await page.getByTestId('dataset-select').selectOption('fashion-mnist');
      await waitFor(
        async () => /Fashion-MNIST: 60,000/.test((await text(page, 'dataset-name')) ?? ''),
        5 * MINUTE,
        'Fashion-MNIST from the cache',
      );
      assert.match(await noticeText(page), /Fashion-MNIST loaded from this browser's cache/);
      assert.equal(data.requests.length, 4, 'the data server saw no second request');
      assert.deepEqual(lab.stray, [], 'no request left for another site');
      assert.deepEqual(lab.errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

/** IDX header + data: a "train-images" file cut short, as a broken download would be. */
function truncatedIdx() {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28]);
  return Buffer.concat([header, Buffer.alloc(5000, 7)]);
}

test(
  'a corrupt IDX upload while training: the notice names the file and training goes on',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors, stray, toggle } = await openLab(browser.context);
      await toggle.click();
      await waitFor(async () => ((await stepOf(page)) ?? 0) > 0, 3 * MINUTE, 'training to start');
      await page.getByTestId('upload-data').setInputFiles({
        name: 'corrupt-images-idx3-ubyte',
        mimeType: 'application/octet-stream',
        buffer: truncatedIdx(),
      });
      await waitFor(
        async () => /corrupt-images-idx3-ubyte: truncated/.test(await noticeText(page)),
        MINUTE,
        'a notice naming the file',
      );
      const at = (await stepOf(page)) ?? 0;
      await waitFor(
        async () => ((await stepOf(page)) ?? 0) > at + 5,
        3 * MINUTE,
        'the step count to keep rising',
      );
      assert.equal(await toggle.textContent(), 'Pause', 'still training');
      assert.match((await text(page, 'dataset-name')) ?? '', /MNIST: 60,000/, 'data unchanged');
      await toggle.click();
      assert.deepEqual(stray, [], 'no request left for another site');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

/** 60 rows of label,p0..p783: a vertical bar whose column depends on the label. */
function digitsCsv() {
  const rows = ['label,' + Array.from({ length: 784 }, (_, j) => `p${j}`).join(',')];
  for (let i = 0; i < 60; i++) {
    const label = i % 10;
    const px = Array.from({ length: 784 }, (_, j) => {
      const [y, x] = [Math.floor(j / 28), j % 28];
      return y >= 4 && y < 24 && Math.abs(x - (6 + label * 1.6)) < 2 ? 255 : 0;
    });
    rows.push([label, ...px].join(','));
  }
  return Buffer.from(rows.join('\n') + '\n');
}

/** CRC-32 (the PNG chunk checksum). */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** An 8-bit greyscale PNG of a w×h image (`grey(x, y)` → 0..255). */
function png(w, h, grey) {
  const chunk = (type, body) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = grey(x, y);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** 30 dark-on-light 40×40 "scans" in folders 0, 1, 2 (a ring, a bar, a cross). */
function digitsZip() {
  const shapes = [
    (x, y) => Math.abs(Math.hypot(x - 20, y - 20) - 10) < 2.5,
    (x, y) => Math.abs(x - 20) < 3 && y > 6 && y < 34,
    (x, y) => (Math.abs(x - y) < 2.5 || Math.abs(x + y - 40) < 2.5) && x > 6 && x < 34,
  ];
  const files = {};
  for (let i = 0; i < 30; i++) {
    const label = i % 3;
    const dx = (i % 5) - 2;
    files[`digits/${label}/scan${i}.png`] = new Uint8Array(
      png(40, 40, (x, y) => (shapes[label](x - dx, y) ? 20 : 235)),
    );
  }
  return Buffer.from(zipSync(files));
}

test('trains on a CSV and on a zip of PNG scans built here', { timeout: 10 * MINUTE }, async () => {
  const browser = await launch();
  try {
    const { page, errors, stray } = await openLab(browser.context);
    const upload = page.getByTestId('upload-data');
    const step = page.getByTestId('step');

    await upload.setInputFiles({ name: 'digits.csv', mimeType: 'text/csv', buffer: digitsCsv() });
    await waitFor(
      async () =>
        /digits\.csv: 50 training and 10 test images/.test(
          (await text(page, 'dataset-name')) ?? '',
        ),
      2 * MINUTE,
      'the CSV in the header',
    );
    await waitFor(() => step.isEnabled(), MINUTE, 'the Step button');
    await step.click();
    await waitFor(async () => (await stepOf(page)) === 1, 2 * MINUTE, 'step 1 on the CSV');

    await upload.setInputFiles({
      name: 'digits.zip',
      mimeType: 'application/zip',
      buffer: digitsZip(),
    });
    await waitFor(
      async () =>
        /digits\.zip: 25 training and 5 test images/.test((await text(page, 'dataset-name')) ?? ''),
      2 * MINUTE,
      'the zip in the header',
    );
    assert.equal(await stepOf(page), 0, 'a fresh model: the step count starts again');
    await waitFor(() => step.isEnabled(), MINUTE, 'the Step button');
    await step.click();
    await waitFor(async () => (await stepOf(page)) === 1, 2 * MINUTE, 'step 1 on the zip');
    assert.deepEqual(stray, [], 'no request left for another site');
    assert.deepEqual(errors, [], 'no page or console errors');
  } finally {
    await browser.close();
  }
});

test(
  'a link names the dataset: #dataset=fashion-mnist loads it, choosing MNIST takes it out of the URL',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const base = encodeURIComponent(`${data.url}/`);
      const { page, errors } = await openPage(
        browser.context,
        `${app.url}/?datasetBase=${base}#backend=wasm&dataset=fashion-mnist&latent=4`,
      );
      const name = async () => (await text(page, 'dataset-name')) ?? '';
      await waitFor(async () => /Fashion-MNIST: 60,000/.test(await name()), 5 * MINUTE, 'FMNIST');
      const hash = () => new URLSearchParams(new URL(page.url()).hash.slice(1));
      assert.equal(hash().get('dataset'), 'fashion-mnist');
      assert.equal(hash().get('latent'), '4');
      assert.equal(hash().get('datasetBase'), `${data.url}/`, 'the mirror moves into the hash');
      await openDrawer(page);
      const select = page.getByTestId('dataset-select');
      await waitFor(() => select.isEnabled(), MINUTE, 'the dataset select');
      await select.selectOption('mnist');
      await waitFor(async () => /^\W*MNIST: 60,000/.test(await name()), 2 * MINUTE, 'MNIST');
      assert.equal(hash().get('dataset'), null, 'MNIST is the default, left out of the URL');
      await select.selectOption('fashion-mnist');
      await waitFor(() => hash().get('dataset') === 'fashion-mnist', MINUTE, 'dataset= again');
      await page.reload();
      await waitFor(async () => /Fashion-MNIST/.test(await name()), 5 * MINUTE, 'FMNIST again');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
