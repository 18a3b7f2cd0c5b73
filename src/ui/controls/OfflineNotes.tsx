/**
 * What the service worker (../service-worker.ts) has to tell the reader, quietly: a new version
 * is ready (one button reloads into it, so a page never mixes two versions' files), and, once
 * per browser, that this page cannot be cross-origin isolated and trains on one thread.
 */
import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, offlineStore } from '../service-worker';

const DISMISSED_KEY = 'latent-lab:isolation-note-dismissed';

function wasDismissed(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

export function OfflineNotes() {
  const { updateReady, isolationUnavailable } = useSyncExternalStore(
    offlineStore.subscribe,
    offlineStore.get,
  );
  const [dismissed, setDismissed] = useState(wasDismissed);
  const dismiss = () => {
    setDismissed(true);
    try {
      window.localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Private mode: the note comes back next visit.
    }
  };
  return (
    <div className="offline-notes" aria-live="polite">
      {updateReady ? (
        <p className="update-banner" data-testid="update-banner">
          A new version of the lab is ready.{' '}
          <button type="button" onClick={applyUpdate}>
            Reload
          </button>
        </p>
      ) : null}
      {isolationUnavailable && !dismissed ? (
        <p className="quiet-line isolation-note" data-testid="isolation-note" role="note">
          Training runs on one thread here: {isolationUnavailable}.{' '}
          <button type="button" aria-label="Dismiss the note about threads" onClick={dismiss}>
            ×
          </button>
        </p>
      ) : null}
    </div>
  );
}
