// The table `npm run bench` prints: Markdown, one row per runtime × backend × model, ready to
// paste into the README; a second table for our wasm GEMM pinned to one thread and to two; a line
// per profiled model (ours on wasm) on where a step's time goes; notes below for what did not
// run, and each sequence model's rates in tokens/s (the prior's "img/s" are sequences of 49 codes
// per second).
import { TOKENS_PER_IMAGE } from './plan.mjs';

const MB = 2 ** 20;

export function rate(x) {
  if (x === null || x === undefined) return '–';
  const digits = x >= 100 ? 0 : 1;
  return `${x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} img/s`;
}

const times = (x) => (x === null ? '–' : `${x.toFixed(2)}×`);
const mb = (x) => (x === null ? '?' : (x / MB).toFixed(1));

const HEADER = [
  'runtime',
  'backend',
  'model',
  'ours',
  'naive TF.js',
  'ours/naive',
  'PyTorch CPU',
  'ours/PyTorch',
  'first step',
  'tensors before→warm→after',
  'heap MB before→after',
];

function cells(row, torchRate) {
  const o = row.ours;
  return [
    row.runtime,
    row.backend,
    row.model,
    rate(o?.imagesPerSec),
    rate(row.naive?.imagesPerSec),
    times(row.oursOverNaive),
    rate(torchRate[row.model]),
    times(row.oursOverTorch),
    o ? `${Math.round(o.firstStepMs).toLocaleString('en')} ms` : '–',
    o ? `${o.numTensors.before}→${o.numTensors.afterWarmup}→${o.numTensors.after}` : '–',
    o ? `${mb(o.heapBytes.before)}→${mb(o.heapBytes.after)}` : '–',
  ];
}

function markdown(header, body) {
  const all = [header, ...body];
  const width = header.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((s, i) => s.padEnd(width[i])).join(' | ')} |`;
  const rule = `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)];
}

const THREAD_HEADER = [
  'backend',
  'model',
  'ours (auto)',
  'GEMM on 1 thread',
  'GEMM on 2 threads',
  '2 threads / 1 (whole step)',
  'products on 2 threads',
  "helper's share",
];

/**
 * Ours on wasm with the GEMM pinned to one and to two threads (rows that have them); the ratio
 * is of the whole training step's images/s, two threads over one.
 */
function threadTable(rows) {
  const body = rows
    .filter((r) => r.threads)
    .map((r) => {
      const t = r.threads;
      const m = t.two?.matmul;
      const share = m
        ? `${m.twoThreadCalls} of ${m.sharedCalls + m.zeroCopyCalls + m.stockCalls}`
        : '–';
      return [
        r.backend,
        r.model,
        rate(r.ours?.imagesPerSec),
        rate(t.one?.imagesPerSec),
        rate(t.two?.imagesPerSec),
        times(t.twoOverOne),
        share,
        // Of the chunks of the two-thread jobs, the share the helper computed (0.5: even).
        m?.helperChunks ? `${Math.round(100 * m.helperShare)} %` : '–',
      ];
    });
  return body.length ? ['', ...markdown(THREAD_HEADER, body)] : [];
}

/**
 * Same seed, same weights, same first batch: ours computes the same first-step loss terms on
 * every backend, up to float rounding. A row whose terms differ from the first row of its model
 * by more than 1 % computes something else (a kernel bug): one warning line each.
 */
export function termMismatches(rows) {
  const out = [];
  const reference = new Map();
  for (const r of rows) {
    const terms = r.ours?.firstTerms;
    if (!r.model || !terms) continue;
    const ref = reference.get(r.model);
    if (!ref) {
      reference.set(r.model, { row: r, terms });
      continue;
    }
    const off = Object.keys(ref.terms).filter((k) => {
      const a = terms[k];
      const b = ref.terms[k];
      return !(Math.abs(a - b) <= 0.01 * Math.max(1, Math.abs(b)));
    });
    if (off.length)
      out.push(
        `WARNING ${r.runtime} ${r.backend} ${r.model}: first-step ${off.join(', ')} ` +
          `${off.map((k) => terms[k]).join(', ')} differ from ${ref.row.runtime} ${ref.row.backend}'s ` +
          `${off.map((k) => ref.terms[k]).join(', ')}`,
      );
  }
  return out;
}

const tokens = (x, perImage) =>
  x === null || x === undefined ? '–' : `${Math.round(x * perImage).toLocaleString('en')} tokens/s`;

/**
 * One note per row of a sequence model (the prior): its rates in tokens/s = sequences/s × tokens
 * per sequence, ours, naive and PyTorch's.
 */
