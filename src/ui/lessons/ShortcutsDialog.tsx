/** The list of keyboard shortcuts (the ? key): a modal dialog; Escape closes it, focus returns. */
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../keyboard';

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d || !open) return;
    const before = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      before?.focus?.();
    };
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="shortcuts"
      role="dialog"
      aria-labelledby="shortcuts-h"
      data-testid="shortcuts-dialog"
      onClose={onClose}
    >
      <h2 id="shortcuts-h">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
