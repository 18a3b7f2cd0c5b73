/**
 * Build plugin: trims two dependencies out of our partial Plotly bundle (src/ui/plots/plotly-bundle.ts)
 * where plotly.js's sources pull in more than our charts run.
 * - maplibre-gl's CSS (9 kB gzip): src/registry.js requires it inside a branch for map subplots,
 *   which we never register; bundlers hoist the require, so it is replaced by an empty module.
 * - gl-mat4: src/lib/dom.js and src/lib/matrix.js use only its multiply and invert, but require
 *   the whole package; they get a module with those two.
 * - polybooljs (~9 kB gzip): src/components/selections/select.js merges the polygons of several
 *   box or lasso selections with it. Our charts offer neither mode (chart-layout.ts removes
 *   select2d and lasso2d), so it gets a module whose union and difference throw, saying why.
 * - the legend (~10 kB gzip): every chart's legend is HTML (src/ui/plots/ChartLegend.tsx) or
 *   off, so plotly-bundle.ts registers none; only the 'x unified' hover mode, which no chart
 *   uses, still requires its defaults and drawing (src/components/fx/hover.js). There they get
 *   functions that throw, saying why.
 * Only imports made from plotly.js's own files are touched.
 */
import type { Plugin } from 'vite';

const EMPTY = '\0plotly-trim:empty';
const MAT4 = '\0plotly-trim:gl-mat4';
const POLYBOOL = '\0plotly-trim:polybooljs';
const NO_LEGEND = '\0plotly-trim:no-legend';

export function plotlyTrimPlugin(): Plugin {
  return {
    name: 'latent-lab-plotly-trim',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/[\\/]node_modules[\\/]plotly\.js[\\/]/.test(importer)) return null;
      if (source === 'maplibre-gl/dist/maplibre-gl.css') return EMPTY;
      if (source === 'gl-mat4') return MAT4;
      if (source === 'polybooljs') return POLYBOOL;
      if (/[\\/]components[\\/]fx[\\/]hover\.js$/.test(importer) && /^\.\.\/legend\//.test(source))
        return NO_LEGEND;
      return null;
    },
    load(id) {
      if (id === EMPTY) return 'export {};';
      if (id === MAT4) {
        return [
          "export { default as multiply } from 'gl-mat4/multiply.js';",
          "export { default as invert } from 'gl-mat4/invert.js';",
        ].join('\n');
      }
      if (id === NO_LEGEND) {
        return [
          'module.exports = function () {',
          "  throw new Error('The unified hover label (a legend) is not part of the lab\\'s Plotly bundle');",
          '};',
        ].join('\n');
      }
      if (id === POLYBOOL) {
        return [
          'const unavailable = () => {',
          "  throw new Error('Merging box or lasso selections is not part of the lab\\'s Plotly bundle');",
          '};',
          'export default { union: unavailable, difference: unavailable };',
        ].join('\n');
      }
      return null;
    },
  };
}
