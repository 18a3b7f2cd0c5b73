// Runs survive: a reload offers "Resume run" (same step, same curves), an exported .latentlab
// file imports back to the same reconstructions (and damaged ones are refused by name), a
// diverged run pauses with an explanation and rolls back, and a crashed worker restarts on the
// next backend from the last autosave. Bounds are generous time limits, not speed assertions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  launch,
  openDrawer,
  openPage,
  startServer,
  stepOf,
  testElbo,
  text,
  waitFor,
} from './harness.mjs';

const MINUTE = 60_000;
// A small VAE on wasm: quick steps on a loaded machine.
const SETTINGS = 'backend=wasm&hidden=128&seed=3';
let server;
let dir;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'latent-lab-runs-'));
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ready(page) {
  const toggle = page.getByTestId('train-toggle');
  await waitFor(() => toggle.isEnabled(), 3 * MINUTE, 'the model to be ready');
  await waitFor(() => testElbo(page), 2 * MINUTE, 'the first evaluation');
  return toggle;
}

async function trainUntil(page, toggle, step) {
  if ((await toggle.textContent()) === 'Train') await toggle.click();
  await waitFor(async () => ((await stepOf(page)) ?? 0) >= step, 4 * MINUTE, `step ${step}`);
}

async function pause(page, toggle) {
  await toggle.click();
  await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'training to pause');
}

const savedRunCount = async (page) => page.getByTestId('saved-run').count();
const notices = async (page) => (await text(page, 'notice')) ?? '';

/**
 * The x values of the loss chart's shown traces, [train …, test …] for each term, from its CSV
 * download (an x column, then one column per trace, empty where a trace has no point).
 */
async function chartSteps(page) {
  const button = page.getByRole('button', {
    name: /^CSV: download the shown curves of Loss terms/,
  });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), 'loss-terms.csv');
  const [head, ...rows] = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  const cells = rows.map((r) => r.split(','));
  return head
    .split(',')
    .slice(1)
    .map((name, j) => ({
      name,
      x: cells.filter((c) => c[j + 1] !== '').map((c) => Number(c[0])),
    }));
}

/** The reconstruction row of the canvas, and the step its caption names. */
async function reconstructions(page) {
  return page.evaluate(() => {
    const c = /** @type {HTMLCanvasElement} */ (
      document.querySelector('[data-testid="reconstructions"]')
    );
    const m = /at step (\d+)/.exec(c.getAttribute('aria-label') ?? '');
    const { data } = c
      .getContext('2d')
      .getImageData(0, c.height / 2 + 1, c.width, c.height / 2 - 1);
    return { step: m ? Number(m[1]) : null, pixels: Array.from(data) };
  });
}

/**
 * The reconstructions once the caption names `step` and two reads agree (the caption is
 * rendered just before the canvas is drawn, so one read could still show the previous ones).
 */
async function reconstructionsAt(page, step) {
  let previous = null;
  return waitFor(
    async () => {
      const r = await reconstructions(page);
      const same = previous && r.step === step && r.pixels.join() === previous.pixels.join();
      previous = r.step === step ? r : null;
      return same ? r : null;
    },
    2 * MINUTE,
    `reconstructions at step ${step}`,
  );
}

