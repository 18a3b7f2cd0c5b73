/**
 * "PNG" and "SVG" buttons that download a panel's picture for slides (./figure-export.ts, loaded
 * at the first click), each named for what it saves; a failure is said beside them.
 */
import { useState, type RefObject } from 'react';
import type { FigureFormat } from './figure-export';

export function FigureDownloads({
  target,
  what,
  title,
  fileBase,
  disabled,
}: {
  /** The element whose image grids make the picture. */
  target: RefObject<HTMLElement | null>;
  /** What the picture shows, for the buttons' names ("the manifold"). */
  what: string;
  /** The picture's title line. */
  title: string;
  /** The file name without extension. */
  fileBase: string;
  disabled: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = (format: FigureFormat) => {
    if (!target.current) return;
    setError(null);
    const root = target.current;
    import('./figure-export')
      .then((m) => m.downloadFigure(root, title, `${fileBase}.${format}`, format))
      .catch((err: unknown) => setError(`Export failed: ${(err as Error).message}`));
  };
  return (
    <span className="figure-downloads">
      {(['png', 'svg'] as const).map((f) => (
        <button
          key={f}
          type="button"
          className="gen-export"
          aria-label={`Download ${what} as ${f.toUpperCase()}`}
          data-testid={`download-${fileBase.replace(/-step-\d+$/, '')}-${f}`}
          disabled={disabled}
          onClick={() => save(f)}
        >
          {f.toUpperCase()}
        </button>
      ))}
      {error ? <span role="alert"> {error}</span> : null}
    </span>
  );
}
