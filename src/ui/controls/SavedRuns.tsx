/**
 * Ways back to a run: "Resume run" for the latest autosave after a reload, "Roll back" after a
 * divergence, and the list of runs saved in this browser (reopen or delete).
 */
import { MODEL_CATALOG } from '../../contracts/catalog';
import type { SavedRunSummary } from '../../state/run-db';
import { MAX_SAVED_RUNS } from '../../state/run-db';
import { count } from '../format';

// One formatter each, made once: toLocaleString builds a new one per call (~1 ms each), and the
// saved-runs list re-renders with every training update.
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const time = (ms: number) => TIME.format(ms);
const date = (ms: number) => DATE.format(ms);
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function RunRecovery({
  resumable,
  rollbackStep,
  ready,
  onResume,
  onRollback,
}: {
  resumable: SavedRunSummary | null;
  /** The step of the last good autosave after a divergence, else null. */
  rollbackStep: number | null;
  ready: boolean;
  onResume: (id: string) => void;
  onRollback: () => void;
}) {
  if (!resumable && rollbackStep === null) return null;
  return (
    <div className="run-recovery">
      {rollbackStep !== null ? (
        <button
          type="button"
          className="primary"
          data-testid="rollback"
          disabled={!ready}
          onClick={onRollback}
        >
          Roll back to step {count(rollbackStep)}
        </button>
      ) : null}
      {resumable ? (
        <button
          type="button"
          data-testid="resume-run"
          disabled={!ready}
          onClick={() => onResume(resumable.id)}
        >
          Resume run ({MODEL_CATALOG[resumable.model].label}, step {count(resumable.step)}, saved{' '}
          {time(resumable.savedAt)})
        </button>
      ) : null}
    </div>
  );
}

export function SavedRunsList({
  runs,
  ready,
  onOpen,
  onDelete,
}: {
  runs: SavedRunSummary[];
  ready: boolean;
  onOpen: (id: string) => void;
  onDelete: (id: string) => void;
}) {
  return (
    <details className="saved-runs" data-testid="runs-list">
      <summary>Saved runs in this browser ({runs.length})</summary>
      {runs.length === 0 ? (
        <p className="hint">
          Runs are saved here every few seconds while training, and when you pause.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Model</th>
              <th scope="col">Step</th>
              <th scope="col">Saved</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="saved-run">
                <td>{r.name}</td>
                <td>{MODEL_CATALOG[r.model].label}</td>
                <td>{count(r.step)}</td>
                <td>{date(r.savedAt)}</td>
                <td>{megabytes(r.bytes)}</td>
                <td>
                  <button
                    type="button"
                    data-testid="open-run"
                    disabled={!ready}
                    onClick={() => onOpen(r.id)}
                  >
                    Open
                  </button>{' '}
                  <button
                    type="button"
                    data-testid="delete-run"
                    aria-label={`Delete ${r.name}`}
                    onClick={() => onDelete(r.id)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">The {MAX_SAVED_RUNS} most recent runs are kept.</p>
    </details>
  );
}
