/**
 * Runs one GEMM on two threads over one shared WebAssembly.Memory: the calling thread and a
 * helper (a worker that instantiated the same GEMM module over the same memory and sits in
 * helperLoop). The caller writes the helper's share into a small control block in the shared
 * memory, wakes it with Atomics.notify, computes its own share, then blocks in Atomics.wait until
 * the helper says it is done. No messages, no copies between the threads.
 *
 * Control block (Int32 words at byte address `ctl`, CTL_BYTES long):
 *   [0] job number posted by the caller, [1] last job the helper finished, [2] quit flag,
 *   [3] helper failures, [4] the job's kind (KIND_GEMM, KIND_CONV), [5…] its arguments: the 16
 *   of a gemm() call then a batch (count and A's, B's and C's byte strides between items), or a
 *   convolution's share (./conv-share, CONV_WORDS).
 *
 * Between the jobs of one training step the helper spins for SPIN_MS before it sleeps, and the
 * caller spins for its helper before it sleeps: waking a sleeping thread costs tens of µs, the
 * time of a small product, and a step posts dozens of jobs one after another.
 *
 * Blocking waits need a thread that may block: a worker (never a page's main thread) or Node.
 */
import { convShare, decodeConv, encodeConv, type ConvJob } from './conv-share';
import { MR, NR } from './gemm-module';

export const CTL_BYTES = 256;
const JOB = 0;
const DONE = 1;
const QUIT = 2;
const FAILED = 3;
const KIND = 4;
const ARGS = 5;
const KIND_GEMM = 0;
const KIND_CONV = 1;
/** How long the helper keeps polling for the next job after one, and the caller for its helper. */
const SPIN_MS = 0.5;

/** The module's gemm export (see gemm-module.ts). */
export type GemmFn = (
  a: number,
  sam: number,
  sak: number,
  b: number,
  sbk: number,
  sbn: number,
  c: number,
  ldc: number,
  n: number,
  k: number,
  r0: number,
  r1: number,
  p0: number,
  p1: number,
  pbuf: number,
  tmp: number,
) => void;

/** One product C[m×n] = A·B; addresses and strides in bytes (see gemm-module.ts). */
export interface GemmArgs {
  a: number;
  sam: number;
  sak: number;
  b: number;
  sbk: number;
  sbn: number;
  c: number;
  ldc: number;
  m: number;
  n: number;
  k: number;
}

/** A thread's scratch: packed-B panel and edge tile (scratchBytes(k) bytes each). */
export interface Scratch {
  pbuf: number;
  tmp: number;
}

/** Rows [r0, r1) of the column panels [p0, p1). */
export type Share = [r0: number, r1: number, p0: number, p1: number];

/** A batch of equal products: item i reads A at a + i·sa, B at b + i·sb, writes C at c + i·sc. */
export interface Batch {
  count: number;
  sa: number;
  sb: number;
  sc: number;
}

const ONE: Batch = { count: 1, sa: 0, sb: 0, sc: 0 };

/** Computes one share of a product (of every item of a batch) on the calling thread. */
function share(
  gemm: GemmFn,
  g: GemmArgs,
  [r0, r1, p0, p1]: Share,
  s: Scratch,
  batch: Batch = ONE,
): void {
  for (let i = 0; i < batch.count; i++) {
    const [a, b, c] = [g.a + i * batch.sa, g.b + i * batch.sb, g.c + i * batch.sc];
    gemm(a, g.sam, g.sak, b, g.sbk, g.sbn, c, g.ldc, g.n, g.k, r0, r1, p0, p1, s.pbuf, s.tmp);
  }
}

/** Items [i0, i1) of a batch, as a product and a batch of their own. */
function items(g: GemmArgs, b: Batch, i0: number, i1: number): [GemmArgs, Batch] {
  const at = { ...g, a: g.a + i0 * b.sa, b: g.b + i0 * b.sb, c: g.c + i0 * b.sc };
  return [at, { ...b, count: i1 - i0 }];
}

/**
 * How a product is split between two threads: by column panels when there are enough of them
 * (each thread packs only its own panels of B and reads all of A), else by rows (each packs all
 * of B, which is then small). Returns the caller's and the helper's [r0, r1, p0, p1].
 */
export function splitWork(m: number, n: number): [Share, Share] {
  const panels = Math.ceil(n / NR);
  if (panels >= 4) {
    const h = Math.ceil(panels / 2);
    return [
      [0, m, 0, h],
      [0, m, h, panels],
    ];
  }
  const half = Math.min(m, Math.ceil(m / 2 / MR) * MR);
  return [
    [0, half, 0, panels],
    [half, m, 0, panels],
  ];
}

