/**
 * The page's chart redraws, paced so that none of them piles onto another: every chart asks for
 * a redraw when its data changes, and the queue runs at most ONE redraw per animation frame, in
 * a task of its own just after the frame is drawn. Requests in between are merged (a chart draws
 * only its latest data). A chart redraws at most every `minIntervalMs` while on screen, and only
 * every OFF_SCREEN_MS while scrolled away (so it is never far behind when it comes into view).
 * The chart drawn longest ago goes first, so a busy chart cannot starve the others.
 */

/** One chart's place in the queue. */
export interface DrawSlot {
  /** Draws the chart's latest data now. */
  draw: () => void;
  /** Least time between two redraws while on screen. */
  minIntervalMs: number;
  /** On screen (or near it), as an IntersectionObserver last said. */
  visible: boolean;
  /** Has data newer than what it shows. */
  pending: boolean;
  /** performance.now() of its latest redraw (−∞ before the first). */
  lastDrawn: number;
}

/** Least time between two redraws of a chart that is scrolled away. */
export const OFF_SCREEN_MS = 5000;

const slots = new Set<DrawSlot>();
let frameRequested = false;
let timer: ReturnType<typeof setTimeout> | null = null;
let timerDue = Infinity;

/** A task that runs as soon as possible after the current one (no timer clamping). */
let channel: MessageChannel | null = null;
function postTask(run: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => run();
  }
  channel.port2.postMessage(null);
}

const dueAt = (s: DrawSlot) => s.lastDrawn + (s.visible ? s.minIntervalMs : OFF_SCREEN_MS);

function runOne(): void {
  frameRequested = false;
  const now = performance.now();
  let next: DrawSlot | null = null;
  for (const s of slots)
    if (s.pending && dueAt(s) <= now && (!next || s.lastDrawn < next.lastDrawn)) next = s;
  if (next) {
    next.pending = false;
    next.lastDrawn = now;
    try {
      next.draw();
    } finally {
      wake();
    }
  } else wake();
}

/** Schedules the next redraw: after the next frame if one is due, else a timer until then. */
function wake(): void {
  if (frameRequested) return;
  let soonest = Infinity;
  for (const s of slots) if (s.pending) soonest = Math.min(soonest, dueAt(s));
  if (soonest === Infinity) return;
  const now = performance.now();
  if (soonest <= now) {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    timerDue = Infinity;
    frameRequested = true;
    // After the frame is drawn, so the redraw and the frame's own work are separate tasks.
    requestAnimationFrame(() => postTask(runOne));
    return;
  }
  if (timer !== null && timerDue <= soonest) return;
  if (timer !== null) clearTimeout(timer);
  timerDue = soonest;
  timer = setTimeout(
    () => {
      timer = null;
      timerDue = Infinity;
      wake();
    },
    Math.max(1, soonest - now),
  );
}

export function addSlot(slot: DrawSlot): void {
  slots.add(slot);
  wake();
}

export function removeSlot(slot: DrawSlot): void {
  slots.delete(slot);
}

/** The chart has new data: it will be drawn when its turn comes. */
export function requestDraw(slot: DrawSlot): void {
  slot.pending = true;
  if (slots.has(slot)) wake();
}

/** The chart came into view or left it. */
export function setVisible(slot: DrawSlot, visible: boolean): void {
  slot.visible = visible;
  if (slots.has(slot)) wake();
}
