/** (Being written.) */
import type { PanelProps } from './panel-props';

export function DiagnosticPanels(_props: PanelProps) {
  return null;
}
