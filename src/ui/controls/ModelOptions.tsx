/**
 * Which settings each model uses, and one labelled native control per setting. Only the
 * settings the running model reads are shown, so no control on the page is a no-op.
 */
import { useState } from 'react';
import { MODEL_CATALOG, MODEL_KINDS } from '../../contracts/catalog';
import {
  ACTIVATIONS,
  BACKENDS,
  BINARIZATIONS,
  LIKELIHOODS,
  RESET_KEYS,
  TAU_SCHEDULES,
  WARMUPS,
  type TrainConfig,
} from '../../contracts/config';
import { SETTINGS, type Settings } from '../../state/settings';

export type SettingKey = keyof Settings;
type Value = Settings[SettingKey];
export type SetSetting = (key: SettingKey, value: Value) => void;

/**
 * The settings a model uses, in display order: `main` beside the buttons, `more` under
 * "Model options". Conditional ones (σ, warm-up steps, EMA decay, τ steps / rate) appear only
 * when the setting they depend on makes them matter.
 */
export function settingsFor(s: Settings): { main: SettingKey[]; more: SettingKey[] } {
  const warmup: SettingKey[] = s.warmup === 'none' ? ['warmup'] : ['warmup', 'warmupSteps'];
  const tau: SettingKey[] = ['tauSchedule', 'tauEnd'];
  if (s.tauSchedule === 'cosine') tau.push('tauSteps');
  if (s.tauSchedule === 'exp') tau.push('tauRate');
  const decoder: SettingKey[] = ['hiddenDim', 'likelihood'];
  if (s.likelihood === 'gaussian') decoder.push('sigma');
  decoder.push('binarize', 'activation');

  let shape: SettingKey[];
  let more: SettingKey[];
  let beta = true;
  switch (s.model) {
    case 'vae':
      shape = ['latentDim'];
      more = [...decoder, ...warmup, 'freeBits'];
      break;
    case 'ae':
      shape = ['latentDim'];
      more = decoder;
      beta = false;
      break;
    case 'vqvae':
      shape = ['codebookSize', 'codeDim'];
      more = [
        'channels',
        'commitment',
        'ema',
        ...(s.ema ? ['emaDecay' as const] : []),
        'kmeansInit',
      ];
      more.push('deadCodeThreshold', 'likelihood');
      if (s.likelihood === 'gaussian') more.push('sigma');
      more.push('binarize');
      beta = false;
      break;
    case 'dvae':
      shape = ['codebookSize', 'codeDim'];
      more = ['channels', 'hard', ...warmup, ...tau, 'binarize'];
      break;
    case 'catvae':
      shape = ['categorical', 'classes'];
      more = ['hard', ...tau, 'binarize'];
      break;
  }
  const main: SettingKey[] = ['model', ...shape, 'learningRate', 'batchSize'];
  if (beta) main.push('beta');
  main.push('backend');
  return { main, more };
}

