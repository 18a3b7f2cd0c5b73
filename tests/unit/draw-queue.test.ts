// The chart redraw queue: one redraw per animation frame, merged requests, the least recently
// drawn chart first, the per-chart interval, and the slower pace of charts scrolled away. Frames
// are simulated with a timer; nothing here depends on how fast the machine is (only on order
// and on counts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSlot,
  removeSlot,
  requestDraw,
  setVisible,
  type DrawSlot,
} from '../../src/ui/plots/draw-queue';

let frames = 0;
const g = globalThis as unknown as { requestAnimationFrame?: (cb: () => void) => number };
const original = g.requestAnimationFrame;
beforeAll(() => {
  g.requestAnimationFrame = (cb) => setTimeout(() => (frames++, cb()), 16) as unknown as number;
});
afterAll(() => {
  g.requestAnimationFrame = original;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(10);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

function slot(name: string, log: string[], minIntervalMs = 0, visible = true): DrawSlot {
  return {
    draw: () => log.push(name),
    minIntervalMs,
    visible,
    pending: false,
    lastDrawn: -Infinity,
  };
}

describe('draw queue', () => {
  it('draws each requested chart once, one per frame, merging repeated requests', async () => {
    const log: string[] = [];
    const slots = ['a', 'b', 'c'].map((n) => slot(n, log, 60_000));
    slots.forEach(addSlot);
    const frames0 = frames;
    for (let k = 0; k < 5; k++) slots.forEach(requestDraw); // bursts of updates
    await until(() => log.length === 3, 'three draws');
    await sleep(100);
    expect(log.sort()).toEqual(['a', 'b', 'c']); // merged: one draw each
    expect(frames - frames0).toBeGreaterThanOrEqual(3); // never two draws in one frame
    slots.forEach(removeSlot);
  });

  it('waits out a chart’s interval, and serves the chart drawn longest ago first', async () => {
    const log: string[] = [];
    const busy = slot('busy', log, 60_000);
    const calm = slot('calm', log, 0);
    addSlot(busy);
    addSlot(calm);
    requestDraw(busy);
    await until(() => log.length === 1, 'the first draw');
    requestDraw(busy); // inside its interval: not drawn again in this test
    requestDraw(calm);
    await until(() => log.length === 2, 'the second draw');
    await sleep(150);
    expect(log).toEqual(['busy', 'calm']);
    // Both due at once: the one drawn longest ago goes first.
    const log2: string[] = [];
    const older = { ...slot('older', log2), lastDrawn: 1 };
    const newer = { ...slot('newer', log2), lastDrawn: 2 };
    addSlot(newer);
    addSlot(older);
    requestDraw(newer);
    requestDraw(older);
    await until(() => log2.length === 2, 'both draws');
    expect(log2).toEqual(['older', 'newer']);
    [busy, calm, older, newer].forEach(removeSlot);
  });

  it('draws a chart scrolled away only rarely, and at once when it comes into view', async () => {
    const log: string[] = [];
    const away = { ...slot('away', log, 0, false), lastDrawn: performance.now() };
    addSlot(away);
    requestDraw(away);
    await sleep(200);
    expect(log).toEqual([]); // drawn just now, and off screen: waits (OFF_SCREEN_MS)
    setVisible(away, true);
    await until(() => log.length === 1, 'the draw on coming into view');
    removeSlot(away);
    // A chart that left the queue is not drawn any more.
    requestDraw(away);
    await sleep(100);
    expect(log).toEqual(['away']);
  });
});
