/** The running model's objective, typeset with KaTeX (loaded lazily), with the latest test values. */
import { useEffect, useState } from 'react';
import type { ModelKind } from '../../models/catalog';
import type { Settings } from '../../state/settings';
import type { TestTerms } from '../../train/metrics';
import { nats } from '../format';

type Katex = typeof import('katex').default;
let katexPromise: Promise<Katex> | null = null;
function loadKatex(): Promise<Katex> {
  katexPromise ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([m]) => m.default,
  );
  return katexPromise;
}

/** TeX of −log p(x | z) for the chosen likelihood, with C shown for the Gaussian. */
function reconTex(s: Pick<Settings, 'likelihood' | 'sigma'>): string {
  if (s.likelihood === 'bernoulli') {
    return String.raw`-\textstyle\sum_p \left[x_p \log \hat x_p + (1 - x_p)\log(1 - \hat x_p)\right]`;
  }
  const c = (1 / (2 * s.sigma * s.sigma)).toPrecision(3);
  return String.raw`C\,\lVert x - \hat x\rVert^2 + \tfrac{P}{2}\log(2\pi\sigma^2),\quad C = \tfrac{1}{2\sigma^2} = ${c}`;
}

/** TeX of the objective and, when `test` is known, its live values; plus a plain-text version. */
export function objectiveTex(
  model: ModelKind,
  test: TestTerms | null,
  s: Pick<Settings, 'beta' | 'likelihood' | 'sigma' | 'freeBits' | 'warmup'>,
): { tex: string; text: string } {
  const lines: string[] = [];
  let text: string;
  if (model === 'vae') {
    lines.push(
      String.raw`-\mathrm{ELBO}(x) = \underbrace{\mathbb{E}_{q_\phi(z\mid x)}\!\left[-\log p_\theta(x\mid z)\right]}_{\text{reconstruction}} + \underbrace{\mathrm{KL}\!\left(q_\phi(z\mid x)\,\|\,\mathcal{N}(0, I)\right)}_{\text{KL}}`,
    );
    if (test) {
      lines.push(
        String.raw`${nats(test.negElbo)} = ${nats(test.recon)} + ${nats(test.kl)}\ \text{nats per image (test)}`,
      );
    }
    const weighted = s.beta !== 1 || s.warmup !== 'none' || s.freeBits > 0;
    if (weighted) {
      const kl =
        s.freeBits > 0
          ? String.raw`\sum_d \max(\lambda, \mathrm{KL}_d),\ \lambda = ${s.freeBits}`
          : String.raw`\mathrm{KL}`;
      lines.push(
        String.raw`\text{minimised: reconstruction} + w(t)\,${kl},\quad w \to \beta = ${s.beta}`,
      );
    }
    text = test
      ? `Negative ELBO ${nats(test.negElbo)} equals reconstruction ${nats(test.recon)} plus KL ${nats(test.kl)} nats per image on the test digits.`
      : 'Negative ELBO equals expected reconstruction loss plus KL divergence to the prior.';
  } else {
    lines.push(
      String.raw`\mathcal{L}(x) = -\log p_\theta\big(x \mid \hat z\big),\quad \hat z = f_\phi(x)`,
    );
    if (test) lines.push(String.raw`${nats(test.recon)}\ \text{nats per image (test)}`);
    text = test
      ? `Reconstruction loss ${nats(test.recon)} nats per image on the test digits.`
      : 'Reconstruction loss of the deterministic code.';
  }
  lines.push(String.raw`\text{reconstruction: } ${reconTex(s)}`);
  return {
    tex: String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`,
    text,
  };
}

export function ObjectiveMath({
  model,
  test,
  settings,
}: {
  model: ModelKind;
  test: TestTerms | null;
  settings: Settings;
}) {
  const [katex, setKatex] = useState<Katex | null>(null);
  useEffect(() => {
    let alive = true;
    void loadKatex().then((k) => alive && setKatex(k));
    return () => {
      alive = false;
    };
  }, []);
  const { tex, text } = objectiveTex(model, test, settings);
  return (
    <div className="math" data-testid="math" aria-label={text} role="math">
      {katex ? (
        <div
          aria-hidden="true"
          dangerouslySetInnerHTML={{
            __html: katex.renderToString(tex, { displayMode: true, throwOnError: false }),
          }}
        />
      ) : (
        <p>{text}</p>
      )}
    </div>
  );
}
