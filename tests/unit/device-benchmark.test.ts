import { describe, expect, it } from 'vitest';
import {
  BENCHMARK_FORMAT,
  chooseBackend,
  describeBackendSource,
  fastestBackend,
  hashUserAgent,
  linkedBackend,
  parseStoredBenchmark,
  serializeBenchmark,
  type BackendRate,
  type DeviceBenchmark,
} from '../../src/state/device-benchmark';
import {
  defaultSettings,
  parseSettings,
  settingsFromUrl,
  settingsToHash,
  urlOfSettings,
} from '../../src/state/settings';
import { softwareSkipNotice } from '../../src/backends/setup';

const RESULTS: BackendRate[] = [
  { backend: 'webgpu', imagesPerSec: null, detail: 'SwiftShader (software): did not finish' },
  { backend: 'webgl', imagesPerSec: 347, detail: 'SwiftShader (software)' },
  { backend: 'wasm', imagesPerSec: 2956, detail: 'SIMD, 1 thread' },
  { backend: 'cpu', imagesPerSec: 148, detail: 'plain JavaScript' },
];

const BENCHMARK: DeviceBenchmark = {
  backend: 'wasm',
  date: '2026-05-03T10:00:00.000Z',
  userAgent: hashUserAgent('Mozilla/5.0 test'),
  workload: 'VAE (MLP), batch 128',
  results: RESULTS,
};

describe('fastestBackend', () => {
  it('picks the highest images/s and ignores failures', () => {
    expect(fastestBackend(RESULTS)).toBe('wasm');
    expect(
      fastestBackend([
        { backend: 'webgpu', imagesPerSec: 9000, detail: 'nvidia ampere' },
        ...RESULTS.slice(1),
      ]),
    ).toBe('webgpu');
  });

  it('gives ties to the backend earlier in the chain, and null when nothing ran', () => {
    expect(
      fastestBackend([
        { backend: 'cpu', imagesPerSec: 100, detail: '' },
        { backend: 'webgl', imagesPerSec: 100, detail: '' },
      ]),
    ).toBe('webgl');
    expect(fastestBackend([])).toBeNull();
    expect(fastestBackend([{ backend: 'wasm', imagesPerSec: null, detail: 'failed' }])).toBeNull();
    expect(fastestBackend([{ backend: 'wasm', imagesPerSec: 0, detail: '' }])).toBeNull();
  });
});

describe('stored benchmark', () => {
  it('round-trips through its stored text', () => {
    const text = serializeBenchmark(BENCHMARK);
    expect(JSON.parse(text)).toMatchObject({ format: BENCHMARK_FORMAT, version: 1 });
    expect(parseStoredBenchmark(text)).toEqual({ benchmark: BENCHMARK, problem: null });
  });

  it('nothing stored is no benchmark and no problem', () => {
    expect(parseStoredBenchmark(null)).toEqual({ benchmark: null, problem: null });
    expect(parseStoredBenchmark('')).toEqual({ benchmark: null, problem: null });
  });

  const good = JSON.parse(serializeBenchmark(BENCHMARK)) as Record<string, unknown>;
  it.each([
    ['not JSON', '{"format": ', /not valid JSON/],
    ['a bare backend name (an older idea of the key)', 'wasm', /not valid JSON/],
    ['a JSON string', '"wasm"', /not a benchmark/],
    ['null', 'null', /not a benchmark/],
    ['an array', '[1,2]', /not a benchmark/],
    ['another format', JSON.stringify({ ...good, format: 'something-else' }), /not a benchmark/],
    ['an older version', JSON.stringify({ ...good, version: 0 }), /another version .*0/],
    ['a newer version', JSON.stringify({ ...good, version: 2 }), /another version .*2/],
    ['an unknown backend', JSON.stringify({ ...good, backend: 'metal' }), /unknown backend/],
    ['a bad date', JSON.stringify({ ...good, date: 'yesterday' }), /date/],
    ['no results', JSON.stringify({ ...good, results: undefined }), /no results/],
    [
      'a negative rate',
      JSON.stringify({ ...good, results: [{ backend: 'wasm', imagesPerSec: -5 }] }),
      /invalid/,
    ],
    [
      'an infinite rate (JSON null is allowed, a string is not)',
      JSON.stringify({ ...good, results: [{ backend: 'wasm', imagesPerSec: 'Infinity' }] }),
      /invalid/,
    ],
    [
      'a result for an unknown backend',
      JSON.stringify({ ...good, results: [...RESULTS, { backend: 'metal', imagesPerSec: 1 }] }),
      /invalid/,
    ],
    ['a backend twice', JSON.stringify({ ...good, results: [...RESULTS, RESULTS[2]] }), /twice/],
    [
      'a chosen backend that is not the fastest',
      JSON.stringify({ ...good, backend: 'cpu' }),
      /not the fastest/,
    ],
    [
      'a chosen backend without a rate',
      JSON.stringify({ ...good, backend: 'webgpu' }),
      /not the fastest/,
    ],
  ])('refuses %s, saying why', (_what, raw, why) => {
    const { benchmark, problem } = parseStoredBenchmark(raw);
    expect(benchmark).toBeNull();
    expect(problem).toMatch(why);
  });

  it('tolerates missing optional fields and trims over-long text', () => {
    const raw = JSON.stringify({
      ...good,
      userAgent: undefined,
      workload: 42,
      results: [{ backend: 'wasm', imagesPerSec: 10, detail: 'x'.repeat(1000) }],
    });
    const { benchmark } = parseStoredBenchmark(raw);
    expect(benchmark).toMatchObject({ backend: 'wasm', userAgent: '', workload: '' });
    expect(benchmark?.results[0]?.detail).toHaveLength(300);
  });

  it('hashes the user agent to 8 hex digits, the same for the same text', () => {
    expect(hashUserAgent('a')).toMatch(/^[0-9a-f]{8}$/);
    expect(hashUserAgent('Mozilla/5.0 test')).toBe(BENCHMARK.userAgent);
    expect(hashUserAgent('Mozilla/5.0 other')).not.toBe(BENCHMARK.userAgent);
  });
});

