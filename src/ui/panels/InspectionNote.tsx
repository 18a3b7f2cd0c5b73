/**
 * The inline status of one inspect question: empty while all is well, a sentence when the
 * worker could not answer (it may say "cannot answer … yet" while a model lacks the view).
 * Always in the DOM so that screen readers announce the change.
 */
export function InspectionNote({
  what,
  error,
  pending,
  answered,
}: {
  /** What the question shows, e.g. "the code map". */
  what: string;
  error: string | null;
  pending: boolean;
  answered: boolean;
}) {
  const text = error
    ? `Could not show ${what}: ${error}`
    : pending && !answered
      ? `Asking the model for ${what}…`
      : '';
  return (
    <p role="status" className={error ? 'diag-note diag-error' : 'diag-note'}>
      {text}
    </p>
  );
}
