/**
 * Train/Pause, Step, Reset and the hyper-parameters of the chosen model; all native controls
 * with labels. Only settings the running model uses are shown (see ModelOptions).
 */
import { memo, useId } from 'react';
import type { BackendName } from '../../contracts/config';
import { type Settings } from '../../state/settings';
import { BackendField } from './BackendField';
import { runHint, SettingField, settingsFor, type SetSetting } from './ModelOptions';
import { sendSignal } from '../lessons/signals';

export interface ControlsProps {
  settings: Settings;
  /** The loop is busy (training, or a Step's steps): Step waits. */
  running: boolean;
  /** Training until paused: the toggle reads Pause. During a Step's steps it reads Train. */
  playing: boolean;
  ready: boolean;
  onToggle: () => void;
  onStep: () => void;
  onReset: () => void;
  /** A changed setting and which key changed. */
  onChange: (next: Settings, key: keyof Settings) => void;
  /** What the Backend control shows: nobody chose one, and which one runs. */
  backend?: { automatic: boolean; running: BackendName | null };
}

/** Re-rendered only when one of its props changes (not at every training step). */
export const Controls = memo(function Controls({
  settings,
  running,
  playing,
  ready,
  onToggle,
  onStep,
  onReset,
  onChange,
  backend,
}: ControlsProps) {
  const id = useId();
  const set: SetSetting = (key, value) => onChange({ ...settings, [key]: value }, key);
  const { main, more } = settingsFor(settings);
  const field = (key: keyof Settings) =>
    key === 'backend' ? (
      <BackendField
        key={key}
        id={`${id}-backend`}
        value={settings.backend}
        automatic={backend?.automatic ?? false}
        running={backend?.running ?? null}
        onChoose={(b) => set('backend', b)}
      />
    ) : (
      <SettingField key={key} name={key} settings={settings} set={set} idPrefix={id} />
    );
  // σ is shown exactly when the model reads it and the likelihood is Gaussian.
  const gaussian = more.includes('sigma');
  return (
    <section className="controls" aria-label="Training controls">
      <div className="buttons">
        <button
          type="button"
          data-testid="train-toggle"
          className="primary"
          disabled={!ready}
          aria-pressed={playing}
          onClick={onToggle}
        >
          {playing ? 'Pause' : 'Train'}
        </button>
        <button
          type="button"
          data-testid="step"
          disabled={!ready || running}
          onClick={() => {
            sendSignal('step-pressed');
            onStep();
          }}
        >
          Step
        </button>
        <button type="button" data-testid="reset" disabled={!ready} onClick={onReset}>
          Reset
        </button>
      </div>
      <div className="fields">{main.map(field)}</div>
      <details className="more">
        <summary>Model options</summary>
        <div className="fields">{more.map(field)}</div>
        {gaussian ? (
          <p className="hint">
            Gaussian loss C·‖x − x̂‖² + const with C = 1/(2σ²) ={' '}
            {(1 / (2 * settings.sigma * settings.sigma)).toPrecision(3)}.
          </p>
        ) : null}
      </details>
      <p className="hint" data-testid="settings-hint">
        {runHint([...main, ...more])}
      </p>
    </section>
  );
});
