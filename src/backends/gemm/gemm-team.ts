/**
 * Runs one GEMM on two threads over one shared WebAssembly.Memory: the calling thread and a
 * helper (a worker that instantiated the same GEMM module over the same memory and sits in
 * helperLoop). The caller writes the job into a small control block in the shared memory, wakes
 * the helper with Atomics.notify, then both claim chunks of the job (planChunks: about 16 runs of
 * column panels, of rows, of a batch's items or of a convolution's images) from one atomic
 * counter until none is left, and the caller blocks in Atomics.wait until the helper says it is
 * done. A helper that wakes late, or shares its core with another thread, simply takes fewer
 * chunks: a fixed half each left the caller waiting ~0.5 ms per product in a training step.
 * No messages, no copies between the threads.
 *
 * Control block (Int32 words at byte address `ctl`, CTL_BYTES long):
 *   [0] job number posted by the caller, [1] last job the helper finished, [2] quit flag,
 *   [3] helper failures, [4] the job's kind (KIND_GEMM, KIND_CONV), [5] the next chunk to claim,
 *   [6] chunks the helper has computed so far, [7…] its arguments: a product's addresses, strides and sizes, its batch (count and A's, B's
 *   and C's byte strides between items), its plan and the helper's scratch (GEMM_WORDS), or a
 *   convolution's (./conv-share, CONV_WORDS).
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
const NEXT = 5;
/** Chunks the helper has computed, all jobs together (its share: the team's helperShare). */
const HELPED = 6;
const ARGS = 7;
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

/** How a product is cut into chunks: runs of a batch's items, of column panels, or of rows. */
export const ITEMS = 0;
export const PANELS = 1;
export const ROWS = 2;
export interface Plan {
  mode: typeof ITEMS | typeof PANELS | typeof ROWS;
  /** Items, panels or rows per chunk (rows: a multiple of MR). */
  per: number;
  chunks: number;
}

/** About this many chunks per job: a late thread costs at most ~1/16 of a job. */
export const TARGET_CHUNKS = 16;

/**
 * A batch by items; one product by column panels when there are enough of them (each chunk packs
 * only its own panels of B and reads all of A), else by rows (each packs all of B, then small).
 */
export function planChunks(m: number, n: number, count: number): Plan {
  const cut = (total: number, unit: number) => {
    const per = Math.max(unit, Math.ceil(total / TARGET_CHUNKS / unit) * unit);
    return { per, chunks: Math.ceil(total / per) };
  };
  if (count >= 2) return { mode: ITEMS, ...cut(count, 1) };
  const panels = Math.ceil(n / NR);
  if (panels >= 4) return { mode: PANELS, ...cut(panels, 1) };
  return { mode: ROWS, ...cut(m, MR) };
}

/** The rows, panels and items of chunk i: [r0, r1, p0, p1, i0, i1]. */
export function chunkBounds(g: GemmArgs, count: number, plan: Plan, i: number): number[] {
  const panels = Math.ceil(g.n / NR);
  const from = i * plan.per;
  if (plan.mode === ITEMS) return [0, g.m, 0, panels, from, Math.min(count, from + plan.per)];
  if (plan.mode === PANELS) return [0, g.m, from, Math.min(panels, from + plan.per), 0, count];
  return [from, Math.min(g.m, from + plan.per), 0, panels, 0, count];
}

/** Computes chunk i of a product (of every item of `batch` in it) on the calling thread. */
function chunk(gemm: GemmFn, g: GemmArgs, batch: Batch, plan: Plan, i: number, s: Scratch) {
  const [r0, r1, p0, p1, i0, i1] = chunkBounds(g, batch.count, plan, i) as Share & number[];
  for (let it = i0!; it < i1!; it++) {
    const [a, b, c] = [g.a + it * batch.sa, g.b + it * batch.sb, g.c + it * batch.sc];
    gemm(a, g.sam, g.sak, b, g.sbk, g.sbn, c, g.ldc, g.n, g.k, r0, r1, p0, p1, s.pbuf, s.tmp);
  }
}

/** Claims chunks from the control block's counter and runs each, until none is left. */
export function claimChunks(words: Int32Array, chunks: number, run: (i: number) => void): void {
  for (let i = Atomics.add(words, NEXT, 1); i < chunks; i = Atomics.add(words, NEXT, 1)) run(i);
}

/** Words of a product job: 11 of the product, 4 of its batch, 3 of its plan, 2 of scratch. */
const GEMM_WORDS = 20;

function encodeGemm(g: GemmArgs, b: Batch, p: Plan, s: Scratch): number[] {
  const head = [g.a, g.sam, g.sak, g.b, g.sbk, g.sbn, g.c, g.ldc, g.m, g.n, g.k];
  return [...head, b.count, b.sa, b.sb, b.sc, p.mode, p.per, p.chunks, s.pbuf, s.tmp];
}

