/**
 * The lecture panels by id, in page order, for the `closed` setting (which panels a link shows
 * folded). Plain data: the page and the settings table both read it.
 */
export const PANEL_IDS = [
  'elbo',
  'latent',
  'codebook-view',
  'manifold',
  'interp',
  'traversal',
  'samples',
  'draw',
  'collapse',
  'codebook',
  'codes',
  'gumbel',
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
