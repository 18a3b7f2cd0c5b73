/**
 * When the worker snapshots its run. A snapshot reads every weight back, so it is only taken at
 * a safe point: between training steps right after a read-back found the loss and weights finite,
 * or while no training loop runs. Autosaves go out every AUTOSAVE_MS while training and whenever
 * a safe point is forced (training stopped, new model, page hidden); export requests wait for
 * the next safe point.
 */
import type { RunSnapshot } from '../contracts/run-file';

/** Autosave period while training. */
export const AUTOSAVE_MS = 5000;

export class Autosaver {
  private last = -Infinity;
  private wanted = false;
  private readonly waiters: { resolve: (s: RunSnapshot) => void; reject: (e: Error) => void }[] =
    [];

  constructor(
    private readonly capture: () => Promise<RunSnapshot>,
    private readonly publish: (s: RunSnapshot) => void,
  ) {}

  /** Autosave at the next safe point (e.g. the page is being hidden). */
  want(): void {
    this.wanted = true;
  }

  /** A snapshot taken at the next safe point (for export). */
  next(): Promise<RunSnapshot> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Call at a safe point. Serves waiting snapshot requests, then autosaves if the weights are
   * known to be finite (`healthy`) and a save is due (`force`, asked for, or AUTOSAVE_MS passed).
   */
  async safePoint(now: number, healthy: boolean, force = false): Promise<void> {
    for (const w of this.waiters.splice(0)) {
      try {
        w.resolve(await this.capture());
      } catch (err) {
        w.reject(err as Error);
      }
    }
    if (!healthy || !(force || this.wanted || now - this.last >= AUTOSAVE_MS)) return;
    this.wanted = false;
    this.last = now;
    this.publish(await this.capture());
  }
}
