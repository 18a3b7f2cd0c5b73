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
