/**
 * The inline status line of a generative panel: the inspector's error as text (e.g. "cannot
 * answer manifold yet"), or "Asking the model…" until a first answer arrives. A live region
 * that stays quiet while answers refresh, so screen readers are not told every 1.5 s.
 */
export function GenerativeStatus({
  error,
  pending,
  hasAnswer,
  waiting,
}: {
  error: string | null;
  pending: boolean;
  hasAnswer: boolean;
  /** Why nothing is asked yet (e.g. "Draw a digit first."), shown when there is no error. */
  waiting?: string | null;
}) {
  let text = '';
  if (error) text = `The model could not answer: ${error}`;
  else if (waiting) text = waiting;
  else if (pending && !hasAnswer) text = 'Asking the model…';
  return (
    <p role="status" className={error ? 'gen-status gen-error' : 'gen-status'}>
      {text}
    </p>
  );
}
