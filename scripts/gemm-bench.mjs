// Benchmarks the generated WebAssembly SIMD GEMM (src/backends/gemm) in Node on the MLP VAE's matmul
// shapes: one thread, two threads (a worker_threads helper over the same shared memory, as the
// browser's helper worker), two threads plus the copies in and out of TF.js's heap that the app's
// route makes, and TF.js wasm's own BatchMatMul (XNNPACK for untransposed products; the stock
// scalar loop for transposed ones, which the app avoids with explicit transposes).
//   node scripts/gemm-bench.mjs [--rounds 7] [--mr 6]
// Prints the median over interleaved rounds and the fastest round, and the load average: on a
// busy machine the medians mostly measure the other processes; the fastest round shows what two
// threads do when both cores happen to be free.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, mr: { type: 'string', default: '6' } },
});
const ROUNDS = Number(opts.rounds);

// src/backends/gemm/*.ts → plain ES modules in a temporary folder (relative imports get .mjs).
const src = resolve(import.meta.dirname, '../src/backends/gemm');
const out = mkdtempSync(join(tmpdir(), 'gemm-bench-'));
mkdirSync(out, { recursive: true });
for (const f of readdirSync(src).filter((f) => f.endsWith('.ts') && !f.includes('.worker.'))) {
  const { outputText } = ts.transpileModule(readFileSync(join(src, f), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(
    join(out, f.replace(/\.ts$/, '.mjs')),
    outputText.replace(/from '(\.\/[^']+)'/g, "from '$1.mjs'"),
  );
}
writeFileSync(
  join(out, 'helper.mjs'),
  `import { workerData, parentPort } from 'node:worker_threads';
import { helperLoop } from './gemm-team.mjs';
const { module, memory, ctl } = workerData;
const instance = await WebAssembly.instantiate(module, { env: { memory } });
parentPort.postMessage('ready');
helperLoop(memory, instance.exports.gemm, ctl);
parentPort.postMessage('quit');
`,
);
const { buildGemmModule, scratchBytes } = await import(join(out, 'gemm-module.mjs'));
const { GemmTeam } = await import(join(out, 'gemm-team.mjs'));

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');

const memory = new WebAssembly.Memory({ initial: 512, maximum: 16384, shared: true });
const module = await WebAssembly.compile(
  buildGemmModule({ shared: true, mr: Number(opts.mr), maxPages: 16384 }),
);
const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
const helper = new Worker(join(out, 'helper.mjs'), { workerData: { module, memory, ctl: 0 } });
await new Promise((r) => helper.once('message', r));
const team = new GemmTeam(memory, exports.gemm, 0);
const f32 = new Float32Array(memory.buffer);

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const shapes = [
  { m: 128, k: 784, n: 512, ta: false, tb: false, what: 'x·W (encoder)' },
  { m: 128, k: 512, n: 784, ta: false, tb: false, what: 'h·W (decoder out)' },
  { m: 128, k: 512, n: 784, ta: false, tb: true, what: 'dy·Wᵀ' },
  { m: 784, k: 128, n: 512, ta: true, tb: false, what: 'xᵀ·dy' },
  { m: 128, k: 512, n: 4, ta: false, tb: false, what: 'h·W (to latent)' },
];
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${ROUNDS} rounds`,
);
for (const { m, k, n, ta, tb, what } of shapes) {
  const sb = scratchBytes(k);
  const own = { pbuf: 1024, tmp: 1024 + sb.pbuf };
  const hel = { pbuf: own.tmp + 1024, tmp: own.tmp + 1024 + sb.pbuf };
  const a = 1 << 20;
  const b = a + m * k * 4 + 64;
  const c = b + k * n * 4 + 64;
  const host = new Float32Array(m * k + k * n + m * n); // stands in for TF.js's heap
  for (let i = 0; i < m * k + k * n; i++) host[i] = Math.random() - 0.5;
  const g = {
    a,
    sam: ta ? 4 : k * 4,
    sak: ta ? m * 4 : 4,
    b,
    sbk: tb ? 4 : n * 4,
    sbn: tb ? k * 4 : 4,
    c,
    ldc: n * 4,
    m,
    n,
    k,
  };
  const ta_ = tf.randomNormal(ta ? [k, m] : [m, k]);
  const tb_ = tf.randomNormal(tb ? [n, k] : [k, n]);
  const flop = 2 * m * n * k;
  const reps = Math.max(3, Math.round(3e7 / flop));
  const ways = {
    'one thread': () => team.runAlone(g, own),
    'two threads': () => team.run(g, own, hel),
    'two + copies': () => {
      f32.set(host.subarray(0, m * k), a / 4);
      f32.set(host.subarray(m * k, m * k + k * n), b / 4);
      team.run(g, own, hel);
      host.set(f32.subarray(c / 4, c / 4 + m * n), m * k + k * n);
    },
    'tfjs wasm': () => tf.tidy(() => tf.matMul(ta_, tb_, ta, tb)).dataSync(),
  };
  const times = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
  for (const f of Object.values(ways)) f();
  for (let r = 0; r < ROUNDS; r++)
    for (const [w, f] of Object.entries(ways)) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f();
      times[w].push((performance.now() - t0) / reps);
    }
  tf.dispose([ta_, tb_]);
  const cells = Object.entries(times).map(([w, t]) => {
    const ms = median(t);
    const best = Math.min(...t);
    return `${w} ${ms.toFixed(3)} ms ${(flop / ms / 1e6).toFixed(1)} GFLOP/s (best round ${(flop / best / 1e6).toFixed(1)})`;
  });
  console.log(`[${m},${k}]·[${k},${n}] ta=${+ta} tb=${+tb} ${what}\n  ${cells.join(' | ')}`);
}
team.quit();
await new Promise((r) => helper.once('message', r));
await helper.terminate();
rmSync(out, { recursive: true, force: true });