/** The helper thread's side: never returns until quit() (or the worker is terminated). */
export function helperLoop(memory: WebAssembly.Memory, gemm: GemmFn, ctl: number): void {
  const words = new Int32Array(memory.buffer, ctl, CTL_BYTES / 4);
  let seen = Atomics.load(words, JOB);
  for (;;) {
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(words, JOB) === seen && performance.now() < spinUntil);
    Atomics.wait(words, JOB, seen);
    const job = Atomics.load(words, JOB);
    if (job === seen) continue;
    if (Atomics.load(words, QUIT) !== 0) return;
    try {
      if (Atomics.load(words, KIND) === KIND_CONV) {
        const [conv, scratch] = decodeConv(words, ARGS);
        convShare(memory, gemm, conv, scratch);
      } else {
        const x = Array.from({ length: 20 }, (_, i) => words[ARGS + i] as number);
        const [a, sam, sak, b, sbk, sbn, c, ldc, n, k, r0, r1, p0, p1, pbuf, tmp] = x;
        const [count, sa, sb, sc] = x.slice(16);
        const g = { a, sam, sak, b, sbk, sbn, c, ldc, n, k, m: 0 } as GemmArgs;
        share(
          gemm,
          g,
          [r0, r1, p0, p1] as Share,
          { pbuf, tmp } as Scratch,
          {
            count,
            sa,
            sb,
            sc,
          } as Batch,
        );
      }
    } catch {
      Atomics.add(words, FAILED, 1);
    }
    seen = job;
    Atomics.store(words, DONE, job);
    Atomics.notify(words, DONE);
  }
}

/** How long run() waits for the helper before it gives up on it. */
export const HELPER_TIMEOUT_MS = 10_000;

export class GemmTeam {
  private readonly words: Int32Array;
  private job: number;
  /** The helper did not answer in time: use this team no more. */
  broken = false;
  /** Products run on both threads, for tests and diagnostics. */
  parallelCalls = 0;

  /**
   * `inline`: run() computes the helper's share itself, after its own (same split, same results):
   * for tests where no second thread can be started, and to time one thread against two.
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly gemm: GemmFn,
    ctl: number,
    public inline = false,
  ) {
    this.words = new Int32Array(memory.buffer, ctl, CTL_BYTES / 4);
    this.job = Atomics.load(this.words, JOB);
  }

  /** Computes the whole product on this thread alone. */
  runAlone(g: GemmArgs, own: Scratch): void {
    share(this.gemm, g, [0, g.m, 0, Math.ceil(g.n / NR)], own);
  }

  /**
   * Computes the product (every item of `batch`) on both threads; returns when both shares are
   * written. A batch is split by items, one product by splitWork.
   */
  run(g: GemmArgs, own: Scratch, helper: Scratch, batch: Batch = ONE): void {
    const whole: Share = [0, g.m, 0, Math.ceil(g.n / NR)];
    let [gMine, bMine, mine] = [g, batch, whole];
    let [gTheirs, bTheirs, theirs] = [g, batch, whole];
    if (batch.count >= 2) {
      const h = Math.ceil(batch.count / 2);
      [gMine, bMine] = items(g, batch, 0, h);
      [gTheirs, bTheirs] = items(g, batch, h, batch.count);
    } else {
      [mine, theirs] = splitWork(g.m, g.n);
    }
    const t = gTheirs;
    const args = [t.a, t.sam, t.sak, t.b, t.sbk, t.sbn, t.c, t.ldc, t.n, t.k, ...theirs];
    const tail = [bTheirs.count, bTheirs.sa, bTheirs.sb, bTheirs.sc];
    this.together(
      KIND_GEMM,
      [...args, helper.pbuf, helper.tmp, ...tail],
      () => share(this.gemm, gMine, mine, own, bMine),
      () => share(this.gemm, gTheirs, theirs, helper, bTheirs),
    );
  }

  /**
   * A convolution on both threads (./conv-share): this thread computes `mine`, the helper
   * `theirs` (each with its own scratch and cols); returns when both are written.
   */
  runConv(mine: ConvJob, own: Scratch, theirs: ConvJob, helper: Scratch): void {
    this.together(
      KIND_CONV,
      encodeConv(theirs, helper),
      () => convShare(this.memory, this.gemm, mine, own),
      () => convShare(this.memory, this.gemm, theirs, helper),
    );
  }

  /** Posts the helper's job, runs ours, then waits for the helper's (see the header). */
  private together(kind: number, args: number[], mine: () => void, theirs: () => void): void {
    if (this.inline) {
      mine();
      theirs();
      this.parallelCalls++;
      return;
    }
    const w = this.words;
    w[KIND] = kind;
    w.set(args, ARGS);
    const job = (this.job = (this.job + 1) | 0);
    Atomics.store(w, JOB, job);
    Atomics.notify(w, JOB, 1);
    let error: unknown = null;
    try {
      mine();
    } catch (e) {
      error = e;
    }
    // Wait for the helper, so no two jobs ever overlap. A helper that does not answer within
    // HELPER_TIMEOUT_MS (it died) leaves the team broken: its share is computed here, and the
    // owner must stop using the team (and this memory) from now on.
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(w, DONE) !== job && performance.now() < spinUntil);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(w, DONE);
      if (done === job) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.broken = true;
        theirs();
        break;
      }
      Atomics.wait(w, DONE, done, left);
    }
    if (error !== null) throw error;
    if (Atomics.load(w, FAILED) !== 0) throw new Error('GEMM helper thread failed');
    this.parallelCalls++;
  }

  /** Tells the helper to leave helperLoop. */
  quit(): void {
    Atomics.store(this.words, QUIT, 1);
    const job = (this.job = (this.job + 1) | 0);
    Atomics.store(this.words, JOB, job);
    Atomics.notify(this.words, JOB);
  }
}
