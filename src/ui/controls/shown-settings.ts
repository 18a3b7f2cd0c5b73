/**
 * Which settings the options panel shows for the running model, and the hint that says which of
 * them start a new run: read from the catalog's list of the settings each model reads and the
 * settings table's places, conditions and `live` flags (contracts/settings.ts).
 */
import { MODEL_CATALOG } from '../../contracts/catalog';
import { settingApplies, SETTING_ROWS, startsNewRun } from '../../contracts/settings';
import { SETTINGS, trainConfigOf, type Settings } from '../../state/settings';

type SettingKey = keyof Settings;

/**
 * The settings the running model reads (its catalog row), in that order: `main` beside the
 * buttons, then the backend; `more` under "Model options". Conditional ones (σ, warm-up steps,
 * EMA decay, τ steps / rate) appear only while the settings they depend on make them matter.
 */
export function settingsFor(s: Settings): { main: SettingKey[]; more: SettingKey[] } {
  const config = trainConfigOf(s);
  const shown = MODEL_CATALOG[s.model].settings.filter((k) => settingApplies(k, config));
  const at = (place: 'main' | 'more') => shown.filter((k) => SETTING_ROWS[k].place === place);
  return { main: [...at('main'), 'backend'], more: at('more') };
}

/** The hint under the controls: which of the shown settings start a new run. */
export function runHint(shown: SettingKey[]): string {
  const isReset = (k: SettingKey) => k === 'backend' || startsNewRun(k);
  const list = (keys: SettingKey[]) => {
    const labels = keys.map((k) => SETTINGS[k].label);
    return labels.length > 1
      ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`
      : labels.join('');
  };
  // Backend last: it restarts the whole worker, not just the model.
  const reset = [...shown.filter((k) => isReset(k) && k !== 'backend'), 'backend' as const];
  const live = shown.filter((k) => !isReset(k));
  return `${list(reset)} start a new run; ${list(live)} apply to the running model.`;
}