function decodeGemm(words: Int32Array): [GemmArgs, Batch, Plan, Scratch] {
  const x = Array.from(words.subarray(ARGS, ARGS + GEMM_WORDS));
  const [a, sam, sak, b, sbk, sbn, c, ldc, m, n, k] = x as number[];
  const [count, sa, sb, sc, mode, per, chunks, pbuf, tmp] = x.slice(11) as number[];
  return [
    { a, sam, sak, b, sbk, sbn, c, ldc, m, n, k } as GemmArgs,
    { count, sa, sb, sc } as Batch,
    { mode, per, chunks } as Plan,
    { pbuf, tmp } as Scratch,
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
        const blocks = Math.ceil((conv.b1 - conv.b0) / conv.imgs);
        const claim = () => {
          const i = Atomics.add(words, NEXT, 1);
          if (i < blocks) Atomics.add(words, HELPED, 1);
          return i;
        };
        convShare(memory, gemm, conv, scratch, claim);
      } else {
        const [g, batch, plan, s] = decodeGemm(words);
        claimChunks(words, plan.chunks, (i) => {
          chunk(gemm, g, batch, plan, i, s);
          Atomics.add(words, HELPED, 1);
        });
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
  /** Chunks of the jobs posted to the helper (not inline), for its share. */
  private postedChunks = 0;

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

  /**
   * The helper's share of the chunks of every job posted to it so far (0.5: an even split; near
   * 0: it wakes too late to take part), and how many chunks that is of.
   */
  helperShare(): { chunks: number; share: number } {
    const helped = Atomics.load(this.words, HELPED);
    return { chunks: this.postedChunks, share: this.postedChunks ? helped / this.postedChunks : 0 };
  }

  /** Computes the whole product on this thread alone. */
  runAlone(g: GemmArgs, own: Scratch): void {
    share(this.gemm, g, [0, g.m, 0, Math.ceil(g.n / NR)], own);
  }

  /**
   * Computes the product (every item of `batch`) on both threads, chunk by chunk (planChunks);
   * returns when every chunk is written.
   */
  run(g: GemmArgs, own: Scratch, helper: Scratch, batch: Batch = ONE): void {
    const plan = planChunks(g.m, g.n, batch.count);
    const work = (s: Scratch) => () =>
      claimChunks(this.words, plan.chunks, (i) => chunk(this.gemm, g, batch, plan, i, s));
    // Without the helper (it died): every chunk again, here (the writes are idempotent).
    const redo = () => {
      Atomics.store(this.words, NEXT, 0);
      work(own)();
    };
    const args = encodeGemm(g, batch, plan, helper);
    if (!this.inline) this.postedChunks += plan.chunks;
    this.together(KIND_GEMM, args, work(own), work(helper), redo);
  }

  /**
   * A convolution on both threads (./conv-share): each claims blocks of images in turn, `mine`
   * with this thread's scratch and cols (and dW), `theirs` with the helper's; returns when both
   * are written.
   */
  runConv(mine: ConvJob, own: Scratch, theirs: ConvJob, helper: Scratch): void {
    const claim = () => Atomics.add(this.words, NEXT, 1);
    const work = () => convShare(this.memory, this.gemm, mine, own, claim);
    const theirsHere = () => convShare(this.memory, this.gemm, theirs, helper, claim);
    // Without the helper (it died): every block again here; the helper's dW then counts nothing.
    const redo = () => {
      Atomics.store(this.words, NEXT, 0);
      work();
      const { g } = theirs;
      if (theirs.filter === true)
        new Float32Array(this.memory.buffer, theirs.y, g.KH * g.KW * g.Ci * g.Co).fill(0);
    };
    if (!this.inline) this.postedChunks += Math.ceil((mine.b1 - mine.b0) / mine.imgs);
    this.together(KIND_CONV, encodeConv(theirs, helper), work, theirsHere, redo);
  }

  /**
   * Posts the job, claims chunks of it here, then waits for the helper (see the header).
   * `inline`: no helper; `mine` claims every chunk, then `theirs` (the helper's side, run here)
   * finds none left (a filter gradient's second dW is then zeroed). `redo`: the whole job here
   * when the helper is gone.
   */
  private together(
    kind: number,
    args: number[],
    mine: () => void,
    theirs: () => void,
    redo: () => void,
  ): void {
    const w = this.words;
    Atomics.store(w, NEXT, 0);
    if (this.inline) {
      mine();
      theirs();
      this.parallelCalls++;
      return;
    }
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
        redo();
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
