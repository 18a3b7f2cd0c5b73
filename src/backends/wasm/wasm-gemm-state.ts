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

/** The two-thread route: our shared memory, the team over it, and the helper (null: inline). */
export interface Team {
  memory: WebAssembly.Memory;
  team: GemmTeam;
  worker: Worker | null;
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
  /** 'auto' products sent to the stock route (timed as the one-thread way). */
  stockCalls: number;
  /** Milliseconds spent copying operands in and products out, and computing, on two threads. */
  copyMs: number;
  computeMs: number;
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
  /** 'auto': milliseconds per GFLOP of each way (moving averages), samples, products since the last probe. */
  auto: {
    estimate: { one: NaN, two: NaN },
    samples: { one: 0, two: 0 },
    sinceProbe: 0,
  },
  counts: {
    zeroCopyCalls: 0,
    sharedCalls: 0,
    twoThreadCalls: 0,
    stockCalls: 0,
    copyMs: 0,
    computeMs: 0,
  } as RouteCounts,
};

export const align = (n: number) => Math.ceil(n / 64) * 64;
