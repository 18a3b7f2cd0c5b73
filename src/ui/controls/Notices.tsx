/** Errors and notices, dismissable, announced to screen readers. */
import type { Notice } from '../../state/training-store';

export function Notices({
  notices,
  onDismiss,
}: {
  notices: Notice[];
  onDismiss: (id: number) => void;
}) {
  return (
    <div className="notices" data-testid="notice" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'note'}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss notice" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
