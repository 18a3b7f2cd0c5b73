/**
 * "This device's benchmark": the training speed of each backend measured in this browser, the
 * fastest one, and where the backend on screen came from (a link, a person, the benchmark, or
 * the default). Plain data and pure functions; the page keeps the benchmark in localStorage
 * (src/state/device-benchmark-storage.ts) so a lecturer's machine remembers its fastest backend.
 */
import { BACKENDS, type BackendName } from '../contracts/config';
import type { BackendRate } from '../worker/device-benchmark-protocol';

export type { BackendRate };

export const BENCHMARK_FORMAT = 'latent-lab-device-benchmark';
export const BENCHMARK_VERSION = 1;

export interface DeviceBenchmark {
  /** The fastest backend (see fastestBackend). */
  backend: BackendName;
  /** When it was measured (ISO 8601). */
  date: string;
  /** Hash of the browser's user agent at the time (see hashUserAgent). */
  userAgent: string;
  /** The model it was measured on, e.g. "VAE (MLP), batch 128". */
  workload: string;
  results: BackendRate[];
}

/**
 * The backend with the most images/s, or null when none has a rate. Ties go to the one earlier in
 * BACKENDS order (a GPU first).
 */
export function fastestBackend(results: readonly BackendRate[]): BackendName | null {
  let best: BackendRate | null = null;
  for (const name of BACKENDS) {
    const r = results.find((x) => x.backend === name);
    if (!r || r.imagesPerSec === null || !(r.imagesPerSec > 0)) continue;
    if (!best || r.imagesPerSec > best.imagesPerSec!) best = r;
  }
  return best?.backend ?? null;
}

/** A short, stable hash of a user-agent string (FNV-1a, 8 hex digits): no need to store it whole. */
export function hashUserAgent(userAgent: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userAgent.length; i++) {
    h ^= userAgent.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The text to keep in storage. */
export function serializeBenchmark(b: DeviceBenchmark): string {
  return JSON.stringify({ format: BENCHMARK_FORMAT, version: BENCHMARK_VERSION, ...b });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isBackend = (v: unknown): v is BackendName =>
  typeof v === 'string' && (BACKENDS as readonly string[]).includes(v);

function parseRate(raw: unknown): BackendRate | null {
  if (!isObject(raw) || !isBackend(raw.backend)) return null;
  const rate = raw.imagesPerSec;
  if (rate !== null && !(typeof rate === 'number' && Number.isFinite(rate) && rate > 0))
    return null;
  return {
    backend: raw.backend,
    imagesPerSec: rate,
    detail: typeof raw.detail === 'string' ? raw.detail.slice(0, 300) : '',
  };
}

/**
 * Reads a stored benchmark (localStorage's text, or null when there is none). Anything else than
 * a benchmark this version wrote (other JSON, an older format, a backend this version does not
 * know, a fastest backend without a rate) gives null and a reason, never a throw.
 */
export function parseStoredBenchmark(raw: string | null): {
  benchmark: DeviceBenchmark | null;
  problem: string | null;
} {
  const fail = (problem: string) => ({ benchmark: null, problem });
  if (raw === null || raw === '') return { benchmark: null, problem: null };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return fail('it is not valid JSON');
  }
  if (!isObject(json) || json.format !== BENCHMARK_FORMAT) return fail('it is not a benchmark');
  if (json.version !== BENCHMARK_VERSION)
    return fail(`it is from another version of the app (format version ${String(json.version)})`);
  if (!isBackend(json.backend)) return fail(`it names an unknown backend`);
  if (typeof json.date !== 'string' || Number.isNaN(Date.parse(json.date)))
    return fail('its date is missing or invalid');
  if (!Array.isArray(json.results)) return fail('it has no results');
  const results: BackendRate[] = [];
  for (const r of json.results as unknown[]) {
    const rate = parseRate(r);
    if (!rate) return fail('one of its results is invalid');
    if (results.some((x) => x.backend === rate.backend)) return fail('it lists a backend twice');
    results.push(rate);
  }
  if (fastestBackend(results) !== json.backend)
    return fail(`its chosen backend is not the fastest of its results`);
  return {
    benchmark: {
      backend: json.backend,
      date: json.date,
      userAgent: typeof json.userAgent === 'string' ? json.userAgent : '',
      workload: typeof json.workload === 'string' ? json.workload.slice(0, 200) : '',
      results,
    },
    problem: null,
  };
}

/** Where the backend on screen came from. */
export type BackendSource = 'default' | 'link' | 'chosen' | 'benchmark';

export interface BackendChoice {
  backend: BackendName;
  source: BackendSource;
}

/**
 * The backend a link names (`backend=` in the hash, or in the query of older links; the hash
 * wins), or null when it names none or an unknown one (settings.ts reports that one).
 */
export function linkedBackend(search: string, hash: string): BackendName | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('backend');
  const raw = fromHash ?? new URLSearchParams(search).get('backend');
  return isBackend(raw) ? raw : null;
}

/**
 * The backend to start with: the link's, else this device's benchmark, else the default. A link
 * that names the benchmark's own backend counts as the benchmark (the page writes the backend it
 * runs into its own address, so a reload shows the same source).
 */
export function chooseBackend(
  linked: BackendName | null,
  benchmark: DeviceBenchmark | null,
  defaultBackend: BackendName,
): BackendChoice {
  if (benchmark && (linked === null || linked === benchmark.backend))
    return { backend: benchmark.backend, source: 'benchmark' };
  if (linked) return { backend: linked, source: 'link' };
  return { backend: defaultBackend, source: 'default' };
}

/** The day of an ISO date as "3 May 2025". */
export function formatBenchmarkDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? 'on an unknown date'
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** The words after "Backend: wasm" in the header, e.g. "fastest on this device, benchmarked …". */
export function describeBackendSource(
  source: BackendSource,
  benchmark: DeviceBenchmark | null,
  userAgentHash: string,
): string {
  switch (source) {
    case 'default':
      return 'default';
    case 'link':
      return 'from the link';
    case 'chosen':
      return 'chosen here';
    case 'benchmark': {
      if (!benchmark) return 'fastest on this device';
      const other =
        benchmark.userAgent && benchmark.userAgent !== userAgentHash
          ? ' in another browser version; benchmark again to refresh'
          : '';
      return `fastest on this device, benchmarked ${formatBenchmarkDate(benchmark.date)}${other}`;
    }
  }
}
