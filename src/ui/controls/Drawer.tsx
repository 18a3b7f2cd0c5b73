/**
 * A disclosure drawer for the tools that are not the lab itself (dataset, run files, saved runs,
 * the device benchmark): a button with aria-expanded opens a region below it; opening moves the
 * focus into the region, Escape (or the button) closes it and gives the focus back to the button.
 * The contents stay mounted while closed (hidden), so a benchmark or an upload under way goes on.
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export function Drawer({
  label,
  title,
  children,
}: {
  /** The button's text, e.g. "Data & runs". */
  label: string;
  /** The region's heading. */
  title: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const regionId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const region = useRef<HTMLDivElement>(null);
  const opened = useRef(false);

  // A layout effect: the focus moves in the same task as the region opens or closes, never a
  // frame later (a closed region's focus would fall to the page body in between).
  useLayoutEffect(() => {
    if (open) region.current?.focus();
    else if (opened.current) button.current?.focus();
    opened.current = open;
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="drawer-toggle"
        data-testid="drawer-toggle"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">☰</span> {label}
      </button>
      <div
        ref={region}
        id={regionId}
        className="drawer"
        role="region"
        aria-label={title}
        tabIndex={-1}
        hidden={!open}
        data-testid="drawer"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <div className="drawer-head">
          <h2>{title}</h2>
          <button type="button" aria-label={`Close ${title}`} onClick={() => setOpen(false)}>
            ×
          </button>
        </div>
        {children}
      </div>
    </>
  );
}
