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

/** The page's colours, read once per theme (reading them forces a style recalculation). */
let pageColours: ChartColours | null = null;
let watching = false;

/** Forget the page's colours when the theme changes: dark mode, or the projector theme. */
function watchTheme(root: Element): void {
  if (watching || typeof MutationObserver === 'undefined') return;
  watching = true;
  const forget = () => {
    pageColours = null;
  };
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', forget);
  new MutationObserver(forget).observe(root, { attributes: true, attributeFilter: ['data-mode'] });
}

/**
 * The theme's chart colours under `root` (the page by default). The page's are kept until the
 * theme changes: a chart redraw right after the page's DOM changed would otherwise pay for a
 * whole style recalculation (tens of ms on a busy machine) to read four custom properties.
 */
export function themeColours(root: Element | null = globalThis.document?.documentElement ?? null) {
  if (!root || typeof getComputedStyle === 'undefined') return null;
  const page = root === globalThis.document?.documentElement;
  if (page && pageColours) return pageColours;
  const style = getComputedStyle(root);
  const read = (name: string) => style.getPropertyValue(name).trim();
  const colours: ChartColours = {
    fg: read('--chart-fg'),
    grid: read('--chart-grid'),
    line: read('--chart-line'),
    bg: read('--chart-bg'),
    size: parseFloat(read('--chart-font-size')) || undefined,
  };
  if (!colours.fg || !colours.bg) return null; // the style sheet is not applied yet
  if (page) {
    watchTheme(root);
    pageColours = colours;
  }
  return colours;
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
