/**
 * Wall time per kernel while a few training steps run: wraps every kernel registered for one
 * backend with a timer, and puts the originals back on stop(). Meant for synchronous backends
 * (wasm, cpu), where a kernel's wall time is its compute time; on webgl/webgpu it only measures
 * how long recording the GPU work took.
 *
 * Kernels nest: ours call other registered kernels through the engine (Conv2DBackpropFilter and
 * Conv2DBackpropInput run Conv2D, a fused product runs its activation…), so a kernel's wall time
 * (inclusive) counts its children's again. Each kernel's self time (exclusive) is its wall time
 * less the wall time of the kernels it ran: self times add up to the time spent in kernels.
 */
import {
  getKernelsForBackend,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

export interface KernelTime {
  kernel: string;
  calls: number;
  /** Self time: wall time less that of the kernels this one ran (these add up). */
  ms: number;
  /** Wall time from entry to return, nested kernels included (double counts across nesting). */
  totalMs: number;
  /** Of the self time, how much ran inside another kernel, by the outermost one running. */
  underMs: Record<string, number>;
}

export interface KernelProfile {
  /** Restores the original kernels and returns the totals, slowest (self time) first. */
  stop(): KernelTime[];
}

/**
 * Exclusive-time bookkeeping: a stack of the kernels now running. `enter` pushes a frame; `exit`
 * pops it, books its wall time less its children's as self time, and adds its wall time to its
 * parent's children. A kernel that recurses into itself books its total once, at the outer call.
 * A nested call's self time is also booked under the outermost kernel running (`underMs`).
 */
export class ExclusiveTimer {
  private readonly rows = new Map<string, KernelTime>();
  private readonly stack: { kernel: string; t0: number; childMs: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  enter(kernel: string): void {
    this.stack.push({ kernel, t0: this.now(), childMs: 0 });
  }

  exit(): void {
    const frame = this.stack.pop();
    if (!frame) throw new Error('ExclusiveTimer.exit without enter');
    const wall = this.now() - frame.t0;
    let row = this.rows.get(frame.kernel);
    if (!row) {
      row = { kernel: frame.kernel, calls: 0, ms: 0, totalMs: 0, underMs: {} };
      this.rows.set(frame.kernel, row);
    }
    row.calls++;
    row.ms += wall - frame.childMs;
    const root = this.stack[0]?.kernel;
    if (root !== undefined) row.underMs[root] = (row.underMs[root] ?? 0) + wall - frame.childMs;
    if (!this.stack.some((f) => f.kernel === frame.kernel)) row.totalMs += wall;
    const parent = this.stack.at(-1);
    if (parent) parent.childMs += wall;
  }

  /** Rows of the kernels that ran, slowest self time first. */
  totals(): KernelTime[] {
    return [...this.rows.values()].sort((a, b) => b.ms - a.ms);
  }
}

/** `now` is injectable for tests (a fake clock); performance.now() otherwise. */
export function profileKernels(backendName: string, now?: () => number): KernelProfile {
  const originals = getKernelsForBackend(backendName);
  const timer = new ExclusiveTimer(now);
  for (const original of originals) {
    const name = original.kernelName;
    const timed: KernelConfig = {
      ...original,
      kernelFunc: (args) => {
        timer.enter(name);
        try {
          return original.kernelFunc(args);
        } finally {
          timer.exit();
        }
      },
    };
    unregisterKernel(name, backendName);
    registerKernel(timed);
  }
  return {
    stop() {
      for (const original of originals) {
        unregisterKernel(original.kernelName, backendName);
        registerKernel(original);
      }
      return timer.totals();
    },
  };
}
