/**
 * The lecture panels of the running model, from the registry (registry.tsx), each asked again at
 * every evaluation. The page-wide things panels share live here: the user's drawing (so every
 * panel can start from "my drawing") and its point in the latent plane (for the scatter).
 */
import { Fragment, useCallback, useMemo, useState } from 'react';
import { MODEL_CATALOG } from '../../contracts/catalog';
import type { PanelId } from '../../contracts/panels';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import type { Inspect } from '../use-inspection';
import { probeBatch, type Drawing, type LiveStep } from './generative-digits';
import type { PanelPage } from './panel-props';
import { panelsFor } from './registry';

export interface LecturePanelsProps {
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  /** Change settings (e.g. the τ slider), exactly as a control would. */
  onSettings?: (next: Settings, key: keyof Settings) => void;
  /** Only this panel (the page's `#embed=` view). */
  only?: PanelId;
}

export function LecturePanels({ state, settings, inspect, onSettings, only }: LecturePanelsProps) {
  // Strokes are counted and never reused, so a new drawing always means a new question.
  const [{ drawing }, setInk] = useState<{ drawing: Drawing | null; strokes: number }>({
    drawing: null,
    strokes: 0,
  });
  const onDrawing = useCallback(
    (pixels: Float32Array | null) =>
      setInk(({ strokes }) => ({
        strokes: strokes + 1,
        drawing: pixels ? { pixels, version: strokes + 1 } : null,
      })),
    [],
  );
  const [drawnPoint, setDrawnPoint] = useState<[number, number] | null>(null);
  const h = state.dataset?.height ?? 28;
  const w = state.dataset?.width ?? 28;
  const probes = useMemo(
    () => (state.probeImages ? probeBatch(state.probeImages, h, w) : null),
    [state.probeImages, h, w],
  );
  const step = state.latestEval?.step ?? null;
  const live: LiveStep = { key: `${state.runId}:${step ?? 'init'}`, step };
  const traits = MODEL_CATALOG[state.model].traits;
  const caps = state.capabilities;
  const page: PanelPage = {
    state,
    settings,
    inspect,
    onSettings,
    traits,
    caps,
    live,
    probes,
    drawing,
    onDrawing,
    drawnPoint,
    onDrawnPoint: setDrawnPoint,
  };
  return (
    <div className="panels">
      {panelsFor({ traits, caps })
        .filter(({ id }) => !only || id === only)
        .map(({ id, title, wide, render }) => (
          <Fragment key={id}>{render({ id, title, wide }, page)}</Fragment>
        ))}
    </div>
  );
}
