/**
 * What a row of the panel registry (ui/panels/registry.tsx) is, and the predicates that its rows'
 * `applies` share: whether a panel applies, from the running model's catalog traits and the
 * questions its worker answers.
 */
import type { ReactNode } from 'react';
import type { ModelTraits } from '../../contracts/catalog';
import type { InspectCapabilities } from '../../contracts/inspect';
import type { PerStepField } from '../../state/training-store';
import type { PanelHeading, PanelPage } from './panel-props';

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
   * The per-step fields of the run's state it draws (state/training-store.ts PER_STEP_FIELDS):
   * it re-renders when they change. Any other panel re-renders only when something else does
   * (an evaluation, the settings, the drawing …), not at every training step.
   */
  follows?: readonly PerStepField[];
  /**
   * The panel, its heading included (it renders <Panel {...heading}>). Called only where
   * `applies` holds, so it may rely on what that checked (e.g. `caps!` once caps was tested).
   */
  render: (heading: PanelHeading, page: PanelPage) => ReactNode;
}

export const always = () => true;
export const answers = ({ caps }: PanelModel) => caps !== null;
export const continuous = ({ caps }: PanelModel) => (caps?.latentDim ?? 0) > 0;
export const discrete = ({ caps }: PanelModel) => Boolean(caps?.codes);
/** A tokenizer (VQ-VAE, dVAE) running, whose codes a prior could model. */
export const tokenizer = ({ traits, caps }: PanelModel) =>
  traits.grid && !traits.prior && Boolean(caps?.codes);
export const prior = ({ caps }: PanelModel) => Boolean(caps?.prior && caps.codes);
export const conditional = ({ traits, caps }: PanelModel) =>
  Boolean(traits.conditional) && (caps?.labelClasses ?? 0) > 0;
