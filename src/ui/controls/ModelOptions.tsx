/**
 * The options panel, read from the settings table (contracts/settings.ts) and the catalog's list
 * of the settings each model reads: one labelled native control per setting. Only the settings
 * the running model reads, under their conditions, are shown, so no control on the page is a no-op.
 */
import { useState } from 'react';
import { BACKENDS } from '../../contracts/config';
import {
  SETTING_ROWS,
  type Domain,
  type SettingKey as TrainingKey,
} from '../../contracts/settings';
import { isPageKey, SETTINGS, type Settings } from '../../state/settings';

export type SettingKey = keyof Settings;
type Value = Settings[SettingKey];
export type SetSetting = (key: SettingKey, value: Value) => void;

export { runHint, settingsFor } from './shown-settings';

type Field =
  | {
      kind: 'select';
      options: readonly (string | number)[];
      hint: string;
      text?: (v: string | number) => string;
    }
  | { kind: 'number'; min: number; max: number; step: number; integer?: boolean; hint: string }
  | { kind: 'check'; hint: string };

/** The control for a training setting: its row's domain, and its hint with live or not. */
function fieldOf(key: TrainingKey): Field {
  const row = SETTING_ROWS[key];
  const hint = `${row.hint}; ${row.live ? 'applies immediately' : 'changing it starts a new model'}`;
  const d: Domain = row.domain;
  switch (d.kind) {
    case 'option':
      return d.text
        ? { kind: 'select', options: d.options, hint, text: (v) => d.text!(String(v)) }
        : { kind: 'select', options: d.options, hint };
    case 'flag':
      return { kind: 'check', hint };
    case 'integer':
    case 'real':
      return d.choices
        ? { kind: 'select', options: d.choices, hint }
        : {
            kind: 'number',
            min: d.min,
            max: d.max,
            step: d.step ?? (d.kind === 'integer' ? 1 : 0.01),
            integer: d.kind === 'integer',
            hint,
          };
  }
}

const BACKEND_FIELD: Field = {
  kind: 'select',
  options: BACKENDS,
  hint: 'Switching backend restarts the run',
};

/** The page's control for `key`, or none (the page's own settings have their own controls). */
function fieldFor(key: SettingKey): Field | null {
  if (key === 'backend') return BACKEND_FIELD;
  if (isPageKey(key)) return null;
  return fieldOf(key);
}

/** Adds a value set from the URL to a list of numeric choices so the select can show it. */
function withCurrent(options: readonly (string | number)[], current: Value) {
  return typeof current !== 'number' || options.includes(current)
    ? options
    : [...(options as number[]), current].sort((a, b) => a - b);
}

export function testIdOf(key: SettingKey): string {
  return key === 'model' ? 'model-select' : `setting-${SETTINGS[key].url}`;
}

/** One setting as a native select, number input or checkbox, with its label and hint. */
export function SettingField({
  name,
  settings,
  set,
  idPrefix,
}: {
  name: SettingKey;
  settings: Settings;
  set: SetSetting;
  idPrefix: string;
}) {
  const field = fieldFor(name);
  if (!field) return null;
  const id = `${idPrefix}-${name}`;
  const label = SETTINGS[name].label;
  const value = settings[name];
  const common = { id, title: field.hint, 'data-testid': testIdOf(name) };
  switch (field.kind) {
    case 'select': {
      const options = withCurrent(field.options, value);
      const text = field.text ?? String;
      return (
        <label className="field" htmlFor={id}>
          <span>{label}</span>
          <select
            {...common}
            value={String(value)}
            onChange={(e) => {
              const v = options.find((o) => String(o) === e.currentTarget.value);
              // Show the value in force until the page re-renders with the new one: a change the
              // page refuses (a confirm dismissed) re-renders nothing, and the box would lie.
              e.currentTarget.value = String(value);
              if (v !== undefined) set(name, v as Value);
            }}
          >
            {options.map((v) => (
              <option key={String(v)} value={String(v)}>
                {text(v)}
              </option>
            ))}
          </select>
        </label>
      );
    }
    case 'check':
      return (
        <label className="field check" htmlFor={id}>
          <input
            {...common}
            type="checkbox"
            checked={Boolean(value)}
            onChange={(e) => set(name, e.target.checked)}
          />
          <span>{label}</span>
        </label>
      );
    case 'number':
      return (
        <NumberField
          common={common}
          label={label}
          field={field}
          value={value as number}
          onValue={(v) => set(name, v)}
        />
      );
  }
}

/**
 * A number input that keeps what is being typed (e.g. an empty box, or "0." on the way to
 * "0.05") and applies it only once it is valid; leaving the box shows the applied value again.
 */
function NumberField({
  common,
  label,
  field,
  value,
  onValue,
}: {
  common: { id: string; title: string; 'data-testid': string };
  label: string;
  field: Extract<Field, { kind: 'number' }>;
  value: number;
  onValue: (v: number) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const valid = (v: number) =>
    Number.isFinite(v) &&
    v >= field.min &&
    v <= field.max &&
    (!field.integer || Number.isInteger(v));
  const shown = draft ?? String(value);
  return (
    <label className="field" htmlFor={common.id}>
      <span>{label}</span>
      <input
        {...common}
        type="number"
        min={field.min}
        max={field.max}
        step={field.step}
        value={shown}
        aria-invalid={
          draft !== null && (draft.trim() === '' || !valid(Number(draft))) ? true : undefined
        }
        onChange={(e) => {
          setDraft(e.target.value);
          const v = e.target.valueAsNumber;
          if (e.target.value.trim() !== '' && valid(v) && v !== value) onValue(v);
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  );
}