/** The hint under the controls: which of the shown settings start a new run. */
export function runHint(shown: SettingKey[]): string {
  const isReset = (k: SettingKey) => k === 'backend' || RESET_KEYS.includes(k as keyof TrainConfig);
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

type Field =
  | {
      kind: 'select';
      options: readonly (string | number)[];
      hint: string;
      text?: (v: string | number) => string;
    }
  | { kind: 'number'; min: number; max: number; step: number; integer?: boolean; hint: string }
  | { kind: 'check'; hint: string };

const NEW_MODEL = 'changing it starts a new model';
const LIVE = 'applies immediately';

const FIELDS: { [K in SettingKey]?: Field } = {
  model: {
    kind: 'select',
    options: MODEL_KINDS,
    hint: 'Changing it starts a new run',
    text: (k) => MODEL_CATALOG[k as Settings['model']].label,
  },
  backend: { kind: 'select', options: BACKENDS, hint: 'Switching backend restarts the run' },
  latentDim: {
    kind: 'select',
    options: [2, 4, 8, 16, 32, 64],
    hint: `Size of the latent code z; ${NEW_MODEL}`,
  },
  hiddenDim: {
    kind: 'select',
    options: [128, 256, 400, 512, 1024],
    hint: `Hidden units of the MLP encoder and decoder; ${NEW_MODEL}`,
  },
  learningRate: {
    kind: 'select',
    options: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 1e-1, 1, 1e3],
    hint: `Adam step size; ${LIVE}`,
  },
  batchSize: {
    kind: 'select',
    options: [32, 64, 128, 256, 512],
    hint: `Images per step; ${LIVE}`,
  },
  beta: {
    kind: 'number',
    min: 0,
    max: 100,
    step: 0.1,
    hint: `Weight on the KL term (1 = plain ELBO); ${LIVE}`,
  },
  likelihood: {
    kind: 'select',
    options: LIKELIHOODS,
    hint: 'p(x|z): Bernoulli on pixels, or Gaussian with fixed σ',
  },
  sigma: {
    kind: 'number',
    min: 0.01,
    max: 10,
    step: 0.01,
    hint: `σ of the Gaussian likelihood (loss weight 1/(2σ²)); ${LIVE}`,
  },
  binarize: {
    kind: 'select',
    options: BINARIZATIONS,
    hint: 'none: grey pixels; static: sampled once; dynamic: re-sampled every step',
  },
  activation: {
    kind: 'select',
    options: ACTIVATIONS,
    hint: 'Hidden-layer activation (linear + Gaussian AE ≈ PCA)',
  },
  warmup: { kind: 'select', options: WARMUPS, hint: 'Ramp the KL weight from 0 to β' },
  warmupSteps: {
    kind: 'number',
    min: 1,
    max: 10_000_000,
    step: 100,
    integer: true,
    hint: 'Steps over which the KL weight ramps up',
  },
  freeBits: {
    kind: 'number',
    min: 0,
    max: 10,
    step: 0.05,
    hint: 'Each latent dimension’s KL counts as at least λ nats (0 = off)',
  },
  codebookSize: {
    kind: 'select',
    options: [8, 16, 32, 64, 128, 256, 512, 1024],
    hint: `K: codes in the codebook (dVAE: categories per grid cell); ${NEW_MODEL}`,
  },
  codeDim: {
    kind: 'select',
    options: [2, 4, 8, 16, 32, 64, 128, 256],
    hint: `D: size of each code vector; ${NEW_MODEL}`,
  },
  channels: {
    kind: 'select',
    options: [4, 8, 16, 32, 64],
    hint: `Channels h of the first conv layer (the second has 2h); ${NEW_MODEL}`,
  },
  commitment: {
    kind: 'number',
    min: 0,
    max: 10,
    step: 0.05,
    hint: `Weight of the commitment loss ‖z_e − sg(e)‖²; ${LIVE}`,
  },
  ema: {
    kind: 'check',
    hint: `Update the codebook by exponential moving averages instead of its loss; ${NEW_MODEL}`,
  },
  emaDecay: {
    kind: 'number',
    min: 0,
    max: 0.9999,
    step: 0.001,
    hint: 'γ of the moving averages; closer to 1 = slower codebook updates',
  },
  kmeansInit: {
    kind: 'check',
    hint: `Initialise the codebook by k-means on the first batch’s encoder outputs; ${NEW_MODEL}`,
  },
  deadCodeThreshold: {
    kind: 'number',
    min: 0,
    max: 1_000_000,
    step: 1,
    integer: true,
    hint: 'Restart codes used fewer times than this in 200 steps (0 = never)',
  },
  tauSchedule: {
    kind: 'select',
    options: TAU_SCHEDULES,
    hint: 'Gumbel-softmax temperature: constant, exp decay max(τ_end, e^(−r·t)), or cosine from 1 to τ_end',
  },
  tauEnd: {
    kind: 'number',
    min: 0.01,
    max: 10,
    step: 0.01,
    hint: 'τ at the end of the cosine anneal, the floor of the exp decay, or τ when constant',
  },
  tauSteps: {
    kind: 'number',
    min: 1,
    max: 10_000_000,
    step: 100,
    integer: true,
    hint: 'Length of the cosine anneal in steps',
  },
  tauRate: {
    kind: 'number',
    min: 0,
    max: 1,
    step: 0.00001,
    hint: 'r in τ = max(τ_end, exp(−r·t)), updated every 1000 steps',
  },
  hard: {
    kind: 'check',
    hint: 'Straight-through: one-hot samples forward, relaxed gradients backward',
  },
  categorical: {
    kind: 'select',
    options: [1, 2, 5, 10, 20, 30, 50, 100, 200],
    hint: `N: categorical latent variables; ${NEW_MODEL}`,
  },
  classes: {
    kind: 'select',
    options: [2, 4, 8, 10, 16, 32, 64, 128, 256],
    hint: `K: classes per variable; ${NEW_MODEL}`,
  },
};

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
  const field = FIELDS[name];
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
              const v = options.find((o) => String(o) === e.target.value);
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
