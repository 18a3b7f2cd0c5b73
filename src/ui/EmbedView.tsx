/**
 * `#embed=<panel id>`: one lecture panel alone, sized to its frame, for an iframe in slides or a
 * course page. No page controls; the panel keeps its own. The page starts the model and trains
 * it (there is no Train button to press), so the panel fills in as the model learns.
 */
import { useEffect, useMemo, useRef } from 'react';
import { MODEL_CATALOG } from '../contracts/catalog';
import type { PanelId } from '../contracts/panels';
import type { Settings } from '../state/settings';
import type { TrainingState } from '../state/training-store';
import { LecturePanels } from './panels/LecturePanels';
import { PanelFoldingContext, type PanelFolding } from './panels/Panel';
import { panelsFor } from './panels/registry';
import type { Inspect } from './use-inspection';

export function EmbedView({
  panel,
  state,
  settings,
  inspect,
  onSettings,
  play,
}: {
  panel: PanelId;
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  onSettings: (next: Settings, key: keyof Settings) => void;
  play: () => void;
}) {
  const started = useRef(false);
  const ready = state.phase === 'ready';
  useEffect(() => {
    if (!ready || started.current) return;
    started.current = true;
    if (!state.playing) play();
  }, [ready, state.playing, play]);
  useEffect(() => {
    const html = document.documentElement;
    html.dataset.embed = panel;
    return () => {
      delete html.dataset.embed;
    };
  }, [panel]);
  // Always open: a folded panel alone in a frame would show only its title.
  const folding = useMemo<PanelFolding>(() => ({ closed: new Set(), toggle: () => {} }), []);
  const shown = panelsFor({
    traits: MODEL_CATALOG[state.model].traits,
    caps: state.capabilities,
  }).some((p) => p.id === panel);
  const modelName = MODEL_CATALOG[state.model].label;
  return (
    <PanelFoldingContext.Provider value={folding}>
      <main className="embed">
        {shown ? (
          <LecturePanels
            state={state}
            settings={settings}
            inspect={inspect}
            onSettings={onSettings}
            only={panel}
          />
        ) : (
          <p className="chart-summary">
            {ready
              ? `The ${modelName} has no “${panel}” panel; name a model that has one in the link (e.g. model=vqvae).`
              : 'Starting the model…'}
          </p>
        )}
      </main>
    </PanelFoldingContext.Provider>
  );
}
