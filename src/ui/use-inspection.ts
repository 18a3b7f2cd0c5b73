/**
 * Keeps one inspect question answered for the current model: asks again whenever `key` changes
 * (e.g. a new evaluation step or a new setting), at most one question in flight per panel, and
 * drops answers that a newer question has overtaken. Errors come back as text, never thrown.
 */
import { useEffect, useRef, useState } from 'react';
import type { InspectAnswer, InspectQuery } from '../worker/protocol';

export type Inspect = (query: InspectQuery) => Promise<InspectAnswer>;

export interface Inspection<K extends InspectAnswer['kind']> {
  answer: Extract<InspectAnswer, { kind: K }> | null;
  error: string | null;
  pending: boolean;
}

/**
 * `query` null = nothing to ask (e.g. the model has no such view); `key` = when to ask again.
 * The query object itself is not compared: change `key` to re-ask.
 */
export function useInspection<K extends InspectAnswer['kind']>(
  inspect: Inspect,
  kind: K,
  query: Extract<InspectQuery, { kind: K }> | null,
  key: string,
): Inspection<K> {
  const [state, setState] = useState<Inspection<K>>({ answer: null, error: null, pending: false });
  const latest = useRef<{ query: InspectQuery | null; inspect: Inspect }>({ query, inspect });
  const mounted = useRef(true);
  const inFlight = useRef(false);
  const queued = useRef(false);
  useEffect(() => {
    latest.current = { query, inspect };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // One function for the panel's life: it reads the newest question from `latest`, so the answer
  // to a question asked under an older key still lands, and a queued question is still asked.
  const [ask] = useState(() => {
    const again = (): void => {
      const q = latest.current.query;
      if (!q) return;
      if (inFlight.current) {
        queued.current = true; // ask again with the newest query once this one is answered
        return;
      }
      inFlight.current = true;
      setState((s) => ({ ...s, pending: true }));
      const settle = (next: Inspection<K> | null) => {
        inFlight.current = false;
        // An answer to an older question still shows (it is newer than what is on screen);
        // a question that came meanwhile is asked at once.
        if (next && mounted.current) setState(next);
        if (queued.current) {
          queued.current = false;
          again();
        }
      };
      latest.current.inspect(q).then(
        (answer) =>
          settle(
            answer.kind === kind
              ? {
                  answer: answer as Extract<InspectAnswer, { kind: K }>,
                  error: null,
                  pending: queued.current,
                }
              : null,
          ),
        (err: unknown) => settle({ answer: null, error: (err as Error).message, pending: false }),
      );
    };
    return again;
  });

  useEffect(() => {
    latest.current = { query, inspect };
    if (query) ask();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` says when to ask again
  }, [inspect, kind, key, query === null]);

  return state;
}
