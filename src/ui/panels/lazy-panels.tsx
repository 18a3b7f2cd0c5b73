/**
 * The lecture panels that load on first show, each in a chunk of its own (the registry's rows,
 * ui/panels/registry.tsx, draw them inside <Suspense>): heavier panels, and those only a few
 * models or lessons need.
 */
import { lazy } from 'react';

/** PCA beside the linear AE: loaded only when a model with an affine decoder runs. */
export const PcaComparePanel = lazy(() => import('./PcaComparePanel'));
/** The EM panel, loaded when a mixture model first shows it. */
export const EmPanel = lazy(() => import('./EmPanel'));
// Heavier panels that few lessons need load on first show, in their own chunk.
export const InferencePanel = lazy(() => import('./infer/InferencePanel'));
export const EditPanel = lazy(() => import('./infer/EditPanel'));

/** The conditional VAE's panel, loaded when a conditional model first shows it. */
export const ConditionalPanel = lazy(() => import('./ConditionalPanel'));
/** The prior over codes: generating and attention, and the two stages' panels (one chunk each). */
export const GeneratePanel = lazy(() => import('./GeneratePanel'));
export const TokensPanel = lazy(() =>
  import('./PriorStagePanels').then((m) => ({ default: m.TokensPanel })),
);
export const BoundPanel = lazy(() =>
  import('./PriorStagePanels').then((m) => ({ default: m.BoundPanel })),
);
