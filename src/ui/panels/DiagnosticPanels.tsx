/**
 * The lecture's diagnostic panels, each shown only for the models it belongs to and updated
 * live: posterior collapse (VAE), codebook usage and the code map (discrete models) and the
 * Gumbel-softmax (dVAE, categorical VAE).
 */
import { CodebookUsagePanel } from './CodebookUsagePanel';
import { CodesPanel } from './CodesPanel';
import { GumbelPanel } from './GumbelPanel';
import type { PanelProps } from './panel-props';
import { PosteriorCollapsePanel } from './PosteriorCollapsePanel';

export function DiagnosticPanels({ state, settings, inspect }: PanelProps) {
  const caps = state.capabilities;
  const codes = caps?.codes ?? null;
  const vae = state.model === 'vae' || Boolean(state.latestEval?.diagnostics.klPerDimension);
  return (
    <>
      {vae ? (
        <PosteriorCollapsePanel state={state} latentDim={caps?.latentDim || settings.latentDim} />
      ) : null}
      {codes ? (
        <>
          <CodebookUsagePanel state={state} settings={settings} codes={codes} />
          <CodesPanel state={state} inspect={inspect} codes={codes} />
        </>
      ) : null}
      {codes && caps?.gumbel ? (
        <GumbelPanel state={state} settings={settings} inspect={inspect} codes={codes} />
      ) : null}
    </>
  );
}
