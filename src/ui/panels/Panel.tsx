/**
 * One lecture panel: a titled section whose heading is a button that folds it. A folded panel
 * renders nothing inside (no charts, no questions to the worker). Which panels are folded is a
 * setting (`closed` in the URL), so a lecturer's link opens with the same panels.
 */
import { createContext, useContext, useId, type ReactNode } from 'react';
import type { PanelHeading } from './panel-props';

export interface PanelFolding {
  closed: ReadonlySet<string>;
  toggle: (id: string) => void;
}

export const PanelFoldingContext = createContext<PanelFolding>({
  closed: new Set(),
  toggle: () => {},
});

export function Panel({
  id,
  title,
  wide = false,
  children,
}: PanelHeading & { children: ReactNode }) {
  const { closed, toggle } = useContext(PanelFoldingContext);
  const open = !closed.has(id);
  const body = useId();
  return (
    <section
      className={`panel${wide ? ' wide' : ''}${open ? '' : ' folded'}`}
      aria-labelledby={`${id}-h`}
      data-panel={id}
    >
      <h2 id={`${id}-h`}>
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={open}
          aria-controls={body}
          data-testid={`panel-toggle-${id}`}
          onClick={() => toggle(id)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
        </button>
      </h2>
      {open ? <div id={body}>{children}</div> : null}
    </section>
  );
}