describe('which backend the page starts on, and why', () => {
  it('reads backend= from the hash, else the query; unknown values name none', () => {
    expect(linkedBackend('', '#backend=cpu&latent=4')).toBe('cpu');
    expect(linkedBackend('?backend=webgl', '')).toBe('webgl');
    expect(linkedBackend('?backend=webgl', '#backend=wasm')).toBe('wasm');
    expect(linkedBackend('', '#latent=4')).toBeNull();
    expect(linkedBackend('', '#backend=metal')).toBeNull();
  });

  it('link first, then this device’s benchmark, then the default', () => {
    expect(chooseBackend('cpu', BENCHMARK, 'webgpu')).toEqual({ backend: 'cpu', source: 'link' });
    expect(chooseBackend(null, BENCHMARK, 'webgpu')).toEqual({
      backend: 'wasm',
      source: 'benchmark',
    });
    expect(chooseBackend('wasm', BENCHMARK, 'webgpu')).toEqual({
      backend: 'wasm',
      source: 'benchmark',
    });
    expect(chooseBackend(null, null, 'webgpu')).toEqual({ backend: 'webgpu', source: 'default' });
    expect(chooseBackend('webgl', null, 'webgpu')).toEqual({ backend: 'webgl', source: 'link' });
  });

  it('describes the source for the header', () => {
    const ua = BENCHMARK.userAgent;
    expect(describeBackendSource('default', null, ua)).toBe('default');
    expect(describeBackendSource('link', BENCHMARK, ua)).toBe('from the link');
    expect(describeBackendSource('chosen', null, ua)).toBe('chosen here');
    expect(describeBackendSource('benchmark', BENCHMARK, ua)).toBe(
      'fastest on this device, benchmarked 3 May 2026',
    );
    expect(describeBackendSource('benchmark', BENCHMARK, 'other')).toMatch(
      /benchmarked 3 May 2026 in another browser version/,
    );
  });
});

describe('the backend in the URL', () => {
  it('round-trips a benchmarked backend through the hash', () => {
    const s = { ...defaultSettings(), backend: 'wasm' as const };
    const hash = settingsToHash(s);
    expect(hash).toBe('#backend=wasm');
    expect(parseSettings(hash).settings).toEqual(s);
    expect(linkedBackend('', hash)).toBe('wasm');
  });

  it('keeps a chosen backend in the hash even at its default', () => {
    const s = defaultSettings();
    expect(settingsToHash(s)).toBe('');
    expect(settingsToHash(s, ['backend'])).toBe('#backend=webgpu');
    const url = urlOfSettings(s, { pathname: '/', search: '?datasetBase=x', hash: '' }, [
      'backend',
    ]);
    expect(url).toBe('/#backend=webgpu&datasetBase=x');
    const back = new URL(url, 'http://h');
    expect(settingsFromUrl(back.search, back.hash).settings).toEqual(s);
    expect(linkedBackend(back.search, back.hash)).toBe('webgpu');
  });
});

describe('software renderers in the fallback chain', () => {
  const swiftshader = {
    software: true,
    softwareName: 'SwiftShader',
    summary: 'SwiftShader (software)',
  };
  const real = { software: false, softwareName: null, summary: 'nvidia ampere' };

  it('the default choice skips every software GPU backend, saying so', () => {
    expect(softwareSkipNotice('webgpu', 'webgpu', 'skip', swiftshader)).toBe(
      'WebGPU here is a software renderer (SwiftShader), skipped by default',
    );
    expect(softwareSkipNotice('webgl', 'webgpu', 'skip', swiftshader)).toBe(
      'WebGL here is a software renderer (SwiftShader), skipped by default',
    );
  });

  it('a backend someone named is used even when software; its fallbacks are skipped', () => {
    expect(softwareSkipNotice('webgpu', 'webgpu', 'skip-fallbacks', swiftshader)).toBeNull();
    expect(softwareSkipNotice('webgl', 'webgpu', 'skip-fallbacks', swiftshader)).toMatch(
      /skipped as a fallback/,
    );
  });

  it('never skips a real or unknown GPU, the CPU paths, or anything when told to use it', () => {
    expect(softwareSkipNotice('webgpu', 'webgpu', 'skip', real)).toBeNull();
    expect(softwareSkipNotice('webgpu', 'webgpu', 'skip', null)).toBeNull();
    expect(softwareSkipNotice('wasm', 'webgpu', 'skip', swiftshader)).toBeNull();
    expect(softwareSkipNotice('webgl', 'webgpu', 'use', swiftshader)).toBeNull();
  });
});
