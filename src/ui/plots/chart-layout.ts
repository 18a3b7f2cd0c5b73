/**
 * What every chart passes to Plotly besides its traces: the config (mode bar) and the layout
 * defaults (height, margins, no per-label overflow measuring, see-through over canvas markers).
 */
import type { PlotLayout } from './plotly-types';

export const PLOTLY_CONFIG = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d'],
};
/** A chart with canvas markers: Plotly's PNG download would leave them out. */
export const CANVAS_PLOTLY_CONFIG = {
  ...PLOTLY_CONFIG,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'toImage'],
};
const TRANSPARENT = 'rgba(0,0,0,0)';
const CANVAS_GRID = 'rgba(0,0,0,0.07)';

const AXIS_KEY = /^[xy]axis\d*$/;

/**
 * The layout Plotly gets: height, default margins, no per-label overflow measuring, and a see-
 * through background over canvas markers.
 */
export function chartLayout(
  layout: PlotLayout,
  height: number,
  canvas: boolean,
  htmlLegend: boolean,
): PlotLayout {
  const out: PlotLayout = { height, margin: { l: 60, r: 16, t: 8, b: 48 }, ...layout };
  if (htmlLegend) out.showlegend = false;
  if (canvas) Object.assign(out, { paper_bgcolor: TRANSPARENT, plot_bgcolor: TRANSPARENT });
  for (const [key, axis] of Object.entries(out))
    if (AXIS_KEY.test(key) && axis && typeof axis === 'object')
      out[key] = {
        ticklabeloverflow: 'allow',
        // Over canvas markers a grid line must not hide them: Plotly's #eee, but see-through.
        ...(canvas ? { gridcolor: CANVAS_GRID } : {}),
        ...(axis as Record<string, unknown>),
      };
  return out;
}

/** The page theme's chart colours (theme.css), read at draw time; Plotly's own where none. */
export interface ChartColours {
  fg: string;
  grid: string;
  line: string;
  bg: string;
  /** Base font size in px (the projector theme's is larger); none: Plotly's own. */
  size?: number;
}

export function themeColours(root: Element | null = globalThis.document?.documentElement ?? null) {
  if (!root || typeof getComputedStyle === 'undefined') return null;
  const style = getComputedStyle(root);
  const read = (name: string) => style.getPropertyValue(name).trim();
  const colours = {
    fg: read('--chart-fg'),
    grid: read('--chart-grid'),
    line: read('--chart-line'),
    bg: read('--chart-bg'),
    size: parseFloat(read('--chart-font-size')) || undefined,
  };
  return colours.fg && colours.bg ? colours : null;
}

/**
 * `layout` in the theme's colours: text, axis lines, grid and background (a see-through
 * background stays see-through, and a chart's own colours win).
 */
export function themed(layout: PlotLayout, colours: ChartColours | null = themeColours()) {
  if (!colours) return layout;
  const { fg, grid, line, bg, size } = colours;
  const out: PlotLayout = {
    paper_bgcolor: bg,
    plot_bgcolor: bg,
    ...layout,
    font: { color: fg, ...(size ? { size } : {}), ...(layout.font as object | undefined) },
  };
  for (const [key, axis] of Object.entries(out))
    if (AXIS_KEY.test(key) && axis && typeof axis === 'object')
      out[key] = {
        gridcolor: grid,
        linecolor: line,
        zerolinecolor: line,
        ...(axis as Record<string, unknown>),
      };
  return out;
}
