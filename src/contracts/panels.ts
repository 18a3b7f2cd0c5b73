/**
 * The lecture panels by id, for the `closed` setting (which panels a link shows folded), in the
 * order links list them. Plain data: the settings table and the page read it. Each id has one
 * row in the page's panel registry (src/ui/panels/registry.tsx, keyed by PanelId, so the compiler
 * asks for a row for every id here and an id here for every row); the registry gives the page's
 * order, titles and which models each panel is for.
 */
export const PANEL_IDS = [
  'elbo',
  'latent',
  'pca',
  'codebook-view',
  'manifold',
  'interp',
  'traversal',
  'tokens',
  'generate',
  'bound',
  'samples',
  'conditional',
  'draw',
  'infer',
  'edit',
  'collapse',
  'codebook',
  'codes',
  'gumbel',
  'em',
  'recon',
  'math',
] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** "manifold,gumbel" ↔ a set of closed panels; ids are kept in page order so links are stable. */
export function parseClosedPanels(raw: string): { value: string } | { error: string } {
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(PANEL_IDS as readonly string[]).includes(id));
  if (unknown.length)
    return {
      error: `expected panel names from ${PANEL_IDS.join(', ')} (got ${unknown.join(', ')})`,
    };
  return { value: PANEL_IDS.filter((id) => ids.includes(id)).join(',') };
}

export function closedSet(value: string): Set<string> {
  return new Set(value.split(',').filter(Boolean));
}
