/** The objective being minimised, typeset with KaTeX (loaded lazily), with the latest test values. */
import { useEffect, useState } from 'react';
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

export function objectiveTex(test: TestTerms | null, beta: number): string {
  const objective =
    String.raw`-\mathrm{ELBO}(x) = \underbrace{\mathbb{E}_{q_\phi(z\mid x)}\!\left[-\log p_\theta(x\mid z)\right]}_{\text{reconstruction}}` +
    String.raw` + \underbrace{\mathrm{KL}\!\left(q_\phi(z\mid x)\,\|\,\mathcal{N}(0, I)\right)}_{\text{KL}}`;
  if (!test) return objective;
  const live = String.raw`\\[4pt] ${nats(test.negElbo)} = ${nats(test.recon)} + ${nats(test.kl)}\ \text{nats per image (test)}`;
  const weighted =
    beta === 1
      ? ''
      : String.raw`\\[4pt] \text{minimised: } \text{reconstruction} + \beta\,\text{KL},\ \beta = ${beta}`;
  return String.raw`\begin{gathered}${objective}${live}${weighted}\end{gathered}`;
}

export function ObjectiveMath({ test, beta }: { test: TestTerms | null; beta: number }) {
  const [katex, setKatex] = useState<Katex | null>(null);
  useEffect(() => {
    let alive = true;
    void loadKatex().then((k) => alive && setKatex(k));
    return () => {
      alive = false;
    };
  }, []);
  const tex = objectiveTex(test, beta);
  const text = test
    ? `Negative ELBO ${nats(test.negElbo)} equals reconstruction ${nats(test.recon)} plus KL ${nats(test.kl)} nats per image on the test digits.`
    : 'Negative ELBO equals expected reconstruction loss plus KL divergence to the prior.';
  return (
    <div className="math" aria-label={text} role="math">
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