export function tokenNotes(rows, torchRate) {
  const out = [];
  for (const r of rows) {
    const perImage = TOKENS_PER_IMAGE[r.model];
    if (!perImage) continue;
    out.push(
      `${r.runtime} ${r.backend} ${r.model} in tokens/s (img/s = sequences/s, × ${perImage} codes each): ` +
        `ours ${tokens(r.ours?.imagesPerSec, perImage)}, naive ${tokens(r.naive?.imagesPerSec, perImage)}, ` +
        `PyTorch ${tokens(torchRate[r.model], perImage)}; its first step includes encoding the ` +
        `training set once (naive: codes read back to the host; ours: a code table on the device)`,
    );
  }
  return out;
}

const ms = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

/**
 * One line per row with a kernel profile (ours on wasm): wall ms per step of the profiled steps,
 * the kernels' share, each category's share of the wall time (the kernels the model asked for,
 * with the kernels they ran: kernel-categories.ts; they add up), the time outside kernels (JS,
 * tape, optimizer bookkeeping), and the three slowest kernels by self time.
 */
export function profileLines(rows) {
  const out = [];
  for (const r of rows) {
    const p = r.ours?.profile;
    if (!r.model || !p || !(p.stepMs > 0)) continue;
    const pct = (x) => `${Math.round((100 * x) / p.stepMs)} %`;
    const shares = Object.entries(p.categories).map(([c, x]) => `${c} ${pct(x)}`);
    // Of the convolutions' share, the copies and math they run through other kernels.
    if (p.underConvolutions > 0)
      shares[0] += ` (${pct(p.underConvolutions)} in other kernels they run)`;
    shares.push(`outside kernels ${pct(Math.max(0, p.stepMs - p.kernelMs))}`);
    const slowest = p.kernels.slice(0, 3).map((k) => `${k.kernel} ${pct(k.ms)}`);
    out.push(
      `${r.runtime} ${r.backend} ${r.model}: ${ms(p.stepMs)} ms/step, ${ms(p.kernelMs)} in kernels — ` +
        `${shares.join(', ')} (slowest: ${slowest.join(', ')})`,
    );
  }
  return out;
}

/** The results JSON (results.mjs) as a Markdown table plus notes. */
export function formatTable(results) {
  const torchRate = Object.fromEntries(results.torch.rows.map((t) => [t.model, t.imagesPerSec]));
  const body = results.rows.filter((r) => r.model !== null).map((r) => cells(r, torchRate));
  const out = [...markdown(HEADER, body), ...threadTable(results.rows)];
  const profiles = profileLines(results.rows);
  if (profiles.length)
    out.push(
      '',
      'Where a step goes (ours, a few steps after the timed ones under a kernel timer; each ' +
        "kind's share of the wall time per step, the kernels it ran included; slowest kernels " +
        'by self time):',
      '',
      ...profiles.map((l) => `- ${l}`),
    );

  const notes = [...tokenNotes(results.rows, torchRate)];
  for (const r of results.rows) {
    if (r.model === null) notes.push(`${r.runtime} ${r.backend}: not measured (${r.error})`);
    else if (r.error) notes.push(`${r.runtime} ${r.backend} ${r.model}: ${r.error}`);
    if (r.threads?.error) notes.push(`${r.runtime} ${r.backend} ${r.model}: ${r.threads.error}`);
  }
  for (const w of termMismatches(results.rows)) notes.push(w);
  const devices = new Map();
  for (const r of results.rows) if (r.ours?.device) devices.set(r.backend, r.ours.device);
  for (const [backend, device] of devices) notes.push(`${backend} runs on ${device}`);
  if (results.rows.some((r) => r.backend === 'webgpu' && r.naive))
    notes.push('naive on webgpu reads its loss with await data(): dataSync returned 0 there');
  const t = results.torch;
  if (t.status === 'ran') notes.push(`PyTorch ${t.version}, CPU, ${t.threads} threads`);
  if (t.probe) {
    const ratio = (t.probe.twoThreads / t.probe.oneThread).toFixed(2);
    notes.push(
      `the second core for compute-bound work here: PyTorch's own GEMM (1024³) runs ` +
        `${t.probe.oneThread} GFLOP/s on 1 thread and ${t.probe.twoThreads} on 2 (${ratio}×)`,
    );
  } else notes.push(`PyTorch ${t.status}: ${t.reason}`);
  const m = results.machine;
  notes.push(
    `${m.cpu ?? 'unknown CPU'}, ${m.cores} cores; load average ${m.loadAverage.join(' ')} at the start, ${m.loadAverageAtEnd.join(' ')} at the end` +
      (results.quick ? '; --quick (few rounds: a smoke test, not a measurement)' : ''),
  );
  return [...out, '', ...notes.map((n) => `- ${n}`)].join('\n');
}
