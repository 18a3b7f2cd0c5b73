/** (Being written.) */
import type { PanelProps } from './panel-props';

export function GenerativePanels(_props: PanelProps) {
  return null;
}
