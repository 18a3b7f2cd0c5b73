/** Train/Pause, Step, Reset and the hyper-parameters; all native controls with labels. */
import { useId } from 'react';
import { MODEL_CATALOG, MODEL_KINDS } from '../../models/catalog';
import { ACTIVATIONS, BACKENDS, BINARIZATIONS, LIKELIHOODS, WARMUPS } from '../../train/config';
import { SETTINGS, type Settings } from '../../state/settings';

export interface ControlsProps {
  settings: Settings;
  running: boolean;
  ready: boolean;
  onToggle: () => void;
  onStep: () => void;
  onReset: () => void;
  /** A changed setting and which key changed. */
  onChange: (next: Settings, key: keyof Settings) => void;
}

const LATENT_SIZES = [2, 4, 8, 16, 32, 64];
const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 1e-1, 1, 1e3];
const BATCH_SIZES = [32, 64, 128, 256, 512];

function withCurrent(options: number[], current: number): number[] {
  return options.includes(current) ? options : [...options, current].sort((a, b) => a - b);
}

export function Controls({
  settings,
  running,
  ready,
  onToggle,
  onStep,
  onReset,
  onChange,
}: ControlsProps) {
  const id = useId();
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) =>
    onChange({ ...settings, [key]: value }, key);

  const numberSelect = (
    key: 'latentDim' | 'learningRate' | 'batchSize',
    options: number[],
    hint: string,
  ) => (
    <label className="field" htmlFor={`${id}-${key}`}>
      <span>{SETTINGS[key].label}</span>
      <select
        id={`${id}-${key}`}
        value={settings[key]}
        title={hint}
        onChange={(e) => set(key, Number(e.target.value))}
      >
        {withCurrent(options, settings[key]).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );

  const choice = <K extends keyof Settings>(
    key: K,
    options: readonly Settings[K][],
    hint: string,
    label: (v: Settings[K]) => string = String,
    testId?: string,
  ) => (
    <label className="field" htmlFor={`${id}-${String(key)}`}>
      <span>{SETTINGS[key].label}</span>
      <select
        id={`${id}-${String(key)}`}
        data-testid={testId}
        value={String(settings[key])}
        title={hint}
        onChange={(e) =>
          set(
            key,
            options.find((o) => String(o) === e.target.value)!,
          )
        }
      >
        {options.map((v) => (
          <option key={String(v)} value={String(v)}>
            {label(v)}
          </option>
        ))}
      </select>
    </label>
  );

  const numberInput = (
    key: 'sigma' | 'warmupSteps' | 'freeBits',
    min: number,
    max: number,
    step: number,
  ) => (
    <label className="field" htmlFor={`${id}-${key}`}>
      <span>{SETTINGS[key].label}</span>
      <input
        id={`${id}-${key}`}
        type="number"
        min={min}
        max={max}
        step={step}
        value={settings[key]}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          if (Number.isFinite(v) && v >= min && v <= max) set(key, v);
        }}
      />
    </label>
  );

  const isVae = settings.model === 'vae';
  return (
    <section className="controls" aria-label="Training controls">
      <div className="buttons">
        <button
          type="button"
          data-testid="train-toggle"
          className="primary"
          disabled={!ready}
          aria-pressed={running}
          onClick={onToggle}
        >
          {running ? 'Pause' : 'Train'}
        </button>
        <button type="button" data-testid="step" disabled={!ready || running} onClick={onStep}>
          Step
        </button>
        <button type="button" data-testid="reset" disabled={!ready} onClick={onReset}>
          Reset
        </button>
      </div>
      <div className="fields">
        {choice(
          'model',
          MODEL_KINDS,
          'Changing it starts a new run',
          (k) => MODEL_CATALOG[k].label,
          'model-select',
        )}
        {numberSelect(
          'latentDim',
          withCurrent(LATENT_SIZES, settings.latentDim),
          'Changing it starts a new model',
        )}
        {numberSelect('learningRate', LEARNING_RATES, 'Adam step size; applies immediately')}
        {numberSelect('batchSize', BATCH_SIZES, 'Images per step; applies immediately')}
        {isVae ? (
          <label className="field" htmlFor={`${id}-beta`}>
            <span>{SETTINGS.beta.label}</span>
            <input
              id={`${id}-beta`}
              type="number"
              min={0}
              max={100}
              step={0.1}
              value={settings.beta}
              onChange={(e) => {
                const v = e.target.valueAsNumber;
                if (Number.isFinite(v) && v >= 0 && v <= 100) set('beta', v);
              }}
            />
          </label>
        ) : null}
        <label className="field" htmlFor={`${id}-backend`}>
          <span>{SETTINGS.backend.label}</span>
          <select
            id={`${id}-backend`}
            value={settings.backend}
            title="Switching backend restarts the run"
            onChange={(e) => set('backend', e.target.value as Settings['backend'])}
          >
            {BACKENDS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
      </div>
      <details className="more">
        <summary>Model options</summary>
        <div className="fields">
          {choice(
            'likelihood',
            LIKELIHOODS,
            'p(x|z): Bernoulli on pixels, or Gaussian with fixed σ',
          )}
          {settings.likelihood === 'gaussian' ? numberInput('sigma', 0.01, 10, 0.01) : null}
          {choice(
            'binarize',
            BINARIZATIONS,
            'none: grey pixels; static: sampled once; dynamic: re-sampled every step',
          )}
          {choice(
            'activation',
            ACTIVATIONS,
            'Hidden-layer activation (linear + Gaussian AE ≈ PCA)',
          )}
          {isVae ? choice('warmup', WARMUPS, 'Ramp the KL weight from 0 to β') : null}
          {isVae && settings.warmup !== 'none'
            ? numberInput('warmupSteps', 1, 10_000_000, 100)
            : null}
          {isVae ? numberInput('freeBits', 0, 10, 0.05) : null}
        </div>
        {settings.likelihood === 'gaussian' ? (
          <p className="hint">
            Gaussian loss C·‖x − x̂‖² + const with C = 1/(2σ²) ={' '}
            {(1 / (2 * settings.sigma * settings.sigma)).toPrecision(3)}.
          </p>
        ) : null}
      </details>
      <p className="hint">
        Model, latent size, likelihood, binarisation, activation and backend start a new run;
        learning rate, batch size, β, warm-up and free bits apply to the running model.
      </p>
    </section>
  );
}
