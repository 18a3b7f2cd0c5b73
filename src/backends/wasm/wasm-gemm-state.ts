/**
 * The state of our wasm GEMM routes (./wasm-parallel-matmul), as one object: the two-thread team
 * (./wasm-gemm-team), the one-thread kernel over TF.js's memory (./wasm-gemm-local), the mode,
 * 'auto' mode's timings, and how many products each route computed (read by the bench, whose
 * table reports where a step's products went: src/bench/ours.worker.ts).
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import type { GemmFn, GemmTeam } from '../gemm/gemm-team';

/**
 * 'auto' (the default): the faster of one and two threads, timed as it runs; 'one-thread': the
 * zero-copy route (or, where it is unavailable, the two-thread route's copies and split with both
 * shares on the calling thread); 'two-threads': always the helper; 'off': the stock route.
 */
export type ParallelMatMulMode = 'auto' | 'off' | 'one-thread' | 'two-threads';

/** The parts of tfjs-backend-wasm's BackendWasm used by the routes. */
export interface WasmBackendLike {
  wasm: {
    HEAPF32: Float32Array;
    asm?: { memory?: unknown };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/**
 * The two-thread route: the shared memory, the team over it, and the helper (null: inline).
 * `heap`: the backend whose heap that memory is (./shared-heap; operands read and outputs written
 * in place, scratch in `region`, malloc'ed there), or null: a memory of our own, operands copied.
 */
export interface Team {
  memory: WebAssembly.Memory;
  team: GemmTeam;
  worker: Worker | null;
  heap: WasmBackendLike | null;
  region: { ptr: number; size: number };
}

/** The one-thread kernel over one backend's own memory, with scratch malloc'ed there. */
export interface Local {
  backend: WasmBackendLike;
  gemm: GemmFn;
  scratch: number;
  scratchSize: number;
}

/** Products computed each way, and the two-thread route's copy and compute time. */
export interface RouteCounts {
  /** Products computed in place in TF.js's memory, on one thread. */
  zeroCopyCalls: number;
  /** Products computed through our shared memory … */
  sharedCalls: number;
  /** … of which on two threads. */
  twoThreadCalls: number;
  /** … of which in place in TF.js's shared heap (./shared-heap), no copies. */
  inPlaceCalls: number;
  /** 'auto' products sent to the stock route (timed as the one-thread way). */
  stockCalls: number;
  /** Milliseconds spent copying operands in and products out, and computing, on two threads. */
  copyMs: number;
  computeMs: number;
}

/** 'auto': milliseconds per GFLOP of each way (moving averages), samples, jobs since the last probe. */
export interface AutoChoice {
  estimate: { one: number; two: number };
  samples: { one: number; two: number };
  sinceProbe: number;
}

function newAuto(): AutoChoice {
  return { estimate: { one: NaN, two: NaN }, samples: { one: 0, two: 0 }, sinceProbe: 0 };
}

/** Shapes 'auto' keeps timings for before it starts afresh (a step has a few dozen). */
const MAX_SHAPES = 512;

/**
 * 'auto''s timings for one kind of job of one shape (`key`, e.g. a product's m, k, n): shapes
 * differ in how well they split (a thin first layer, a deep filter gradient), so each is judged
 * on its own, not by an average over the step's mix of shapes.
 */
export function autoFor(key: string): AutoChoice {
  const table = gemmState.autoByShape;
  let a = table.get(key);
  if (a === undefined) {
    if (table.size >= MAX_SHAPES) table.clear();
    a = newAuto();
    table.set(key, a);
  }
  return a;
}

/**
 * In 'auto' mode, every this many jobs run the way currently judged slower, to re-time it; every
 * PROBE_RARELY when it is CLEAR_MARGIN× slower or more (a probe costs what the gap costs).
 */
const PROBE_EVERY = 16;
const PROBE_RARELY = 64;
const CLEAR_MARGIN = 1.3;
/** 'auto' times each way this many times before choosing (its first SKIPPED jobs not counted). */
const WARM_SAMPLES = 4;
/** Jobs not timed: the first of each way compiles (baseline tier) and grows memory. */
const SKIPPED = 2;

/**
 * 'auto': the way to run the next job, 'one' or 'two' threads. Two threads only pay off when the
 * second core is really free, which on a shared or busy 2-core machine it often is not (then the
 * helper runs after the caller, on the same core), so both ways are timed as they run.
 */
export function chooseWay(auto: AutoChoice): 'one' | 'two' {
  const { samples, estimate } = auto;
  // Each way a few times first (its first jobs, compiled by the baseline tier, not counted).
  if (samples.two < WARM_SAMPLES || samples.one < WARM_SAMPLES)
    return samples.two <= samples.one ? 'two' : 'one';
  const best = estimate.two <= estimate.one ? 'two' : 'one';
  const gap = Math.max(estimate.one, estimate.two) / Math.min(estimate.one, estimate.two);
  if (++auto.sinceProbe < (gap >= CLEAR_MARGIN ? PROBE_RARELY : PROBE_EVERY)) return best;
  auto.sinceProbe = 0;
  return best === 'two' ? 'one' : 'two';
}

/**
 * 'auto': one job's time, `ms` for `flops`, the way it ran. The estimate follows a faster time at
 * once and a slower one slowly: another process on the machine only ever adds time, so the
 * fastest recent times say what each way can do; a lasting slowdown still shows within ~10 jobs.
 */
export function recordWay(auto: AutoChoice, way: 'one' | 'two', ms: number, flops: number): void {
  const { samples, estimate } = auto;
  if (++samples[way] <= SKIPPED) return;
  const v = ms / (flops / 1e9);
  const e = estimate[way];
  estimate[way] = Number.isNaN(e) || v < e ? v : 0.9 * e + 0.1 * v;
}

export const gemmState = {
  mode: 'auto' as ParallelMatMulMode,
  /** Two threads: ready, or starting (the promise says whether it started). */
  team: null as Team | null,
  teamStarting: null as Promise<boolean> | null,
  /** Whether the two-thread kernel fuses multiply-adds. */
  teamFused: false,
  /** One thread: the compiled kernel, its compilation, and its instance over a backend. */
  localModule: null as WebAssembly.Module | null,
  localPreparing: null as Promise<boolean> | null,
  local: null as Local | null,
  /** 'auto': timings per kind of job and shape (autoFor). */
  autoByShape: new Map<string, AutoChoice>(),
  counts: {
    zeroCopyCalls: 0,
    sharedCalls: 0,
    twoThreadCalls: 0,
    inPlaceCalls: 0,
    stockCalls: 0,
    copyMs: 0,
    computeMs: 0,
  } as RouteCounts,
};

export const align = (n: number) => Math.ceil(n / 64) * 64;
