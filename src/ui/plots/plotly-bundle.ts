/**
 * Our partial Plotly bundle, imported lazily by PlotlyChart only. It is plotly.js's own core
 * (src/core.js) cut down to what our charts use:
 * - traces: scatter (SVG: no WebGL, so no regl and no need for 'unsafe-eval' in the CSP) and
 *   bar. No scattergl, no heatmap: another trace type must be registered here first.
 * - components: shapes (the latent prior's circles, the restart lines), fx (hover and click),
 *   modebar, colorscale (per-point marker colours), and selections, which the cartesian drag code
 *   requires anyway. No legend: every chart's legend is HTML (ChartLegend.tsx, htmlLegend) or
 *   off. Not registered, so not bundled: annotations, images, update menus,
 *   sliders, range sliders and selectors, layout grids, error bars, colour bars; Plotly skips a
 *   component that is not registered.
 * - no Promise polyfill (native-promise-only); no maplibre CSS and only two gl-mat4 functions
 *   (scripts/plotly-trim.ts).
 * A new chart feature from that list needs its component registered here.
 */
import 'plotly.js/build/plotcss';
// @ts-expect-error: plotly.js ships no types for its sources
import Registry from 'plotly.js/src/registry';
// @ts-expect-error: as above
import plotApi from 'plotly.js/src/plot_api';
// @ts-expect-error: as above
import Plots from 'plotly.js/src/plots/plots';
// @ts-expect-error: as above
import scatter from 'plotly.js/src/traces/scatter';
// @ts-expect-error: as above
import bar from 'plotly.js/src/traces/bar';
// @ts-expect-error: as above
import selections from 'plotly.js/src/components/selections';
// @ts-expect-error: as above
import shapes from 'plotly.js/src/components/shapes';
// @ts-expect-error: as above
import colorscale from 'plotly.js/src/components/colorscale';
// @ts-expect-error: as above
import fx from 'plotly.js/src/components/fx';
// @ts-expect-error: as above
import modebar from 'plotly.js/src/components/modebar';
// @ts-expect-error: as above
import localeEn from 'plotly.js/src/locale-en';
// @ts-expect-error: as above
import localeEnUs from 'plotly.js/src/locale-en-us';
import type { PlotlyApi } from './plotly-types';

const register = Registry.register as (modules: unknown) => void;

// As src/core.js: every plot_api method is both exported and registered (Plotly calls some,
// e.g. the modebar's relayout and downloadImage, through the registry).
const api: Record<string, unknown> = {};
for (const [name, fn] of Object.entries(plotApi as Record<string, unknown>)) {
  if (!name.startsWith('_')) api[name] = fn;
  register({ moduleType: 'apiMethod', name, fn });
}
register(scatter);
// Order as in src/core.js (where the legend sits between colorscale and fx).
register([selections, shapes, colorscale, fx, modebar]);
register([localeEn, localeEnUs]);
register([bar]);

api.register = register;
api.Plots = { resize: Plots.resize };

export default api as unknown as PlotlyApi;
