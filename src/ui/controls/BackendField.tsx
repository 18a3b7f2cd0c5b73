/**
 * The Backend control, showing what runs: "automatic (running: wasm)" while nobody chose a
 * backend (the `backend` setting then is only the first one tried), or the chosen one with the
 * running one beside it when the run fell back (e.g. "webgpu (running: wasm)").
 */
import { BACKENDS, type BackendName } from '../../contracts/config';
import { SETTINGS } from '../../state/settings';
import { testIdOf } from './ModelOptions';

const AUTOMATIC = 'automatic';

export function BackendField({
  id,
  value,
  automatic,
  running,
  onChoose,
}: {
  id: string;
  value: BackendName;
  /** No link, control or benchmark chose the backend. */
  automatic: boolean;
  /** The backend the run is on, once started. */
  running: BackendName | null;
  onChoose: (b: BackendName) => void;
}) {
  const runningText = running ? ` (running: ${running})` : '';
  return (
    <label className="field" htmlFor={id}>
      <span>{SETTINGS.backend.label}</span>
      <select
        id={id}
        data-testid={testIdOf('backend')}
        title="Switching backend restarts the run"
        value={automatic ? AUTOMATIC : value}
        onChange={(e) => {
          const b = BACKENDS.find((name) => name === e.target.value);
          if (b) onChoose(b);
        }}
      >
        {automatic ? <option value={AUTOMATIC}>{`automatic${runningText}`}</option> : null}
        {BACKENDS.map((b) => (
          <option key={b} value={b}>
            {!automatic && b === value && running && running !== b ? `${b}${runningText}` : b}
          </option>
        ))}
      </select>
    </label>
  );
}
