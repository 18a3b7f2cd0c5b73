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
 * Only imports made from plotly.js's own files are touched.
 */
import type { Plugin } from 'vite';

const EMPTY = '\0plotly-trim:empty';
const MAT4 = '\0plotly-trim:gl-mat4';
const POLYBOOL = '\0plotly-trim:polybooljs';

export function plotlyTrimPlugin(): Plugin {
  return {
    name: 'latent-lab-plotly-trim',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/[\\/]node_modules[\\/]plotly\.js[\\/]/.test(importer)) return null;
      if (source === 'maplibre-gl/dist/maplibre-gl.css') return EMPTY;
      if (source === 'gl-mat4') return MAT4;
      if (source === 'polybooljs') return POLYBOOL;
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
