/**
 * The buffers a worker response moves to the page rather than copies (postMessage's transfer
 * list): a run snapshot's, and the pixel buffers of an inspection's answer.
 */
import type { RunSnapshot } from '../contracts/run-file';

/** A snapshot's weights, state and shuffle order. */
export const snapshotBuffers = (s: RunSnapshot) => [s.weights, s.state, s.order.buffer];

/** The pixel buffers of an answer, moved rather than copied to the page. */
export function transferablesOf(answer: object): Transferable[] {
  const out: Transferable[] = [];
  for (const v of Object.values(answer) as unknown[]) {
    if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array)
      out.push(v.buffer);
    else if (v && typeof v === 'object' && 'pixels' in v && v.pixels instanceof Float32Array)
      out.push(v.pixels.buffer);
  }
  return [...new Set(out)];
}
