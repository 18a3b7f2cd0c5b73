/**
 * The lecture panels of the running model, from the registry (registry.tsx), each asked again at
 * every evaluation. The page-wide things panels share live here: the user's drawing (so every
 * panel can start from "my drawing") and its point in the latent plane (for the scatter).
 *
 * A training step's read-back (about ten a second) re-renders only the panels whose row
 * `follows` what it changed (the loss curves …); every other panel re-renders when something it
 * may read changes: an evaluation, the settings, the drawing. A whole-page render at each read-
 * back was one of the main thread's long tasks while training.
 */
import { memo, useCallback, useMemo, useState } from 'react';
import { MODEL_CATALOG } from '../../contracts/catalog';
import type { PanelId } from '../../contracts/panels';
import type { Settings } from '../../state/settings';
import { steadyPart, type TrainingState } from '../../state/training-store';
import type { Inspect } from '../use-inspection';
import { probeBatch, type Drawing, type LiveStep } from './generative-digits';
import type { PanelHeading, PanelPage } from './panel-props';
import type { PanelRow } from './panel-row';
import { panelsFor } from './registry';

interface SlotProps {
  row: PanelRow;
  heading: PanelHeading;
  page: PanelPage;
  /** `page.state` as a panel that follows no per-step field sees it (steadyPart). */
  steady: TrainingState;
}

/** Same panel input: every shared value by identity, the run's state as the row reads it. */
function sameInput(a: SlotProps, b: SlotProps): boolean {
  if (a.row !== b.row || a.steady !== b.steady) return false;
  if (a.heading.id !== b.heading.id || a.heading.title !== b.heading.title) return false;
  for (const key of Object.keys(a.page) as (keyof PanelPage)[])
    if (key !== 'state' && a.page[key] !== b.page[key]) return false;
  return (a.row.follows ?? []).every((f) => a.page.state[f] === b.page.state[f]);
}

/** One panel, re-rendered only when its input changes (sameInput). */
const PanelSlot = memo(({ row, heading, page }: SlotProps) => row.render(heading, page), sameInput);

export interface LecturePanelsProps {
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  /** Change settings (e.g. the τ slider), exactly as a control would. */
  onSettings?: (next: Settings, key: keyof Settings) => void;
  /** Only this panel (the page's `#embed=` view). */
  only?: PanelId;
}

/** A row's heading, the same object at every render (so the slot's input compares equal). */
const headings = new WeakMap<PanelRow, PanelHeading>();
function headingOf(row: PanelRow & PanelHeading): PanelHeading {
  let h = headings.get(row);
  if (!h) headings.set(row, (h = { id: row.id, title: row.title, wide: row.wide }));
  return h;
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
  const liveKey = `${state.runId}:${step ?? 'init'}`;
  const live: LiveStep = useMemo(() => ({ key: liveKey, step }), [liveKey, step]);
  // The state as panels that follow no per-step field see it (kept from render to render).
  const [kept, keep] = useState(state);
  const steady = steadyPart(kept, state);
  if (steady !== kept) keep(steady);
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
        .map((row) => (
          <PanelSlot key={row.id} row={row} heading={headingOf(row)} page={page} steady={steady} />
        ))}
    </div>
  );
}
