/**
 * The running model's objective, typeset with KaTeX (loaded lazily), with the latest test
 * values rounded as in the status line: "−ELBO = 103.2 = 78.1 (reconstruction) + 25.1 (KL)".
 */
import type { ModelKind } from '../../contracts/catalog';
import type { Settings } from '../../state/settings';
import type { TestTerms } from '../../contracts/metrics';
import { objectiveTex } from '../tex/objective-tex';
import { TexBlock } from '../tex/TexBlock';

export function ObjectiveMath({
  model,
  test,
  settings,
}: {
  model: ModelKind;
  test: TestTerms | null;
  settings: Settings;
}) {
  const { tex, text } = objectiveTex(model, test, settings);
  return <TexBlock tex={tex} text={text} testId="math" />;
}
