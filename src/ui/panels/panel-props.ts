/** What every lecture panel receives from the App. */
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import type { Inspect } from '../use-inspection';

export interface PanelProps {
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  /** Change settings (e.g. the τ slider), exactly as a control would. */
  onSettings?: (next: Settings, key: keyof Settings) => void;
}
