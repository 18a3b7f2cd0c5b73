/**
 * Errors and notices, dismissable, announced to screen readers. The backend's "software renderer
 * skipped" notices (one per GPU backend, see backends/setup.ts) are not warnings worth two boxes:
 * they become one quiet line saying what runs and why.
 */
import type { Notice } from '../../state/training-store';

const SOFTWARE = /^(\w+) here is a software renderer \(([^)]*)\)/;
/** A GPU backend that failed to start; folded only when nobody chose the backend. */
const FAILED_GPU = /^(webgpu|webgl) could not start: (.*?)\.? Fell back to/;

function reasonOf(text: string, automatic: boolean): string | null {
  const soft = SOFTWARE.exec(text);
  if (soft) return `${soft[1]} is a software renderer here (${soft[2]})`;
  const failed = automatic ? FAILED_GPU.exec(text) : null;
  return failed ? `${failed[1]} did not start (${failed[2]})` : null;
}

/**
 * The backend notices that say only "no usable GPU here", as one line, e.g. "Running on wasm: no
 * GPU found (WebGL is a software renderer here (SwiftShader))", and the notices left to show.
 * A GPU backend that failed to start is folded in only when the backend was `automatic` (a
 * backend someone named that fails is worth a warning).
 */
export function fallbackLine<N extends { text: string }>(
  notices: readonly N[],
  backend: string | null,
  automatic: boolean,
): { line: string | null; rest: N[] } {
  const reasons: string[] = [];
  const rest: N[] = [];
  for (const n of notices) {
    const reason = reasonOf(n.text, automatic);
    if (reason) reasons.push(reason);
    else rest.push(n);
  }
  const line = reasons.length
    ? `Running on ${backend ?? 'a fallback'}: no GPU found (${reasons.join('; ')}).`
    : null;
  return { line, rest };
}

export function Notices({
  notices,
  backend,
  automatic,
  onDismiss,
}: {
  notices: Notice[];
  /** The backend that runs, named in the quiet line. */
  backend: string | null;
  /** Nobody chose the backend (link, control or benchmark). */
  automatic: boolean;
  onDismiss: (id: number) => void;
}) {
  const { line: quiet, rest: loud } = fallbackLine(notices, backend, automatic);
  return (
    <div className="notices" data-testid="notice" aria-live="polite">
      {quiet ? (
        <p className="quiet-line" data-testid="software-fallback">
          {quiet}
        </p>
      ) : null}
      {loud.map((n) => (
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
