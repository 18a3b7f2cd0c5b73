// The trained-model manifest: what the app accepts and refuses, how a failed load reads, and the
// shipped public/pretrained/ itself (every listed file present at its size, the budget kept).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  loadPretrained,
  parsePretrainedManifest,
  pretrainedManifest,
} from '../../src/state/pretrained';
import type { RunSession } from '../../src/state/run-session';

const entry = {
  id: 'vae-2d',
  title: 'VAE',
  model: 'vae',
  step: 938,
  files: { meta: 'vae-2d.json', weights: 'vae-2d.bin' },
  bytes: 1000,
  gzipBytes: 900,
  dtype: 'float16',
  metric: {
    term: 'negElbo',
    label: '−ELBO',
    unit: 'nats per image',
    test: { split: 'all', float32: 150.1, float16: 150.2 },
    probe: { split: '2,000', float32: 149.5, float16: 149.6 },
  },
  command: 'npm run train -- --model vae',
};
const good = {
  format: 'latent-lab-pretrained',
  version: 1,
  command: 'npm run make:pretrained',
  checkpoints: [entry],
};

describe('parsePretrainedManifest', () => {
  it('reads a manifest, the stored metric being that of the stored dtype', () => {
    const m = parsePretrainedManifest(good);
    expect(m.checkpoints[0]!.metric.test.stored).toBe(150.2);
    const f32 = parsePretrainedManifest({ ...good, checkpoints: [{ ...entry, dtype: 'float32' }] });
    expect(f32.checkpoints[0]!.metric.probe.stored).toBe(149.5);
  });

  it('refuses a bad manifest with a message naming the problem', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [{ ...good, format: 'x' }, /not a trained-model manifest/],
      [{ ...good, version: 9 }, /version 9 is not supported/],
      [{ ...good, checkpoints: {} }, /no "checkpoints" list/],
      [{ ...good, checkpoints: [{ ...entry, id: '../x' }] }, /checkpoints\[0\]\.id "\.\.\/x"/],
      [{ ...good, checkpoints: [entry, entry] }, /"vae-2d" appears twice/],
      [{ ...good, checkpoints: [{ ...entry, model: 'gan' }] }, /unknown model "gan"/],
      [
        { ...good, checkpoints: [{ ...entry, files: { meta: '/etc/passwd', weights: 'a.bin' } }] },
        /files should name two files/,
      ],
      [{ ...good, checkpoints: [{ ...entry, bytes: -1 }] }, /bytes should be a whole number/],
      [{ ...good, checkpoints: [{ ...entry, dtype: 'int8' }] }, /dtype should be float16/],
      [{ ...good, checkpoints: [{ ...entry, metric: { term: 'x' } }] }, /metric should give/],
      [{ ...good, checkpoints: [{ ...entry, command: 3 }] }, /which command made it/],
    ];
    for (const [raw, message] of bad) expect(() => parsePretrainedManifest(raw)).toThrow(message);
  });
});

