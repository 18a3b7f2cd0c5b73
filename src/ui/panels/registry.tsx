/**
 * The lecture panels, one row each, in page order: the title on its heading, when it applies
 * (a function of the running model's catalog traits and of the questions its worker answers) and
 * how it is drawn from what the page shares. A row is keyed by its id in `closed` links
 * (src/contracts/panels.ts), so the compiler asks for a row for every id and an id for every row.
 *
 * Adding a panel: its component file, a row here, its id in PANEL_IDS.
 */
import type { ReactNode } from 'react';
import { MODEL_CATALOG, type ModelTraits } from '../../contracts/catalog';
import type { InspectCapabilities } from '../../contracts/inspect';
import type { PanelId } from '../../contracts/panels';
import { CodebookUsagePanel } from './CodebookUsagePanel';
import { CodebookViewPanel } from './CodebookViewPanel';
import { CodesPanel } from './CodesPanel';
import { DrawDigitPanel } from './DrawDigitPanel';
import { ElboChart } from './ElboChart';
import { GumbelPanel } from './GumbelPanel';
import { InterpolationPanel } from './InterpolationPanel';
import { LatentScatter } from './LatentScatter';
import { ManifoldPanel } from './ManifoldPanel';
import { ObjectiveMath } from './ObjectiveMath';
import { Panel } from './Panel';
import type { PanelHeading, PanelPage } from './panel-props';
import { PosteriorCollapsePanel } from './PosteriorCollapsePanel';
import { ReconstructionGrid } from './ReconstructionGrid';
import { SamplesPanel } from './SamplesPanel';
import { TraversalPanel } from './TraversalPanel';

/** What decides whether a panel applies: the model's traits, and its worker's capabilities. */
export interface PanelModel {
  traits: ModelTraits;
  /** null until the worker has built the model and said what it answers. */
  caps: InspectCapabilities | null;
}

export interface PanelRow {
  title: string;
  /** Spans the whole row of the panel grid. */
  wide?: boolean;
  applies: (model: PanelModel) => boolean;
  /**
   * The panel, its heading included (it renders <Panel {...heading}>). Called only where
   * `applies` holds, so it may rely on what that checked (e.g. `caps!` once caps was tested).
   */
  render: (heading: PanelHeading, page: PanelPage) => ReactNode;
}

const always = () => true;
const answers = ({ caps }: PanelModel) => caps !== null;
const continuous = ({ caps }: PanelModel) => (caps?.latentDim ?? 0) > 0;
const discrete = ({ caps }: PanelModel) => Boolean(caps?.codes);

