/**
 * The lecture panels, one row each, in page order: the title on its heading, when it applies
 * (a function of the running model's catalog traits and of the questions its worker answers) and
 * how it is drawn from what the page shares. A row is keyed by its id in `closed` links
 * (src/contracts/panels.ts), so the compiler asks for a row for every id and an id for every row.
 *
 * Adding a panel: its component file, a row here, its id in PANEL_IDS (and, for a panel that
 * loads on first show, its lazy import in lazy-panels.tsx). What a row holds, and the predicates
 * rows share for `applies`, are in panel-row.ts.
 */
import { Suspense } from 'react';
import { fittingOf, MODEL_CATALOG } from '../../contracts/catalog';
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
import { always, answers, conditional, continuous, discrete, prior, tokenizer } from './panel-row';
import type { PanelModel, PanelRow } from './panel-row';
import { PosteriorCollapsePanel } from './PosteriorCollapsePanel';
import { ReconstructionGrid } from './ReconstructionGrid';
import { SamplesPanel } from './SamplesPanel';
import { TraversalPanel } from './TraversalPanel';
import * as Lazy from './lazy-panels';

const loading = <p className="gen-status">Loading the panel…</p>;

/** The number of label classes among the probe digits (10 for MNIST). */
function classesOf(labels: Uint8Array | null): number {
  return labels && labels.length > 0 ? Math.max(...labels) + 1 : 10;
}

/** Keyed by id, in page order (an object literal keeps its keys' order). */
const ROWS: Record<PanelId, PanelRow> = {
  elbo: {
    title: 'Loss terms',
    follows: ['train'],
    applies: always,
    render: (h, { state }) => (
      <Panel {...h}>
        <ElboChart
          train={state.train}
          test={state.test}
          terms={MODEL_CATALOG[state.model].terms}
          iterations={fittingOf(MODEL_CATALOG[state.model].traits) !== 'gradient'}
          unit={MODEL_CATALOG[state.model].unit}
        />
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
  pca: {
    title: 'PCA and the linear autoencoder',
    wide: true,
    // PCA itself, or an AE whose decoder is affine in z (linear layers, Gaussian likelihood).
    applies: ({ caps }) => Boolean(caps?.affineDecoder),
    render: (h, p) => (
      <Panel {...h}>
        <Suspense fallback={<p className="quiet-line">Loading the PCA comparison…</p>}>
          <Lazy.PcaComparePanel inspect={p.inspect} live={p.live} />
        </Suspense>
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
  tokens: {
    title: 'From tokens to pictures',
    wide: true,
    applies: tokenizer,
    render: (h, p) => (
      <Suspense fallback={<Panel {...h}>Loading the panel…</Panel>}>
        <Lazy.TokensPanel
          heading={h}
          label={MODEL_CATALOG[p.state.model].label}
          positions={p.caps!.codes!.positions}
          size={p.caps!.codes!.size}
          step={p.live.step ?? 0}
          onStart={() =>
            p.onSettings?.(
              {
                ...p.settings,
                model: 'prior',
                tokenizerKind: p.settings.model === 'dvae' ? 'dvae' : 'vqvae',
              },
              'model',
            )
          }
        />
      </Suspense>
    ),
  },
  generate: {
    title: 'Generate, token by token',
    wide: true,
    applies: prior,
    render: (h, p) => (
      <Suspense fallback={<Panel {...h}>Loading the panel…</Panel>}>
        <Lazy.GeneratePanel
          heading={h}
          inspect={p.inspect}
          live={p.live}
          runId={p.state.runId}
          classes={p.caps!.prior!.classes}
          grid={p.caps!.codes!}
        />
      </Suspense>
    ),
  },
  bound: {
    title: 'The whole bound, in nats',
    applies: prior,
    render: (h, p) => (
      <Suspense fallback={<Panel {...h}>Loading the panel…</Panel>}>
        <Lazy.BoundPanel
          heading={h}
          test={p.state.latestEval?.test ?? null}
          positions={p.caps!.codes!.positions}
          size={p.caps!.codes!.size}
          step={p.live.step ?? 0}
          pretrainedFolder={`${import.meta.env.BASE_URL}pretrained/`}
        />
      </Suspense>
    ),
  },
  samples: {
    title: 'Samples',
    applies: answers,
    render: (h, p) => <SamplesPanel heading={h} inspect={p.inspect} live={p.live} />,
  },
  conditional: {
    title: 'Conditional samples',
    wide: true,
    applies: conditional,
    render: (h, p) => (
      <Suspense fallback={<Panel {...h}>Loading the panel…</Panel>}>
        <Lazy.ConditionalPanel
          heading={h}
          inspect={p.inspect}
          live={p.live}
          classes={p.caps!.labelClasses!}
          classNames={p.state.dataset?.classNames}
          probeCount={p.probes?.count ?? 0}
          labels={p.state.probeLabels}
        />
      </Suspense>
    ),
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
    // A conditional model encodes a digit given its label, which a drawing does not have.
    applies: (m) => answers(m) && !m.traits.conditional,
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
  infer: {
    title: 'Inference by optimisation and restoration',
    wide: true,
    // Any model whose decoder can be inverted (src/train/infer/code-space.ts).
    applies: ({ caps }) => Boolean(caps?.inference),
    render: (h, p) => (
      <Panel {...h}>
        <Suspense fallback={loading}>
          <Lazy.InferencePanel
            inspect={p.inspect}
            codes={p.caps!.inference!}
            probes={p.probes}
            labels={p.state.probeLabels}
            drawing={p.drawing}
          />
        </Suspense>
      </Panel>
    ),
  },
  edit: {
    title: 'Editing by latent directions',
    wide: true,
    applies: ({ caps }) => Boolean(caps?.inference?.editable),
    render: (h, p) => (
      <Panel {...h}>
        <Suspense fallback={loading}>
          <Lazy.EditPanel
            inspect={p.inspect}
            live={p.live}
            probes={p.probes}
            labels={p.state.probeLabels}
            drawing={p.drawing}
            classes={classesOf(p.state.probeLabels)}
          />
        </Suspense>
      </Panel>
    ),
  },
  collapse: {
    title: 'Posterior collapse',
    follows: ['scheduleHistory'],
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
    follows: ['schedule', 'scheduleHistory'],
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
  em: {
    title: 'EM: the bound and the log-likelihood',
    follows: ['train'],
    wide: true,
    // A mixture model: the posterior over its components (the Bernoulli mixture).
    applies: ({ caps }) => Boolean(caps?.responsibilities),
    render: (h, p) => (
      <Suspense fallback={<Panel {...h}>Loading the EM panel…</Panel>}>
        <Lazy.EmPanel
          heading={h}
          state={p.state}
          inspect={p.inspect}
          drawing={p.drawing}
          components={p.caps!.codes?.size ?? p.settings.clusters}
        />
      </Suspense>
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
