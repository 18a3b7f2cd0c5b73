/**
 * When the worker's training loop (TrainingSession.runLoop) reads the losses back and evaluates
 * the probe set: a read-back at most every READBACK_MS or once READBACK_MAX_STEPS steps wait; an
 * evaluation at most every EVAL_MIN_MS, and taking at most 1/EVAL_BUDGET_RATIO of the time.
 */

/** Read losses back at most this often (≈10 Hz UI updates) … */
const READBACK_MS = 100;
/** … or when this many steps are waiting, whichever comes first. */
const READBACK_MAX_STEPS = 200;
/** Evaluate the probe set at most this often, and spend at most 1/EVAL_BUDGET_RATIO of the time on it. */
const EVAL_MIN_MS = 1500;
const EVAL_BUDGET_RATIO = 8;

/** The times of the latest read-back and evaluation, and whether the next one is due. */
export class Pacing {
  private lastFlush = 0;
  private lastEvalEnd = 0;
  private lastEvalMs = 0;

  /** Whether to read back now (ms `now`), with `pendingSteps` steps waiting. */
  readbackDue(now: number, pendingSteps: number): boolean {
    return now - this.lastFlush >= READBACK_MS || pendingSteps >= READBACK_MAX_STEPS;
  }

  /** A read-back (or a new run) at `now`: the next read-back counts from here. */
  flushed(now: number): void {
    this.lastFlush = now;
  }

  /**
   * Whether to evaluate now: EVAL_BUDGET_RATIO × the last evaluation's time (at least EVAL_MIN_MS)
   * has passed since it ended.
   */
  evalDue(now: number): boolean {
    const evalBudget = Math.max(EVAL_MIN_MS, EVAL_BUDGET_RATIO * this.lastEvalMs);
    return now - this.lastEvalEnd >= evalBudget;
  }

  /** An evaluation ran from `start` to `end` (ms). */
  evaluated(start: number, end: number): void {
    this.lastEvalEnd = end;
    this.lastEvalMs = end - start;
  }
}
