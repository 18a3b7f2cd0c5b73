/**
 * Our partial Plotly bundle: the core (with SVG scatter) plus scattergl, heatmap and bar, about
 * a third of the full distribution. Imported lazily by PlotlyChart only.
 */
// @ts-expect-error: plotly.js ships no types for its per-trace modules
import Plotly from 'plotly.js/lib/core';
// @ts-expect-error: as above
import bar from 'plotly.js/lib/bar';
// @ts-expect-error: as above
import heatmap from 'plotly.js/lib/heatmap';
// @ts-expect-error: as above
import scattergl from 'plotly.js/lib/scattergl';
import type { PlotlyApi } from './plotly-types';

const api = Plotly as PlotlyApi;
api.register([scattergl, heatmap, bar]);

export default api;
