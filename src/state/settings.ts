/**
 * Every user setting ↔ the URL, so that any experiment is a link: the training settings come from
 * the settings table (contracts/settings.ts), the page's own (backend, dataset, folded panels,
 * the lesson and its step, presenter mode, hidden controls) are here. The settings live in the URL hash (e.g. #backend=wasm&latent=8&beta=4);
 * links from before the hash, with the settings in the query (?latent=8), still work: the query
 * is read first, the hash wins, and the page rewrites both into the hash. A bad value falls back
 * to the default with a notice that says why; unknown keys are ignored.
 */
import { parseClosedPanels, PANEL_IDS, type PanelId } from '../contracts/panels';
import { BACKENDS, type BackendName, type TrainConfig } from '../contracts/config';
import { parseSetting, SETTING_KEYS, SETTING_ROWS, type SettingKey } from '../contracts/settings';

/**
 * Ids of the datasets a link may name: bundled MNIST, and the downloads of
 * src/data/download-sources.ts (DownloadId), which the page's Dataset panel loads once the worker
 * is ready. Uploaded data cannot be in a link.
 */
export const DATASET_IDS = ['mnist', 'fashion-mnist', 'kmnist'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

export interface Settings extends TrainConfig {
  backend: BackendName;
  /** Which dataset the worker loads; changing it restarts the worker, like the backend. */
  dataset: DatasetId;
  /** Lecture panels shown folded, comma-separated ids (src/contracts/panels.ts); page only. */
  closedPanels: string;
  /** The lesson open (an id in src/ui/lessons/course.ts), or '' for none; page only. */
  lesson: string;
  /** The lesson's step on screen, from 1 (`step` in the link); page only. */
  lessonStep: number;
  /** Presenter mode (`#present`); page only. */
  present: boolean;
  /** Control groups the page hides (HIDE_GROUPS, comma-separated), for classroom links; page only. */
  hide: string;
  /** `#embed=<panel id>`: the page shows that panel alone, for an iframe; '' for the lab. Page only. */
  embed: PanelId | '';
  /**
   * A trained model that ships with the lab (an id of public/pretrained/manifest.json) to open
   * the page on, e.g. #pretrained=vae-2d; page only, read once at start ('' = none).
   */
  pretrained: string;
}

/** Control groups a classroom link may hide (`hide=options,benchmark`). */
export const HIDE_GROUPS = ['options', 'dataset', 'files', 'runs', 'benchmark'] as const;

/** The page's own settings: never sent to the model, never in a run's config. */
export const PAGE_KEYS = [
  'backend',
  'dataset',
  'closedPanels',
  'lesson',
  'lessonStep',
  'present',
  'hide',
  'embed',
  'pretrained',
] as const satisfies readonly (keyof Settings)[];

export type PageKey = (typeof PAGE_KEYS)[number];

export function isPageKey(key: keyof Settings): key is PageKey {
  return (PAGE_KEYS as readonly string[]).includes(key);
}

/** Settings that only change the page's layout (changing one touches neither model nor worker). */
export function isLayoutKey(key: keyof Settings): boolean {
  return key !== 'backend' && key !== 'dataset' && (PAGE_KEYS as readonly string[]).includes(key);
}

function parseHide(raw: string): { value: string } | { error: string } {
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(HIDE_GROUPS as readonly string[]).includes(id));
  if (unknown.length)
    return { error: `expected names from ${HIDE_GROUPS.join(', ')} (got ${unknown.join(', ')})` };
  return { value: HIDE_GROUPS.filter((g) => ids.includes(g)).join(',') };
}

interface Spec<T> {
  /** Key in the URL hash (and in the query of older links, and the CLI's --flag). */
  url: string;
  label: string;
  default: T;
  /** Returns the value, or a message saying what a valid value looks like. */
  parse: (raw: string) => { value: T } | { error: string };
  format: (value: T) => string;
}

function oneOf<T extends string>(options: readonly T[]): Spec<T>['parse'] {
  return (raw) =>
    (options as readonly string[]).includes(raw)
      ? { value: raw as T }
      : { error: `expected one of ${options.join(', ')}` };
}

/** A training setting's spec, read from its row in the settings table. */
function fromTable<K extends SettingKey>(key: K): Spec<TrainConfig[K]> {
  const row = SETTING_ROWS[key];
  return {
    url: row.url,
    label: row.label,
    default: row.default,
    parse: (raw) => parseSetting(key, raw),
    format: String,
  };
}

const TRAINING = Object.fromEntries(SETTING_KEYS.map((k) => [k, fromTable(k)])) as {
  [K in SettingKey]: Spec<TrainConfig[K]>;
};

/**
 * The page's own settings (backend, dataset, folded panels), then the training settings, then the
 * lesson's (last, so a lesson link reads as its settings followed by the lesson and step).
 */