/** Keyed by id, in page order (an object literal keeps its keys' order). */
const ROWS: Record<PanelId, PanelRow> = {
  elbo: {
    title: 'Loss terms',
    applies: always,
    render: (h, { state }) => (
      <Panel {...h}>
        <ElboChart train={state.train} test={state.test} terms={MODEL_CATALOG[state.model].terms} />
      </Panel>
    ),
  },
  latent: {
    title: 'Latent space',
    applies: always,
    render: (h, p) => (
      <Panel {...h}>
        <LatentScatter
          result={p.state.latestEval}
          labels={p.state.probeLabels}
          traits={p.traits}
          runId={p.state.runId}
          inspect={p.inspect}
          drawnPoint={p.drawnPoint}
          canDecode={(p.caps?.latentDim ?? 0) > 0}
        />
      </Panel>
    ),
  },
  recon: {
    title: 'Reconstructions',
    wide: true,
    applies: always,
    render: (h, { state }) => (
      <Panel {...h}>
        <ReconstructionGrid
          originals={state.probeImages}
          reconstructions={state.latestEval?.reconstructions ?? null}
          height={state.dataset?.height ?? 28}
          width={state.dataset?.width ?? 28}
          step={state.latestEval?.step ?? null}
        />
      </Panel>
    ),
  },
  'codebook-view': {
    title: 'Codebook and encoder outputs (PCA)',
    // Code vectors to draw: a codebook (VQ-VAE) or code embeddings (dVAE).
    applies: (m) => m.traits.codebook && discrete(m),
    render: (h, p) => (
      <CodebookViewPanel
        heading={h}
        traits={p.traits}
        state={p.state}
        settings={p.settings}
        inspect={p.inspect}
        codes={p.caps!.codes!}
      />
    ),
  },
  manifold: {
    title: 'Manifold',
    applies: continuous,
    render: (h, p) => (
      <ManifoldPanel heading={h} inspect={p.inspect} live={p.live} latentDim={p.caps!.latentDim} />
    ),
  },
  samples: {
    title: 'Samples',
    applies: answers,
    render: (h, p) => <SamplesPanel heading={h} inspect={p.inspect} live={p.live} />,
  },
  interp: {
    title: 'Interpolation',
    wide: true,
    // Continuous latents, and VQ-VAE's z_e before quantisation.
    applies: (m) => continuous(m) || Boolean(m.caps?.preQuantised),
    render: (h, p) => (
      <InterpolationPanel
        heading={h}
        inspect={p.inspect}
        live={p.live}
        probes={p.probes}
        labels={p.state.probeLabels}
        drawing={p.drawing}
        preQuantised={p.caps!.preQuantised}
      />
    ),
  },
  traversal: {
    title: 'Latent traversal',
    applies: continuous,
    render: (h, p) => (
      <TraversalPanel
        heading={h}
        inspect={p.inspect}
        live={p.live}
        latentDim={p.caps!.latentDim}
        klPerDimension={p.state.latestEval?.diagnostics.klPerDimension}
        probeCount={p.probes?.count ?? 0}
        labels={p.state.probeLabels}
        drawing={p.drawing}
      />
    ),
  },
  draw: {
    title: 'Draw your own digit',
    applies: answers,
    render: (h, p) => (
      <DrawDigitPanel
        heading={h}
        inspect={p.inspect}
        live={p.live}
        probes={p.probes}
        labels={p.state.probeLabels}
        drawing={p.drawing}
        onDrawing={p.onDrawing}
        onDrawnPoint={p.onDrawnPoint}
      />
    ),
  },
  collapse: {
    title: 'Posterior collapse',
    wide: true,
    // A KL per dimension of a continuous latent (VAE).
    applies: ({ traits }) => traits.latent === 'continuous' && traits.kl,
    render: (h, p) => (
      <PosteriorCollapsePanel
        heading={h}
        state={p.state}
        latentDim={p.caps?.latentDim || p.settings.latentDim}
      />
    ),
  },
  codebook: {
    title: 'Codebook usage',
    wide: true,
    applies: discrete,
    render: (h, p) => (
      <CodebookUsagePanel
        heading={h}
        traits={p.traits}
        state={p.state}
        settings={p.settings}
        codes={p.caps!.codes!}
      />
    ),
  },
  codes: {
    title: 'Code map and codebook atlas',
    wide: true,
    applies: discrete,
    render: (h, p) => (
      <CodesPanel heading={h} state={p.state} inspect={p.inspect} codes={p.caps!.codes!} />
    ),
  },
  gumbel: {
    title: 'Gumbel-softmax',
    wide: true,
    applies: (m) => discrete(m) && Boolean(m.caps?.gumbel),
    render: (h, p) => (
      <GumbelPanel
        heading={h}
        state={p.state}
        settings={p.settings}
        inspect={p.inspect}
        codes={p.caps!.codes!}
      />
    ),
  },
  math: {
    title: 'Objective',
    wide: true,
    applies: always,
    render: (h, p) => (
      <Panel {...h}>
        <ObjectiveMath
          model={p.state.model}
          test={p.state.latestEval?.test ?? null}
          settings={p.settings}
        />
      </Panel>
    ),
  },
};

/** Every lecture panel with its id, in page order. */
export const LECTURE_PANELS: readonly (PanelRow & { id: PanelId })[] = (
  Object.keys(ROWS) as PanelId[]
).map((id) => ({ id, ...ROWS[id] }));

/** The panels shown for a model, in page order. */
export function panelsFor(model: PanelModel): (PanelRow & { id: PanelId })[] {
  return LECTURE_PANELS.filter((row) => row.applies(model));
}
