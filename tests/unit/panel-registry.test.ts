// The lecture panels' registry: which panels each model gets (the README's "Lecture panels"
// table), that its rows are exactly the ids of the `closed` setting, and that each row draws its
// panel under its own heading.
// The app renders with Preact (React's API through preact/compat: vite.config.ts), so does this test;
// lazy panels resolve before the markup is read.
import { renderToStringAsync } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG, MODEL_KINDS, type ModelKind } from '../../src/contracts/catalog';
import type { InspectCapabilities } from '../../src/contracts/inspect';
import { PANEL_IDS, type PanelId } from '../../src/contracts/panels';
import { defaultSettings } from '../../src/state/settings';
import { initialState } from '../../src/state/training-store';
import type { PanelPage } from '../../src/ui/panels/panel-props';
import { LECTURE_PANELS, panelsFor } from '../../src/ui/panels/registry';

/**
 * What each model's worker reports (tests/unit/inspector.test.ts checks these values against
 * the real models; the sizes here are the defaults').
 */
const grid = { positions: 49, gridHeight: 7, gridWidth: 7, size: 512 };
const latent = { kind: 'continuous', size: 2, encoder: true, editable: true } as const;
const zE = { kind: 'pre-quantised', size: 49 * 64, encoder: true, editable: true } as const;
const logits = (size: number) =>
  ({ kind: 'categorical', size, encoder: true, editable: false }) as const;
const CAPS: Record<ModelKind, InspectCapabilities> = {
  vae: { latentDim: 2, codes: null, gumbel: false, preQuantised: false, inference: latent },
  ae: { latentDim: 2, codes: null, gumbel: false, preQuantised: false, inference: latent },
  pca: {
    latentDim: 2,
    codes: null,
    gumbel: false,
    preQuantised: false,
    affineDecoder: true,
    inference: latent,
  },
  glo: {
    latentDim: 2,
    codes: null,
    gumbel: false,
    preQuantised: false,
    inference: { ...latent, encoder: false },
  },
  vqvae: { latentDim: 0, codes: grid, gumbel: false, preQuantised: true, inference: zE },
  dvae: {
    latentDim: 0,
    codes: grid,
    gumbel: true,
    preQuantised: false,
    inference: logits(49 * 512),
  },
  catvae: {
    latentDim: 0,
    codes: { positions: 30, gridHeight: 1, gridWidth: 30, size: 10 },
    gumbel: true,
    preQuantised: false,
    inference: logits(300),
  },
  kmeans: {
    latentDim: 0,
    codes: { positions: 1, gridHeight: 1, gridWidth: 1, size: 10 },
    gumbel: false,
    preQuantised: false,
  },
  mixture: {
    latentDim: 0,
    codes: { positions: 1, gridHeight: 1, gridWidth: 1, size: 10 },
    gumbel: false,
    preQuantised: false,
    responsibilities: true,
  },
  cvae: { latentDim: 0, codes: null, gumbel: false, preQuantised: false, labelClasses: 10 },
  prior: {
    latentDim: 0,
    codes: { positions: 49, gridHeight: 7, gridWidth: 7, size: 64 },
    gumbel: false,
    preQuantised: false,
    inference: null,
    labelClasses: 10,
    prior: { layers: 2, heads: 4, classes: 10 },
  },
};

const ALL = MODEL_KINDS;
/**
 * The README's table, row by row (its "Codebook" row is two panels here: usage, and the code
 * map with the atlas; Reconstructions is not in the table and shows for every model).
 */
