/**
 * Errors and notices, dismissable, announced to screen readers. The backend's "software renderer
 * skipped" notices (one per GPU backend, see backends/setup.ts) are not warnings worth two boxes:
 * they become one quiet line saying what runs and why.
 */
import type { Notice } from '../../state/training-store';

const SOFTWARE = /^(\w+) here is a software renderer \(([^)]*)\)/;

/** "running on wasm: no GPU found (WebGPU and WebGL here are software renderers: SwiftShader)". */
export function softwareLine(notices: readonly Notice[], backend: string | null): string | null {
  const found = notices.map((n) => SOFTWARE.exec(n.text)).filter((m) => m !== null);
  if (!found.length) return null;
  const names = found.map((m) => m[1]!);
  const renderers = [...new Set(found.map((m) => m[2]!))].join(', ');
  const which = names.length > 1 ? `${names.join(' and ')} here are` : `${names[0]} here is`;
  const noun = names.length > 1 ? 'software renderers' : 'a software renderer';
  return `Running on ${backend ?? 'a fallback'}: no GPU found (${which} ${noun}: ${renderers}).`;
}

export function Notices({
  notices,
  backend,
  onDismiss,
}: {
  notices: Notice[];
  /** The backend that runs, named in the quiet line. */
  backend: string | null;
  onDismiss: (id: number) => void;
}) {
  const quiet = softwareLine(notices, backend);
  const loud = notices.filter((n) => !SOFTWARE.test(n.text));
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
