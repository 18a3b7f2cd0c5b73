// 'auto' mode's choice between one and two threads (src/backends/wasm/wasm-gemm-state): a
// simulated clock where each way has a true cost per GFLOP and a busy machine only adds time.
// It must settle on the faster way, keep probing the other, follow a change of which is faster,
// and judge shapes apart (one shape faster on two threads, another on one, interleaved).
import { beforeEach, describe, expect, it } from 'vitest';
import { autoFor, chooseWay, gemmState, recordWay } from '../../src/backends/wasm/wasm-gemm-state';

/** Seeded uniform [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Runs `jobs` jobs of 1 GFLOP on `key` with true costs `cost` (ms); returns the ways chosen. */
function run(key: string, jobs: number, cost: { one: number; two: number }, noise: () => number) {
  const ways: ('one' | 'two')[] = [];
  for (let i = 0; i < jobs; i++) {
    const a = autoFor(key);
    const way = chooseWay(a);
    // Noise only adds: another process takes the core for a while (up to +60 %, now and then).
    const extra = noise() < 0.2 ? noise() * 0.6 : 0;
    recordWay(a, way, cost[way] * (1 + extra), 1e9);
    ways.push(way);
  }
  return ways;
}

const share = (ways: string[], way: string) => ways.filter((w) => w === way).length / ways.length;

beforeEach(() => gemmState.autoByShape.clear());

describe("'auto': one thread or two", () => {
  it('tries both ways first, then runs the faster one and probes the other now and then', () => {
    const ways = run('mm a', 400, { one: 10, two: 6 }, rng(1));
    // Warm-up: both ways several times among the first jobs.
    expect(ways.slice(0, 12).filter((w) => w === 'one').length).toBeGreaterThanOrEqual(4);
    const settled = ways.slice(20);
    expect(share(settled, 'two')).toBeGreaterThan(0.9);
    // Probes of the slower way keep happening: every 64th job, as it is clearly slower here …
    expect(share(settled, 'one')).toBeGreaterThan(0.01);
    expect(share(settled, 'one')).toBeLessThan(0.03);
    // … and every 16th when the two are close.
    const close = run('mm close', 400, { one: 10, two: 9 }, rng(6)).slice(40);
    expect(share(close, 'two')).toBeGreaterThan(0.85);
    expect(share(close, 'one')).toBeGreaterThan(0.04);
  });

  it('follows a change: the machine gets busy and two threads become the slower way', () => {
    run('conv b', 100, { one: 10, two: 6 }, rng(2));
    const after = run('conv b', 120, { one: 10, two: 16 }, rng(3));
    expect(share(after.slice(40), 'one')).toBeGreaterThan(0.9);
    // And back, once the second core is free again.
    const back = run('conv b', 120, { one: 10, two: 6 }, rng(4));
    expect(share(back.slice(60), 'two')).toBeGreaterThan(0.9);
  });

  it('judges shapes apart: each settles on its own faster way, interleaved as in a step', () => {
    const noise = rng(5);
    const seen: Record<string, string[]> = { thin: [], deep: [] };
    for (let step = 0; step < 150; step++) {
      seen.thin!.push(...run('dw thin', 1, { one: 5, two: 9 }, noise));
      seen.deep!.push(...run('dw deep', 1, { one: 12, two: 7 }, noise));
    }
    expect(share(seen.thin!.slice(30), 'one')).toBeGreaterThan(0.9);
    expect(share(seen.deep!.slice(30), 'two')).toBeGreaterThan(0.9);
  });

  it("a job's first two times of each way are not counted (compilation, memory growth)", () => {
    const a = autoFor('mm c');
    recordWay(a, 'two', 500, 1e9); // slow first calls
    recordWay(a, 'two', 400, 1e9);
    expect(Number.isNaN(a.estimate.two)).toBe(true);
    recordWay(a, 'two', 6, 1e9);
    expect(a.estimate.two).toBeCloseTo(6, 9); // 6 ms for 1 GFLOP
    recordWay(a, 'two', 16, 1e9); // slower: followed slowly
    expect(a.estimate.two).toBeCloseTo(0.9 * 6 + 0.1 * 16, 9);
    recordWay(a, 'two', 3, 1e9); // faster: at once
    expect(a.estimate.two).toBe(3);
  });
});
