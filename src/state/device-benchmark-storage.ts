/**
 * This device's benchmark in localStorage (see src/state/device-benchmark.ts for the format). A
 * browser that refuses storage (private mode, full quota, disabled) just has no remembered
 * benchmark; nothing here throws.
 */
import {
  hashUserAgent,
  parseStoredBenchmark,
  serializeBenchmark,
  type DeviceBenchmark,
} from './device-benchmark';

export const BENCHMARK_STORAGE_KEY = 'latent-lab.device-benchmark';

/** The remembered benchmark, or null and why a stored one was not used (null when none). */
export function loadDeviceBenchmark(): {
  benchmark: DeviceBenchmark | null;
  problem: string | null;
} {
  let raw: string | null;
  try {
    raw = window.localStorage.getItem(BENCHMARK_STORAGE_KEY);
  } catch {
    return { benchmark: null, problem: null };
  }
  return parseStoredBenchmark(raw);
}

/** Stores `b`; returns null, or the reason it could not be stored. */
export function saveDeviceBenchmark(b: DeviceBenchmark): string | null {
  try {
    window.localStorage.setItem(BENCHMARK_STORAGE_KEY, serializeBenchmark(b));
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function userAgentHash(): string {
  return hashUserAgent(typeof navigator === 'undefined' ? '' : navigator.userAgent);
}