test(
  'reload mid-training: "Resume run" continues at the saved step with the curves restored',
  { timeout: 12 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/?${SETTINGS}`);
      let toggle = await ready(page);
      assert.equal(await page.getByTestId('resume-run').count(), 0, 'nothing to resume yet');
      await trainUntil(page, toggle, 150);
      await waitFor(async () => (await savedRunCount(page)) >= 1, 2 * MINUTE, 'an autosave');
      const before = await stepOf(page);

      await page.reload(); // while training
      toggle = await ready(page);
      const resume = page.getByTestId('resume-run');
      await waitFor(() => resume.isVisible(), MINUTE, 'the resume button');
      const label = (await resume.textContent()) ?? '';
      assert.match(label, /^Resume run \(VAE, step [\d,]+, saved \d\d:\d\d\)$/);
      const saved = Number(/step ([\d,]+)/.exec(label)[1].replace(/,/g, ''));
      assert.ok(saved > 0 && saved <= before + 1000, `saved step ${saved} (was at ${before})`);
      assert.equal(await stepOf(page), 0, 'the reloaded page starts a fresh run');

      console.log(`# trained to step ${before}, reloaded; offered: ${label}`);
      await resume.click();
      await waitFor(async () => (await stepOf(page)) === saved, MINUTE, `step ${saved}`);
      await waitFor(async () => !(await resume.isVisible()), MINUTE, 'the offer to go');
      // The restored curves reach the chart after the resumed run's first update: wait for them.
      // (Evaluations run on a time budget: the test curve's second point may be the resumed
      // run's first evaluation.)
      await waitFor(
        async () => {
          const c = await chartSteps(page);
          const n = (prefix) => c.find((t) => t.name.startsWith(prefix))?.x.length ?? 0;
          return n('train') > 10 && n('test') >= 2;
        },
        MINUTE,
        'the restored train and test curves',
      ).catch(() => {}); // the assertions below say what is missing
      const curves = await chartSteps(page);
      const train = curves.find((t) => t.name.startsWith('train'));
      const testCurve = curves.find((t) => t.name.startsWith('test'));
      assert.ok(train.x.length > 10, `the train curve is back (${train.x.length} points)`);
      assert.ok(Math.max(...train.x) <= saved, 'up to the saved step');
      assert.ok(testCurve.x.length >= 2, `the test curve is back (${testCurve.x.length} points)`);
      assert.match(await notices(page), /Resumed ".*" \(VAE\) at step/);

      await trainUntil(page, toggle, saved + 20);
      await pause(page, toggle);
      const after = await chartSteps(page);
      const trainAfter = after.find((t) => t.name.startsWith('train'));
      assert.ok(Math.min(...trainAfter.x) < saved, 'the old curve continues');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test(
  'an exported run imports back to the same reconstructions; damaged files are refused by name',
  { timeout: 12 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/?${SETTINGS}`);
      const toggle = await ready(page);
      await trainUntil(page, toggle, 100);
      await pause(page, toggle);
      const step = await stepOf(page);
      const original = await reconstructionsAt(page, step);

      await openDrawer(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-run').click(),
      ]);
      assert.match(download.suggestedFilename(), new RegExp(`-step${step}\\.latentlab$`));
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      assert.match(await notices(page), /Exported .*\.latentlab/);
      console.log(`# exported ${download.suggestedFilename()} at step ${step}`);

      // A fresh run, then damaged copies: each refused with its reason, the run untouched.
      await page.getByTestId('reset').click();
      await waitFor(async () => (await stepOf(page)) === 0, MINUTE, 'a fresh run');
      const fresh = await reconstructionsAt(page, 0);
      assert.notDeepEqual(fresh.pixels, original.pixels, 'a fresh model reconstructs differently');
      const bytes = readFileSync(file);
      const headerLength = bytes.readUInt32LE(16);
      const header = JSON.parse(bytes.subarray(20, 20 + headerLength).toString('utf8'));
      const withHeader = (change) => {
        const h = Buffer.from(JSON.stringify(change(structuredClone(header))));
        const b = Buffer.alloc(20);
        bytes.copy(b, 0, 0, 20);
        b.writeUInt32LE(h.length, 16);
        return Buffer.concat([b, h, bytes.subarray(20 + headerLength)]);
      };
      const version = Buffer.from(bytes);
      version.writeUInt32LE(2, 12);
      const damaged = [
        ['cut.latentlab', bytes.subarray(0, bytes.length - 1000), /truncated/],
        ['v2.latentlab', version, /version 2 is not supported/],
        [
          'gan.latentlab',
          withHeader((h) => ((h.meta.config.model = 'gan'), h)),
          /unknown model "gan"/,
        ],
        [
          'wide.latentlab',
          withHeader((h) => ((h.meta.config.hiddenDim = 256), h)),
          /has shape \[.*\], the model expects/,
        ],
      ];
      for (const [name, content, why] of damaged) {
        writeFileSync(join(dir, name), content);
        await page.getByTestId('import-run').setInputFiles(join(dir, name));
        const escaped = name.replace('.', '\\.');
        await waitFor(
          async () => new RegExp(`Could not load ${escaped}: `).test(await notices(page)),
          MINUTE,
          `a notice refusing ${name}`,
        );
        const said = (await notices(page)).split('Could not load ').pop();
        assert.match(said, why, `${name}: ${said}`);
        assert.match(said, /current run is unchanged/);
        assert.equal(await stepOf(page), 0, `${name} left the run at step 0`);
      }
      assert.deepEqual((await reconstructions(page)).pixels, fresh.pixels, 'the run is untouched');

      await page.getByTestId('import-run').setInputFiles(file);
      await waitFor(async () => (await stepOf(page)) === step, MINUTE, `step ${step} again`);
      const imported = await reconstructionsAt(page, step);
      assert.deepEqual(
        imported.pixels,
        original.pixels,
        'the same reconstructions, pixel for pixel',
      );
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

test(
  'learning rate 1000 pauses with an explanation, and "Roll back" restores a finite loss',
  { timeout: 10 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?${SETTINGS}&lr=1000`,
      );
      const toggle = await ready(page);
      await toggle.click();
      const explained = await waitFor(
        async () => {
          const t = await notices(page);
          return /so training paused/.test(t) ? t : null;
        },
        3 * MINUTE,
        'the divergence notice',
      );
      assert.match(
        explained,
        /(loss became|weight became) (NaN|Infinity|-Infinity|NaN or infinite)/,
      );
      assert.match(explained, /learning rate 1000 is far above/);
      await waitFor(async () => (await toggle.textContent()) === 'Train', MINUTE, 'a paused run');
      const rollback = page.getByTestId('rollback');
      await waitFor(() => rollback.isEnabled(), MINUTE, 'the roll-back button');
      const target = Number(/Roll back to step ([\d,]+)/.exec(await rollback.textContent())[1]);
      console.log(`# ${explained.split('.').slice(0, 2).join('.')}; roll back to step ${target}`);

      await page.getByTestId('setting-lr').selectOption('0.001');
      await rollback.click();
      await waitFor(async () => (await stepOf(page)) === target, MINUTE, `step ${target}`);
      await waitFor(async () => /Rolled back to step/.test(await notices(page)), MINUTE, 'notice');
      await waitFor(async () => !(await rollback.isVisible()), MINUTE, 'the button to go');
      const elbo = await waitFor(() => testElbo(page), MINUTE, 'a finite test loss');
      assert.ok(Number.isFinite(elbo), `test −ELBO ${elbo}`);

      await trainUntil(page, toggle, target + 30);
      await pause(page, toggle);
      const status = (await text(page, 'status')) ?? '';
      const train = Number(/train −ELBO ([\d.]+) nats/.exec(status)?.[1]);
      assert.ok(Number.isFinite(train), `training goes on with a finite loss: ${status}`);
      assert.equal(await rollback.count(), 0, 'no new divergence');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);

/**
 * Crashes the training worker from outside, as a real crash would: an error thrown in one of its
 * tasks and caught by nothing, which the page's client sees as the worker's `error` event. (The
 * device-benchmark workers run the same script under another name.)
 * @param {import('playwright-core').Page} page
 */
async function crashTrainingWorker(page) {
  for (const worker of page.workers()) {
    const name = await worker.evaluate(() => self.name).catch(() => null);
    if (name !== 'latent-lab-trainer') continue;
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('injected crash');
      });
    });
    return;
  }
  throw new Error('no training worker on the page');
}

test(
  'a crashed worker restarts on the next backend and resumes from the last autosave',
  { timeout: 12 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(browser.context, `${server.url}/?${SETTINGS}`);
      const toggle = await ready(page);
      assert.equal(await text(page, 'backend'), 'wasm');
      await trainUntil(page, toggle, 100);
      await waitFor(async () => (await savedRunCount(page)) >= 1, 2 * MINUTE, 'an autosave');
      const before = await stepOf(page);

      await crashTrainingWorker(page);
      const said = await waitFor(
        async () => {
          const m = /worker crashed.*?Restarted on the cpu backend from step ([\d,]+)/.exec(
            await notices(page),
          );
          return m ? Number(m[1].replace(/,/g, '')) : null;
        },
        MINUTE,
        'a notice about the crash and the restart',
      );
      assert.ok(said > 0 && said <= before + 1000, `resumed from step ${said}`);
      await waitFor(async () => (await text(page, 'backend')) === 'cpu', 3 * MINUTE, 'cpu');
      await waitFor(
        async () => /Resumed at step \d+ on cpu/.test(await notices(page)),
        3 * MINUTE,
        'the resumed run',
      );
      // It was training, so it trains on, from the autosave's step.
      await waitFor(async () => ((await stepOf(page)) ?? 0) > said, 4 * MINUTE, 'more steps');
      const curves = await chartSteps(page);
      const train = curves.find((t) => t.name.startsWith('train'));
      assert.ok(Math.min(...train.x) < said, 'the curve from before the crash is kept');
      console.log(`# crashed at step ≥ ${before}, resumed on cpu from ${said}`);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
