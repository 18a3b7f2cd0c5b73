// The table `npm run bench` prints: Markdown, one row per runtime × backend × model, ready to
// paste into the README; notes below it for what did not run.
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

/** The results JSON (results.mjs) as a Markdown table plus notes. */
export function formatTable(results) {
  const torchRate = Object.fromEntries(results.torch.rows.map((t) => [t.model, t.imagesPerSec]));
  const body = results.rows.filter((r) => r.model !== null).map((r) => cells(r, torchRate));
  const all = [HEADER, ...body];
  const width = HEADER.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((s, i) => s.padEnd(width[i])).join(' | ')} |`;
  const rule = `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`;
  const out = [line(HEADER), rule, ...body.map(line)];

  const notes = [];
  for (const r of results.rows) {
    if (r.model === null) notes.push(`${r.runtime} ${r.backend}: not measured (${r.error})`);
    else if (r.error) notes.push(`${r.runtime} ${r.backend} ${r.model}: ${r.error}`);
  }
  const devices = new Map();
  for (const r of results.rows) if (r.ours?.device) devices.set(r.backend, r.ours.device);
  for (const [backend, device] of devices) notes.push(`${backend} runs on ${device}`);
  if (results.rows.some((r) => r.backend === 'webgpu' && r.naive))
    notes.push('naive on webgpu reads its loss with await data(): dataSync returned 0 there');
  const t = results.torch;
  if (t.status === 'ran') notes.push(`PyTorch ${t.version}, CPU, ${t.threads} threads`);
  else notes.push(`PyTorch ${t.status}: ${t.reason}`);
  const m = results.machine;
  notes.push(
    `${m.cpu ?? 'unknown CPU'}, ${m.cores} cores; load average ${m.loadAverage.join(' ')} at the start, ${m.loadAverageAtEnd.join(' ')} at the end` +
      (results.quick ? '; --quick (few rounds: a smoke test, not a measurement)' : ''),
  );
  return [...out, '', ...notes.map((n) => `- ${n}`)].join('\n');
}