const EXPECTED: [PanelId, string, readonly ModelKind[]][] = [
  ['elbo', 'Loss terms', ALL],
  ['latent', 'Latent space', ALL],
  ['recon', 'Reconstructions', ALL],
  ['pca', 'PCA and the linear autoencoder', ['pca']],
  ['codebook-view', 'Codebook and encoder outputs (PCA)', ['vqvae', 'dvae']],
  ['manifold', 'Manifold', ['vae', 'ae', 'pca', 'glo']],
  ['tokens', 'From tokens to pictures', ['vqvae', 'dvae']],
  ['generate', 'Generate, token by token', ['prior']],
  ['bound', 'The whole bound, in nats', ['prior']],
  ['samples', 'Samples', ALL],
  ['conditional', 'Conditional samples', ['cvae']],
  ['interp', 'Interpolation', ['vae', 'ae', 'vqvae', 'pca', 'glo']],
  ['traversal', 'Latent traversal', ['vae', 'ae', 'pca', 'glo']],
  ['draw', 'Draw your own digit', ALL.filter((k) => k !== 'cvae')],
  [
    'infer',
    'Inference by optimisation and restoration',
    ['vae', 'ae', 'vqvae', 'dvae', 'catvae', 'pca', 'glo'],
  ],
  ['edit', 'Editing by latent directions', ['vae', 'ae', 'vqvae', 'pca', 'glo']],
  ['collapse', 'Posterior collapse', ['vae', 'cvae']],
  ['codebook', 'Codebook usage', ['vqvae', 'dvae', 'catvae', 'kmeans', 'mixture', 'prior']],
  [
    'codes',
    'Code map and codebook atlas',
    ['vqvae', 'dvae', 'catvae', 'kmeans', 'mixture', 'prior'],
  ],
  ['gumbel', 'Gumbel-softmax', ['dvae', 'catvae']],
  ['em', 'EM: the bound and the log-likelihood', ['mixture']],
  ['math', 'Objective', ALL],
];

const idsOf = (rows: readonly { id: PanelId }[]) => rows.map((r) => r.id);

describe('panel registry', () => {
  it('has one row per id of the closed setting, titled and ordered as on the page', () => {
    expect(LECTURE_PANELS.map((r) => [r.id, r.title])).toEqual(EXPECTED.map(([id, t]) => [id, t]));
    expect([...idsOf(LECTURE_PANELS)].sort()).toEqual([...PANEL_IDS].sort());
  });

  it.each(MODEL_KINDS)('%s gets the panels of the README table', (model) => {
    const shown = panelsFor({ traits: MODEL_CATALOG[model].traits, caps: CAPS[model] });
    const expected = EXPECTED.filter(([, , models]) => models.includes(model)).map(([id]) => id);
    expect(idsOf(shown)).toEqual(expected);
  });

  it.each(MODEL_KINDS)(
    '%s, before the worker answers: only panels that ask it nothing',
    (model) => {
      const shown = panelsFor({ traits: MODEL_CATALOG[model].traits, caps: null });
      expect(idsOf(shown)).toEqual(
        model === 'vae' || model === 'cvae'
          ? ['elbo', 'latent', 'recon', 'collapse', 'math']
          : ['elbo', 'latent', 'recon', 'math'],
      );
    },
  );

  it.each(MODEL_KINDS)('%s: each panel is drawn under its own heading', async (model) => {
    const traits = MODEL_CATALOG[model].traits;
    const caps = CAPS[model];
    const page: PanelPage = {
      state: { ...initialState(), model, capabilities: caps },
      settings: { ...defaultSettings(), model },
      inspect: () => new Promise(() => {}),
      traits,
      caps,
      live: { key: '0:init', step: null },
      probes: null,
      drawing: null,
      onDrawing: () => {},
      drawnPoint: null,
      onDrawnPoint: () => {},
    };
    for (const row of panelsFor({ traits, caps })) {
      // Without Suspense's boundary comments.
      const html = (
        await renderToStringAsync(
          row.render({ id: row.id, title: row.title, wide: row.wide }, page) as never,
        )
      ).replace(/<!--.*?-->/g, '');
      // The opening <section> tag, attributes in any order (renderers differ in their order).
      const open = /^<section ([^>]*)>/.exec(html)?.[1] ?? '';
      const attrs = Object.fromEntries(
        [...open.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      expect(attrs, row.id).toEqual({
        class: row.wide ? 'panel wide' : 'panel',
        'aria-labelledby': `${row.id}-h`,
        'data-panel': row.id,
      });
      expect(html, row.id).toContain(`data-testid="panel-toggle-${row.id}"`);
      expect(html, row.id).toContain(`</span> ${row.title}</button></h2>`);
    }
  });
});
