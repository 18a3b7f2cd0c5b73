// A checkpoint written by the CLI (`npm run train -- --save DIR`) loads into the web app, and a
// damaged one is refused with a message naming the file while the current run stays as it was.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, openPage, startServer, stepOf, testElbo, text, waitFor } from './harness.mjs';

const MINUTE = 60_000;
let server;
let dir;
let saved;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'latent-lab-ckpt-'));
  // One epoch of a 2-D VAE on 3,200 training digits: 25 steps, a few seconds on wasm.
  const out = execFileSync(
    process.execPath,
    [
      'dist-cli/train.mjs',
      '--model',
      'vae',
      '--latent',
      '2',
      '--hidden',
      '256',
      '--limit',
      '3200',
      '--epochs',
      '1',
      '--save',
      dir,
    ],
    { encoding: 'utf8' },
  );
  saved = JSON.parse(out.trim().split('\n').pop());
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'a CLI checkpoint loads into the app; a truncated one is refused, naming the file',
  { timeout: 8 * MINUTE },
  async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}/?backend=wasm&seed=5`,
      );
      const toggle = page.getByTestId('train-toggle');
      await waitFor(() => toggle.isEnabled(), 2 * MINUTE, 'the model to be ready');
      const untrained = await waitFor(() => testElbo(page), MINUTE, 'the first evaluation');

      // A truncated weights file: refused with the file named, and the run untouched.
      const cut = join(dir, 'cut');
      rmSync(cut, { recursive: true, force: true });
      execFileSync('mkdir', ['-p', cut]);
      writeFileSync(join(cut, 'checkpoint.json'), readFileSync(join(dir, 'checkpoint.json')));
      const weights = readFileSync(join(dir, 'weights.bin'));
      writeFileSync(join(cut, 'weights.bin'), weights.subarray(0, weights.length - 100));
      await page
        .getByTestId('import-run')
        .setInputFiles([join(cut, 'checkpoint.json'), join(cut, 'weights.bin')]);
      const refusal = await waitFor(
        async () => {
          const t = (await text(page, 'notice')) ?? '';
          return /Could not load checkpoint\.json \+ weights\.bin: .*truncated/.test(t) ? t : null;
        },
        MINUTE,
        'a notice naming the truncated checkpoint',
      );
      assert.match(refusal, /current run is unchanged/);
      assert.equal(await stepOf(page), 0, 'the current run is still at step 0');
      assert.equal(await testElbo(page), untrained, 'and shows the same test −ELBO');

      // The real checkpoint: the model, its step and a trained loss appear.
      await page
        .getByTestId('import-run')
        .setInputFiles([join(dir, 'checkpoint.json'), join(dir, 'weights.bin')]);
      await waitFor(
        async () => (await stepOf(page)) === saved.step,
        MINUTE,
        `step ${saved.step} from the checkpoint`,
      );
      const loaded = await waitFor(
        async () => {
          const v = await testElbo(page);
          return v !== null && v !== untrained ? v : null;
        },
        MINUTE,
        'the evaluation of the loaded model',
      );
      console.log(
        `# untrained −ELBO ${untrained}, loaded ${loaded}; CLI test −ELBO ${saved.test.negElbo} (all 10,000 digits)`,
      );
      // The app evaluates 2,000 of the test digits, the CLI all 10,000: close, not equal.
      assert.ok(
        Math.abs(loaded - saved.test.negElbo) < 0.1 * saved.test.negElbo,
        'the loaded model scores like the CLI run',
      );
      assert.ok(loaded < untrained - 100, 'far better than an untrained model');
      assert.equal(
        await page.getByTestId('setting-hidden').inputValue(),
        '256',
        "the controls show the checkpoint's settings",
      );
      assert.match(page.url(), /hidden=256/, 'and so does the URL');
      // Training continues from the loaded step.
      await page.getByTestId('step').click();
      await waitFor(async () => (await stepOf(page)) === saved.step + 1, MINUTE, 'one more step');
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser.close();
    }
  },
);