export const SETTINGS: { [K in keyof Settings]: Spec<Settings[K]> } = {
  backend: {
    url: 'backend',
    label: 'Backend',
    default: 'webgpu',
    parse: oneOf(BACKENDS),
    format: String,
  },
  dataset: {
    url: 'dataset',
    label: 'Dataset',
    default: 'mnist',
    parse: oneOf(DATASET_IDS),
    format: String,
  },
  closedPanels: {
    url: 'closed',
    label: 'Folded panels',
    default: '',
    parse: parseClosedPanels,
    format: String,
  },
  embed: {
    url: 'embed',
    label: 'Embedded panel',
    default: '',
    parse: (raw) =>
      raw === '' || (PANEL_IDS as readonly string[]).includes(raw)
        ? { value: raw as PanelId | '' }
        : { error: `expected a panel name from ${PANEL_IDS.join(', ')}` },
    format: String,
  },
  pretrained: {
    url: 'pretrained',
    label: 'Trained model',
    default: '',
    parse: (raw) =>
      /^[a-z0-9][a-z0-9-]{0,39}$/.test(raw)
        ? { value: raw }
        : { error: 'expected the id of a trained model, e.g. vae-2d' },
    format: String,
  },
  ...TRAINING,
  lesson: {
    url: 'lesson',
    label: 'Lesson',
    default: '',
    parse: (raw) =>
      /^[a-z0-9]+(-[a-z0-9]+)*$/.test(raw) || raw === ''
        ? { value: raw }
        : { error: 'expected a lesson name such as vae-elbo' },
    format: String,
  },
  lessonStep: {
    url: 'step',
    label: 'Lesson step',
    default: 1,
    parse: (raw) =>
      /^[1-9][0-9]{0,2}$/.test(raw) ? { value: Number(raw) } : { error: 'expected a step from 1' },
    format: String,
  },
  present: {
    url: 'present',
    label: 'Presenter mode',
    default: false,
    // A bare `#present` (empty value) turns it on, like `present=1`.
    parse: (raw) =>
      ['', '1', 'true'].includes(raw)
        ? { value: true }
        : ['0', 'false'].includes(raw)
          ? { value: false }
          : { error: 'expected 1 or 0' },
    format: (v) => (v ? '1' : '0'),
  },
  hide: {
    url: 'hide',
    label: 'Hidden controls',
    default: '',
    parse: parseHide,
    format: String,
  },
};

const KEYS = Object.keys(SETTINGS) as (keyof Settings)[];

export function defaultSettings(): Settings {
  const out = {} as Record<keyof Settings, unknown>;
  for (const k of KEYS) out[k] = SETTINGS[k].default;
  return out as Settings;
}

/**
 * Reads settings from URL parameters: a hash ("#a=1&b=2"), a query string ("?a=1&b=2") or bare
 * "a=1&b=2". Unknown keys are ignored; a bad value keeps its default and adds a notice.
 */
export function parseSettings(params: string): { settings: Settings; notices: string[] } {
  return parseParams(new URLSearchParams(params.replace(/^#/, '')));
}

/**
 * Reads settings from a page's location: the query of older links first, then the hash, which
 * wins where both name a key (only the winning value is checked).
 */
export function settingsFromUrl(
  search: string,
  hash: string,
): { settings: Settings; notices: string[] } {
  const merged = new URLSearchParams(search);
  for (const [key, value] of new URLSearchParams(hash.replace(/^#/, ''))) merged.set(key, value);
  return parseParams(merged);
}

/**
 * The URL of a page showing `settings`: its hash holds them, followed by any other parameters the
 * page was opened with (query or hash, e.g. datasetBase), which belong to other features.
 */
export function urlOfSettings(
  settings: Settings,
  location: { pathname: string; search: string; hash: string },
  always: readonly (keyof Settings)[] = [],
): string {
  const params = new URLSearchParams(settingsToHash(settings, always).slice(1));
  const known = new Set(KEYS.map((k) => SETTINGS[k].url));
  const others = new URLSearchParams(location.search);
  for (const [key, value] of new URLSearchParams(location.hash.replace(/^#/, '')))
    others.set(key, value);
  for (const [key, value] of others) if (!known.has(key)) params.append(key, value);
  const hash = params.toString();
  return location.pathname + (hash ? `#${hash}` : '');
}

function parseParams(params: URLSearchParams): { settings: Settings; notices: string[] } {
  const settings = defaultSettings() as unknown as Record<keyof Settings, unknown>;
  const notices: string[] = [];
  for (const k of KEYS) {
    const spec = SETTINGS[k] as Spec<unknown>;
    const raw = params.get(spec.url);
    if (raw === null) continue;
    const parsed = spec.parse(raw);
    if ('value' in parsed) settings[k] = parsed.value;
    else
      notices.push(
        `Ignored ${spec.url}=${raw} in the URL (${parsed.error}); using ${spec.format(spec.default)}.`,
      );
  }
  return { settings: settings as unknown as Settings, notices };
}

/**
 * The settings that differ from their defaults as a URL hash ("#a=1&b=2"; "" when none), in
 * table order, plus those in `always` even at their default (e.g. a backend someone chose, which
 * must not read back as "use this device's choice"). A default left out reads back as that default.
 */
export function settingsToHash(
  settings: Settings,
  always: readonly (keyof Settings)[] = [],
): string {
  const params = new URLSearchParams();
  for (const k of KEYS) {
    const spec = SETTINGS[k] as Spec<unknown>;
    if (settings[k] !== spec.default || always.includes(k))
      params.set(spec.url, spec.format(settings[k]));
  }
  const s = params.toString();
  return s ? `#${s}` : '';
}

/**
 * What is wrong with the training settings stored in a file (a checkpoint's config), checked by
 * the same table as a link: one message per value of the wrong type or out of range. Keys the
 * table does not know are skipped (a newer version's settings).
 */
export function configProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const k of KEYS) {
    if (!Object.hasOwn(TRAINING, k) || !Object.hasOwn(config, k)) continue; // page settings: not in files
    const spec = SETTINGS[k] as Spec<unknown>;
    const value = config[k];
    const expected = typeof spec.default;
    const parsed = typeof value === expected ? spec.parse(String(value)) : null;
    if (!parsed || 'error' in parsed)
      problems.push(
        `config.${k} is ${JSON.stringify(value) ?? String(value)} (${parsed ? parsed.error : `expected a ${expected}`})`,
      );
  }
  return problems;
}

export function trainConfigOf(s: Settings): TrainConfig {
  const config: Record<string, unknown> = { ...s };
  for (const k of PAGE_KEYS) delete config[k];
  return config as unknown as TrainConfig;
}
