/**
 * A chart's legend as HTML under it, in place of Plotly's: one toggle button per trace, with a
 * swatch drawn like the trace (colour, dash, marker) and its name. Pressing one hides or shows
 * the trace, as a click on Plotly's legend would, and works from the keyboard.
 *
 * Why not Plotly's: it is redrawn and re-measured (a bounding box per entry) on every redraw of
 * the chart, about a quarter of the time of each redraw of the loss charts, which redraw every
 * half second while training; this one re-renders only when the traces' names or styles change.
 */
import { memo } from 'react';
import type { PlotData } from './plotly-types';

export interface LegendEntry {
  name: string;
  colour: string;
  /** Plotly's dash name ('solid', 'dot', 'dash', …). */
  dash: string;
  width: number;
  /** Whether the trace draws a line (else only markers). */
  line: boolean;
  /** Plotly's marker symbol when the trace draws markers, else null. */
  marker: string | null;
  opacity: number;
}

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

/** What the legend shows of each trace (traces without a name or with showlegend off: none). */
export function legendEntries(data: PlotData[]): (LegendEntry | null)[] {
  return data.map((t) => {
    if (typeof t.name !== 'string' || t.showlegend === false) return null;
    const line = (t.line ?? {}) as Record<string, unknown>;
    const marker = (t.marker ?? {}) as Record<string, unknown>;
    const mode = str(t.mode, 'lines');
    return {
      name: t.name,
      colour: str(line.color, str(marker.color, '#444')),
      dash: str(line.dash, 'solid'),
      width: num(line.width, 2),
      line: mode.includes('lines'),
      marker: mode.includes('markers') ? str(marker.symbol, 'circle') : null,
      opacity: num(t.opacity, 1),
    };
  });
}

/** SVG stroke-dasharray for Plotly's dash names, in units of the line width. */
const DASHES: Record<string, number[]> = {
  dot: [1, 2],
  dash: [4, 2],
  dashdot: [4, 2, 1, 2],
  longdash: [7, 3],
};

function Swatch({ e }: { e: LegendEntry }) {
  const w = Math.max(1, Math.min(e.width, 3));
  const dash = DASHES[e.dash]?.map((d) => d * w).join(' ');
  return (
    <svg width="28" height="12" aria-hidden="true" focusable="false" opacity={e.opacity}>
      {e.line ? (
        <line
          x1="1"
          y1="6"
          x2="27"
          y2="6"
          stroke={e.colour}
          strokeWidth={w}
          strokeDasharray={dash}
        />
      ) : null}
      {e.marker === null ? null : e.marker.startsWith('diamond') ? (
        <path d="M14 1.5 L18.5 6 L14 10.5 L9.5 6 Z" fill={e.colour} />
      ) : e.marker.startsWith('star') ? (
        <path
          d="M14 0.5 L15.5 4.5 L19.5 4.6 L16.3 7.1 L17.5 11.2 L14 8.8 L10.5 11.2 L11.7 7.1 L8.5 4.6 L12.5 4.5 Z"
          fill={e.colour}
        />
      ) : (
        <circle cx="14" cy="6" r="3.5" fill={e.colour} />
      )}
    </svg>
  );
}

/**
 * 'toggle': each entry a button that hides or shows its trace. 'key': a plain list (entries that
 * stand for groups of points rather than traces of their own, e.g. the scatter's digit colours).
 */
export type LegendMode = 'toggle' | 'key';

export const ChartLegend = memo(function ChartLegend({
  title,
  heading,
  mode,
  entries,
  hidden,
  onToggle,
}: {
  title: string;
  /** Shown before the entries (Plotly's legend title). */
  heading?: string;
  mode: LegendMode;
  entries: (LegendEntry | null)[];
  hidden: ReadonlySet<number>;
  onToggle: (index: number) => void;
}) {
  const how = mode === 'toggle' ? ': press an entry to hide or show it' : '';
  return (
    <ul className="chart-legend" aria-label={`Legend of ${title}${how}`}>
      {heading ? <li className="chart-legend-heading">{heading}</li> : null}
      {entries.map((e, i) =>
        e === null ? null : mode === 'toggle' ? (
          <li key={i}>
            <button type="button" aria-pressed={!hidden.has(i)} onClick={() => onToggle(i)}>
              <Swatch e={e} />
              <span>{e.name}</span>
            </button>
          </li>
        ) : (
          <li key={i} className="chart-legend-key">
            <Swatch e={e} />
            <span>{e.name}</span>
          </li>
        ),
      )}
    </ul>
  );
});
