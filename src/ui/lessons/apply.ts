/**
 * What opening a lesson does to the settings, and what a change of several settings at once asks
 * of the run: pure functions for the page (App applies the answer through the run's actions).
 */
import { closedSet, PANEL_IDS, type PanelId } from '../../contracts/panels';
import { startsNewRun } from '../../contracts/settings';
import { defaultSettings, isPageKey, type Settings } from '../../state/settings';
import type { Lesson } from './lesson';

/** The `closed` setting that leaves exactly `open` unfolded (in PANEL_IDS order). */
export function closedExcept(open: readonly PanelId[]): string {
  return PANEL_IDS.filter((id) => !open.includes(id)).join(',');
}

/**
 * The settings a lesson opens with. Picked from the course, the lesson starts from the defaults
 * plus its preset; opened by a link, the link's own training settings win over the preset (a
 * lecturer's `#lesson=vae-elbo&beta=4` keeps β = 4) and the preset fills the rest. The backend,
 * the dataset and the page's settings stay; the lesson's panels open and the others fold.
 */
export function lessonSettings(
  current: Settings,
  lesson: Pick<Lesson, 'preset' | 'panels'>,
  fromLink: boolean,
): Settings {
  const defaults = defaultSettings();
  const base: Settings = fromLink ? { ...current } : { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Settings)[])
    if (isPageKey(key)) (base as unknown as Record<string, unknown>)[key] = current[key];
  const preset = { ...lesson.preset } as Record<string, unknown>;
  if (fromLink)
    for (const key of Object.keys(preset) as (keyof Settings)[])
      if (current[key] !== defaults[key]) delete preset[key];
  for (const key of Object.keys(preset)) if (isPageKey(key as keyof Settings)) delete preset[key];
  return { ...base, ...preset, closedPanels: closedExcept(lesson.panels) } as Settings;
}

/** A fresh run when a setting that starts one changed, else the live settings, else nothing. */
export function runActionFor(prev: Settings, next: Settings): 'reset' | 'configure' | 'none' {
  const changed = (Object.keys(next) as (keyof Settings)[]).filter(
    (k) => !isPageKey(k) && prev[k] !== next[k],
  );
  if (changed.some((k) => startsNewRun(k))) return 'reset';
  return changed.length > 0 ? 'configure' : 'none';
}

/** Whether panel `id` is open under the `closed` setting. */
export function panelOpen(closedPanels: string, id: PanelId): boolean {
  return !closedSet(closedPanels).has(id);
}
