/**
 * The canvas line chart's read-out (LineChart.tsx): at one step, a tooltip with every shown
 * trace's value there and a vertical cursor line over the plot; the same words go to a live
 * region when the read-out is moved from the keyboard. Finding the step: line-chart-scale.ts.
 */
import { inkOf, type Geometry } from './line-chart-draw';
import { readAt, toPixel, type LineTrace } from './line-chart-scale';
import { formatTick } from './nice-ticks';

/** A step in full ("1,234"), or to one decimal when it is a bucket mean ("1,234.5"). */
export const formatStep = (s: number) =>
  s.toLocaleString('en', { maximumFractionDigits: Number.isInteger(s) ? 0 : 1 });

export interface ReadoutRow {
  text: string;
  /** The trace's colour (none: the step's row). */
  colour: string | null;
}

/** The read-out's rows: the step, then "name: value" per shown trace (its own x if it differs). */
export function readoutRows(
  xTitle: string,
  traces: readonly LineTrace[],
  hidden: ReadonlySet<number>,
  step: number,
): ReadoutRow[] {
  return [
    { text: `${xTitle} ${formatStep(step)}`, colour: null },
    ...readAt(traces, hidden, step).map((r) => ({
      text: `${r.name}: ${formatTick(r.y)}${r.x === step ? '' : ` (at ${formatStep(r.x)})`}`,
      colour: r.colour,
    })),
  ];
}

export interface ReadoutElements {
  tip: HTMLDivElement;
  cursor: HTMLDivElement;
  /** Spoken when the keys move the read-out (null: pointer moves are not spoken). */
  live: HTMLElement | null;
}

/** Shows the read-out at `step` (null: hides it). */
export function showReadout(
  els: ReadoutElements,
  geo: Geometry | null,
  rows: ReadoutRow[] | null,
  step: number | null,
  fg: string,
  /** The pointer's height in the chart (none: at the top of the plot). */
  pointerY: number | null = null,
): void {
  const { tip, cursor, live } = els;
  if (!geo || !rows || step === null) {
    tip.hidden = true;
    cursor.hidden = true;
    return;
  }
  const { area } = geo;
  const px = toPixel(geo.x, step);
  tip.replaceChildren();
  for (const { text, colour } of rows) {
    const row = document.createElement('div');
    row.textContent = text;
    // A trace's row marked in its colour.
    if (colour) row.style.borderLeft = `3px solid ${inkOf(colour, fg)}`;
    if (colour) row.style.paddingLeft = '4px';
    tip.append(row);
  }
  const flip = px > (area.left + area.right) / 2;
  tip.style.left = `${Math.round(flip ? px - 10 : px + 10)}px`;
  // Below the pointer (above it in the lower half), clear of the curves under it.
  const low = pointerY !== null && pointerY > (area.top + area.bottom) / 2;
  tip.style.top = `${Math.round(pointerY === null ? area.top + 4 : low ? pointerY - 12 : pointerY + 16)}px`;
  tip.style.transform = `translate(${flip ? '-100%' : '0'}, ${low ? '-100%' : '0'})`;
  tip.hidden = false;
  cursor.style.left = `${Math.round(px)}px`;
  cursor.style.top = `${area.top}px`;
  cursor.style.height = `${area.bottom - area.top}px`;
  cursor.hidden = false;
  if (live) live.textContent = rows.map((r) => r.text).join('; ');
}
