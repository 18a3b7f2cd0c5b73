// The bench page (npm run bench) in quick mode, MLP VAE on wasm only: ours and the naive TF.js
// loop both train for real. Asserts facts, never speed: a positive finite rate, no tensor leak
// per step, first-step losses at the untrained model's value, and the same first loss both ways
// (same seed, same weights, same first batch), and a kernel profile whose parts add up. Builds
// dist-bench/ itself (never dist/).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBench, startBenchServer } from '../../scripts/bench/browser.mjs';
import { buildBench } from '../../scripts/bench/build.mjs';
import { planFor } from '../../scripts/bench/plan.mjs';
import { termMismatches } from '../../scripts/bench/table.mjs';

const MINUTE = 60_000;
/**
 * −ELBO of the untrained MLP VAE on grey MNIST: the decoder's logits start near 0, so recon ≈
 * 784·ln 2 = 543.4 nats, and the KL of a near-standard posterior is small. A real run gives
 * 548.9 (recon 548.7 + KL 0.27, seed 1); the range only rules out nonsense (0, NaN, a trained
 * or a broken model).
 */
const UNTRAINED_NEG_ELBO = [520, 580];

let server;
before(
  async () => {
    if (!process.env.BENCH_DIST) await buildBench({ node: false });
    server = await startBenchServer();
  },
  { timeout: 5 * MINUTE },
);
after(async () => {
  await server?.close();
});

test(
  'bench page, quick, MLP VAE on wasm: ours and naive train for real',
  { timeout: 10 * MINUTE },
  async () => {
    const bench = await openBench(server.url, 'wasm');
    try {
      const request = {
        type: 'run',
        backend: 'wasm',
        model: 'mlp-vae',
        datasetsUrl: new URL('/datasets/', server.url).href,
        plan: planFor({ quick: true, backend: 'wasm', model: 'mlp-vae' }),
      };
      // Ours with two more steps under the kernel profiler; naive ignores the ask.
      const ours = await bench.run({ ...request, profileSteps: 2 }, 'ours');
      const naive = await bench.run({ ...request, profileSteps: 2 }, 'naive');

      for (const run of [ours, naive]) {
        const who = run.way;
        assert.equal(run.backend, 'wasm', who);
        assert.equal(run.batchSize, 128, who);
        assert.ok(
          Number.isFinite(run.imagesPerSec) && run.imagesPerSec > 0,
          `${who} rate ${run.imagesPerSec}`,
        );
        assert.ok(
          run.stepMs.length >= 1 && run.stepMs.every((ms) => ms > 0),
          `${who} ${run.stepMs}`,
        );
        assert.ok(run.firstStepMs > 0, who);
        // The model and Adam's state exist after warm-up; timed steps leave nothing behind.
        assert.ok(
          run.numTensors.afterWarmup > run.numTensors.before,
          `${who} ${JSON.stringify(run.numTensors)}`,
        );
        assert.equal(
          run.numTensors.after,
          run.numTensors.afterWarmup,
          `${who}: tensors leak per step`,
        );
        // The driver read the worker's heap over the DevTools protocol.
        assert.ok(
          run.heap.before > 0 && run.heap.after > 0,
          `${who} heap ${JSON.stringify(run.heap)}`,
        );
      }

      // The profile: self times per category add up to the kernels' time, within the wall time;
      // the MLP's step is mostly products, and it runs no convolution.
      const p = ours.profile;
      assert.equal(naive.profile, null);
      assert.equal(p.steps, 2);
      const categorySum = Object.values(p.categories).reduce((a, x) => a + x, 0);
      assert.ok(Math.abs(categorySum - p.kernelMs) < 1e-6 * p.kernelMs, JSON.stringify(p));
      assert.ok(p.kernelMs > 0 && p.kernelMs <= p.stepMs, `${p.kernelMs} of ${p.stepMs} ms`);
      assert.ok(p.categories.products > 0 && p.categories.convolutions === 0, JSON.stringify(p));
      assert.ok(p.kernels.some((k) => k.kernel === 'BatchMatMul' && k.calls > 0));

      const { negElbo, recon, kl } = ours.firstTerms;
      const [lo, hi] = UNTRAINED_NEG_ELBO;
      assert.ok(negElbo > lo && negElbo < hi, `ours first −ELBO ${negElbo}`);
      assert.ok(kl >= 0 && kl < 10, `ours first KL ${kl}`);
      assert.ok(Math.abs(recon + kl - negElbo) < 1e-3 * negElbo, 'recon + KL = −ELBO');
      // Naive reads its objective, which at step 1 (β = 1, no warm-up) is the −ELBO of the same batch.
      assert.ok(
        Math.abs(naive.firstTerms.total - negElbo) < 0.05,
        `naive ${naive.firstTerms.total} vs ours ${negElbo}`,
      );
      assert.deepEqual(bench.errors, [], 'no page errors');
    } finally {
      await bench.close();
    }
  },
);

test(
  'bench page, quick, MLP VAE on wasm: the GEMM pinned to one thread, then to two',
  { timeout: 10 * MINUTE },
  async () => {
    const bench = await openBench(server.url, 'wasm');
    try {
      const request = {
        type: 'run',
        backend: 'wasm',
        model: 'mlp-vae',
        datasetsUrl: new URL('/datasets/', server.url).href,
        plan: planFor({ quick: true, backend: 'wasm', model: 'mlp-vae' }),
      };
      const one = await bench.run({ ...request, matmul: 'one-thread' }, 'ours');
      const two = await bench.run({ ...request, matmul: 'two-threads' }, 'ours');
      // Which route each product took: none on two threads when pinned to one; on two threads,
      // every product our GEMM takes (the MLP's big products are all above its size threshold).
      assert.equal(one.matmul.mode, 'one-thread');
      assert.equal(one.matmul.twoThreadCalls, 0, JSON.stringify(one.matmul));
      assert.ok(one.matmul.zeroCopyCalls + one.matmul.sharedCalls > 0, JSON.stringify(one.matmul));
      assert.equal(two.matmul.mode, 'two-threads');
      assert.ok(two.matmul.twoThreadCalls > 0, JSON.stringify(two.matmul));
      assert.equal(two.matmul.zeroCopyCalls, 0, JSON.stringify(two.matmul));
      // The same first loss both ways: the route changes where a product runs, not its value.
      assert.ok(
        Math.abs(one.firstTerms.negElbo - two.firstTerms.negElbo) < 1e-3,
        `${one.firstTerms.negElbo} vs ${two.firstTerms.negElbo}`,
      );
      for (const run of [one, two])
        assert.equal(run.numTensors.after, run.numTensors.afterWarmup, 'no tensors leak per step');
      assert.deepEqual(bench.errors, [], 'no page errors');
    } finally {
      await bench.close();
    }
  },
);

test('bench table: a backend whose first-step terms differ from the first row is named', () => {
  const row = (backend, model, firstTerms) => ({
    runtime: 'browser',
    backend,
    model,
    ours: { firstTerms },
  });
  const rows = [
    row('wasm', 'vq-vae', { recon: 553.6, codebook: 13.6 }),
    row('webgl', 'vq-vae', { recon: 553.6, codebook: 13.62 }), // rounding: no warning
    row('webgpu', 'vq-vae', { recon: 538.8, codebook: 135.5 }), // a kernel bug
    row('wasm', 'mlp-vae', { negElbo: 548.95 }),
    row('cpu', 'mlp-vae', { negElbo: 548.95 }),
  ];
  const warnings = termMismatches(rows);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /webgpu vq-vae: first-step recon, codebook 538\.8, 135\.5 differ/);
});
