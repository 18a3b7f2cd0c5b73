/**
 * The lessons' signal bus: controls and panels send what the learner did (a LessonSignal, e.g. a
 * stroke on the drawing pad) and the open lesson counts them for its step conditions. A tiny
 * emitter with no React in it; one bus per page (`sendSignal`, `onSignal`).
 */
import type { LessonSignal } from './lesson';

export type SignalListener = (signal: LessonSignal) => void;

export interface SignalBus {
  send: (signal: LessonSignal) => void;
  /** Calls `listener` for every signal sent from now on; returns the unsubscribe. */
  listen: (listener: SignalListener) => () => void;
}

export function createSignalBus(): SignalBus {
  const listeners = new Set<SignalListener>();
  return {
    send: (signal) => {
      // A copy: a listener may unsubscribe (or subscribe another) while being called.
      for (const listener of [...listeners]) listener(signal);
    },
    listen: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const pageBus = createSignalBus();

/** Tells the open lesson (if any) that the learner did `signal`. */
export function sendSignal(signal: LessonSignal): void {
  pageBus.send(signal);
}

export function onSignal(listener: SignalListener): () => void {
  return pageBus.listen(listener);
}