describe('loadPretrained refusals', () => {
  const sessionWithNotices = () => {
    const notices: string[] = [];
    const session = {
      addNotice: (_kind: string, text: string) => notices.push(text),
      store: { get: () => ({ phase: 'ready' }) },
      newRun: () => Promise.reject(new Error('must not be asked')),
    } as unknown as RunSession;
    return { session, notices };
  };
  const serve =
    (files: Record<string, unknown>) =>
    async (url: string): Promise<Response> => {
      const name = url.split('/').pop()!;
      if (!(name in files)) return new Response('missing', { status: 404 });
      const body = files[name];
      return new Response(typeof body === 'string' ? body : JSON.stringify(body));
    };

  it('an unknown id, a missing file, a bad manifest and a network error each end in a notice', async () => {
    const cases: [string, (url: string) => Promise<Response>, RegExp][] = [
      [
        'https://a.test/1/',
        serve({ 'manifest.json': good }),
        /no trained model "nope" \(the lab ships vae-2d\)/,
      ],
      [
        'https://a.test/2/',
        serve({ 'manifest.json': good }),
        /vae-2d\.json could not be fetched \(HTTP 404\)/,
      ],
      ['https://a.test/3/', serve({ 'manifest.json': '{"format":' }), /manifest is not valid JSON/],
      ['https://a.test/4/', serve({ 'manifest.json': { ...good, version: 2 } }), /version 2/],
      [
        'https://a.test/5/',
        () => Promise.reject(new TypeError('Failed to fetch')),
        /manifest could not be fetched \(Failed to fetch\)/,
      ],
    ];
    for (const [folder, fetchFn, message] of cases) {
      const { session, notices } = sessionWithNotices();
      const id = folder.endsWith('1/') ? 'nope' : 'vae-2d';
      expect(await loadPretrained(session, id, folder, fetchFn)).toBeNull();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(message);
      expect(notices[0]).toMatch(/The current run is unchanged\.$/);
    }
  });

  it('waits for no worker: before the lab is ready it refuses at once, fetching nothing', async () => {
    const notices: string[] = [];
    const session = {
      addNotice: (_kind: string, text: string) => notices.push(text),
      store: { get: () => ({ phase: 'starting' }) },
    } as unknown as RunSession;
    const fetchFn = () => Promise.reject(new Error('must not fetch'));
    expect(await loadPretrained(session, 'vae-2d', 'https://c.test/', fetchFn)).toBeNull();
    expect(notices[0]).toMatch(/the lab is still starting/);
  });

  it('fetches the manifest once, and again after a failure', async () => {
    let calls = 0;
    const fetchFn = async () => {
      calls++;
      return calls === 1 ? new Response('', { status: 503 }) : new Response(JSON.stringify(good));
    };
    await expect(pretrainedManifest('https://b.test/', fetchFn)).rejects.toThrow(/HTTP 503/);
    await pretrainedManifest('https://b.test/', fetchFn);
    await pretrainedManifest('https://b.test/', fetchFn);
    expect(calls).toBe(2);
  });
});

describe('the shipped trained models (public/pretrained/, made by npm run make:pretrained)', () => {
  const folder = 'public/pretrained';
  const raw = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const manifest = parsePretrainedManifest(raw);

  it('lists at least the models the lessons open on, each made by the CLI', () => {
    const ids = manifest.checkpoints.map((c) => c.id);
    for (const id of ['vae-2d', 'vae-20d', 'ae-2d', 'vqvae', 'dvae', 'catvae'])
      expect(ids).toContain(id);
    expect(manifest.command).toBe('npm run make:pretrained');
    for (const c of manifest.checkpoints)
      expect(c.command).toMatch(/^npm run train -- .*--seed \d+/);
  });

  it('has every file at its listed size, its checkpoint matching the entry, ≤ 8 MB gzip in all', () => {
    let gzip = 0;
    for (const c of manifest.checkpoints) {
      const paths = [c.files.meta, c.files.weights].map((f) => join(folder, f));
      for (const p of paths) expect(existsSync(p), p).toBe(true);
      expect(paths.reduce((a, p) => a + statSync(p).size, 0)).toBe(c.bytes);
      const zipped = paths.reduce((a, p) => a + gzipSync(readFileSync(p), { level: 6 }).length, 0);
      expect(zipped).toBe(c.gzipBytes);
      gzip += zipped;
      const meta = JSON.parse(readFileSync(paths[0]!, 'utf8'));
      expect(meta.config.model).toBe(c.model);
      expect(meta.step).toBe(c.step);
      // float16: every weight in half precision but those with values beyond its range (the
      // prior's code counts), which a float16 file keeps in float32 (src/train/checkpoint.ts).
      const halves = meta.weightSpecs.filter(
        (s: { quantization?: { dtype: string } }) => s.quantization?.dtype === 'float16',
      ).length;
      const half = halves >= meta.weightSpecs.length - (c.model === 'prior' ? 1 : 0);
      expect(half ? 'float16' : 'float32').toBe(c.dtype);
    }
    expect(gzip).toBe(raw.gzipBytes);
    expect(gzip).toBeLessThanOrEqual(8e6);
  });

  it('is float16 exactly where that moves the test metric by ≤ 0.2 nats', () => {
    for (const c of manifest.checkpoints) {
      const moved = Math.abs(c.metric.test.float16 - c.metric.test.float32);
      expect(c.dtype, c.id).toBe(moved <= 0.2 ? 'float16' : 'float32');
    }
  });
});
