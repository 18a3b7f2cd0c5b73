/**
 * Whether a line trace also draws a marker per point. Plotly draws every marker as its own SVG
 * element and moves each one on every redraw: a per-evaluation curve of a long run (up to 1,000
 * points, PER_EVAL_BOUNDS) would make each redraw of its chart tens of milliseconds longer. Up to
 * MAX_MARKED_POINTS the points are marked (each evaluation visible); beyond, the line alone
 * (its dash or colour still tells it apart).
 */
export const MAX_MARKED_POINTS = 60;

export function lineMode(points: number): 'lines+markers' | 'lines' {
  return points <= MAX_MARKED_POINTS ? 'lines+markers' : 'lines';
}
