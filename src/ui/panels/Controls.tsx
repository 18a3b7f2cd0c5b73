/** Train/Pause, Step, Reset and the hyper-parameters; all native controls with labels. */
import { useId } from 'react';
import { BACKENDS } from '../../train/config';
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
        {numberSelect(
          'latentDim',
          withCurrent(LATENT_SIZES, settings.latentDim),
          'Changing it starts a new model',
        )}
        {numberSelect('learningRate', LEARNING_RATES, 'Adam step size; applies immediately')}
        {numberSelect('batchSize', BATCH_SIZES, 'Images per step; applies immediately')}
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
      <p className="hint">
        Latent size and backend start a new run; learning rate, batch size and β apply to the
        running model.
      </p>
    </section>
  );
}
