/**
 * Runs one inference by optimisation from the page: asks the worker for a batch of Adam steps
 * (the `infer` inspect question), adds the losses and the path to what is shown, and asks again
 * until the steps are done or Stop is pressed. One question is in flight at a time, so the worker
 * answers other panels and trains in between; the page never waits on a read-back.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InferSpec, InspectAnswer } from '../../../contracts/inspect';
import type { Inspect } from '../../use-inspection';

export type InferAnswer = Extract<InspectAnswer, { kind: 'infer' }>;

/** Adam steps per question: small enough to draw ~10 times a second on a slow backend. */
export const STEPS_PER_BATCH = 20;

export interface InferenceView {
  /** The latest answer (images, encoder, unit). */
  latest: InferAnswer | null;
  /** Loss at steps 0, 1, …, per image. */
  losses: number[];
  /** The code's path in the plane, 2 numbers a step (empty with no plane). */
  path: number[];
  running: boolean;
  error: string | null;
}

let nextJob = 1;

export function useInferenceRun(inspect: Inspect) {
  const [view, setView] = useState<InferenceView>({
    latest: null,
    losses: [],
    path: [],
    running: false,
    error: null,
  });
  const [job] = useState(() => nextJob++);
  /** The run in progress: a new Run or Stop bumps it, and the old loop ends at its next answer. */
  const generation = useRef(0);
  useEffect(
    () => () => {
      generation.current++;
    },
    [],
  );

  const run = useCallback(
    async (spec: InferSpec, totalSteps: number) => {
      const mine = ++generation.current;
      setView({ latest: null, losses: [], path: [], running: true, error: null });
      let done = 0;
      try {
        while (done < totalSteps && generation.current === mine) {
          const steps = Math.min(STEPS_PER_BATCH, totalSteps - done);
          const answer = await inspect({ kind: 'infer', job, spec, steps, restart: done === 0 });
          if (answer.kind !== 'infer' || generation.current !== mine) return;
          done += steps;
          setView((v) => ({
            ...v,
            latest: answer,
            losses: [...v.losses, ...answer.losses],
            path: answer.path ? [...v.path, ...answer.path] : v.path,
          }));
        }
      } catch (err) {
        if (generation.current === mine) setView((v) => ({ ...v, error: (err as Error).message }));
      } finally {
        if (generation.current === mine) setView((v) => ({ ...v, running: false }));
      }
    },
    [inspect, job],
  );

  const stop = useCallback(() => {
    generation.current++;
    setView((v) => ({ ...v, running: false }));
  }, []);

  return { view, run, stop };
}

/** The first step whose loss is at or below `target` (e.g. the encoder's), or null. */
export function firstStepAtOrBelow(losses: readonly number[], target: number): number | null {
  const i = losses.findIndex((v) => v <= target);
  return i < 0 ? null : i;
}
