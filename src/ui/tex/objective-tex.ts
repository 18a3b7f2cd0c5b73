/**
 * TeX of the running model's objective with its latest test values, plus the same in words
 * (the text alternative). The values are rounded exactly as the status line rounds them.
 */
import { MODEL_CATALOG, type ModelKind, type ModelTraits } from '../../contracts/catalog';
import type { Settings } from '../../state/settings';
import type { TestTerms } from '../../contracts/metrics';
import { nats } from '../format';

export type ObjectiveSettings = Pick<
  Settings,
  | 'beta'
  | 'likelihood'
  | 'sigma'
  | 'freeBits'
  | 'warmup'
  | 'commitment'
  | 'ema'
  | 'codebookSize'
  | 'classes'
  | 'latentDim'
>;

/** A number for TeX: the status line's rounding, or a dash in text mode when unknown. */
const natsTex = (v: number | undefined) => {
  const s = nats(v);
  return s === '–' ? String.raw`\text{--}` : s;
};

/** Squared distances (VQ terms) to 3 significant digits. */
export function distance(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(3)));
}
const distanceTex = (v: number | undefined) => {
  const s = distance(v);
  return s === '–' ? String.raw`\text{--}` : s;
};

/** TeX of −log p(x | z) for the chosen likelihood, with C shown for the Gaussian. */
function reconTex(s: Pick<Settings, 'likelihood' | 'sigma'>): string {
  if (s.likelihood === 'bernoulli') {
    return String.raw`-\textstyle\sum_p \left[x_p \log \hat x_p + (1 - x_p)\log(1 - \hat x_p)\right]`;
  }
  const c = (1 / (2 * s.sigma * s.sigma)).toPrecision(3);
  return String.raw`C\,\lVert x - \hat x\rVert^2 + \tfrac{P}{2}\log(2\pi\sigma^2),\quad C = \tfrac{1}{2\sigma^2} = ${c}`;
}

/** "−ELBO = 103.2 = 78.1 (reconstruction) + 25.1 (KL)": the live line of the ELBO models. */
function elboLive(test: TestTerms): { tex: string; text: string } {
  return {
    tex: String.raw`-\mathrm{ELBO} = ${natsTex(test.negElbo)} = ${natsTex(test.recon)}\ (\text{reconstruction}) + ${natsTex(test.kl)}\ (\text{KL})\ \text{nats per image (test)}`,
    text: `−ELBO = ${nats(test.negElbo)} = ${nats(test.recon)} (reconstruction) + ${nats(test.kl)} (KL) nats per image on the test digits.`,
  };
}

/** The objectives we can write, one per kind of model. */
type Formula =
  | 'gaussian-elbo'
  | 'categorical-elbo'
  | 'vector-quantised'
  | 'reconstruction'
  | 'principal-subspace'
  | 'k-means'
  | 'mixture-em'
  | 'per-image-codes'
  | 'code-prior';

/**
 * The objective a model's traits call for: a KL to a prior makes it an ELBO (Gaussian for a
 * continuous latent, categorical for discrete codes); a codebook without a KL is the VQ-VAE's
 * loss; a continuous code without either is the autoencoder's. Any other mix has no formula yet.
 */
export function formulaOf(t: ModelTraits): Formula {
  if (t.prior) return 'code-prior';
  if (t.fitting === 'closed-form' && t.latent === 'continuous') return 'principal-subspace';
  // Fitted by whole passes without gradients: Lloyd on squared error, or EM on a Bernoulli mixture.
  if (t.fitting === 'iterative') return t.likelihoods[0] === 'bernoulli' ? 'mixture-em' : 'k-means';
  if (t.kl) return t.latent === 'continuous' ? 'gaussian-elbo' : 'categorical-elbo';
  if (t.codebook) return 'vector-quantised';
  if (t.latent === 'continuous') return t.perImageCodes ? 'per-image-codes' : 'reconstruction';
  throw new Error(`no objective formula for a model with traits ${JSON.stringify(t)}`);
}

/** TeX of the objective and, when `test` is known, its live values; plus a plain-text version. */
export function objectiveTex(
  model: ModelKind,
  test: TestTerms | null,
  s: ObjectiveSettings,
): { tex: string; text: string } {
  const lines: string[] = [];
  let text: string;
  const { traits, settings } = MODEL_CATALOG[model];
  const reads = (key: (typeof settings)[number]) => settings.includes(key);
  const formula = formulaOf(traits);
  if (formula === 'k-means' || formula === 'mixture-em') return clusteringTex(formula, test);
  if (formula === 'code-prior') return priorTex(test, s.codebookSize);
  if (formula === 'gaussian-elbo' || formula === 'categorical-elbo') {
    if (formula === 'gaussian-elbo' && traits.conditional) {
      // Conditional VAE: both networks read the label y; a bound on −log p(x | y).
      lines.push(
        String.raw`-\mathrm{ELBO}(x, y) = \underbrace{\mathbb{E}_{q_\phi(z\mid x, y)}\!\left[-\log p_\theta(x\mid z, y)\right]}_{\text{reconstruction}} + \underbrace{\mathrm{KL}\!\left(q_\phi(z\mid x, y)\,\|\,\mathcal{N}(0, I)\right)}_{\text{KL}} \ge -\log p_\theta(x \mid y)`,
      );
    } else if (formula === 'gaussian-elbo') {
      lines.push(
        String.raw`-\mathrm{ELBO}(x) = \underbrace{\mathbb{E}_{q_\phi(z\mid x)}\!\left[-\log p_\theta(x\mid z)\right]}_{\text{reconstruction}} + \underbrace{\mathrm{KL}\!\left(q_\phi(z\mid x)\,\|\,\mathcal{N}(0, I)\right)}_{\text{KL}}`,
      );
    } else {
      const K = traits.grid ? s.codebookSize : s.classes;
      lines.push(
        String.raw`-\mathrm{ELBO}(x) = \underbrace{\mathbb{E}_{q_\phi(c\mid x)}\!\left[-\log p_\theta(x\mid c)\right]}_{\text{reconstruction}} + \underbrace{\textstyle\sum_i \mathrm{KL}\!\left(q_\phi(c_i\mid x)\,\|\,\mathcal{U}\{1, \dots, ${K}\}\right)}_{\text{KL}}`,
      );
    }
    const live = test ? elboLive(test) : null;
    if (live) lines.push(live.tex);
    const freeBits = reads('freeBits') && s.freeBits > 0;
    const weighted = s.beta !== 1 || (reads('warmup') && s.warmup !== 'none') || freeBits;
    if (weighted) {
      const kl = freeBits
        ? String.raw`\sum_d \max(\lambda, \mathrm{KL}_d),\ \lambda = ${s.freeBits}`
        : String.raw`\mathrm{KL}`;
      lines.push(
        !reads('warmup')
          ? String.raw`\text{minimised: reconstruction} + \beta\,\mathrm{KL},\quad \beta = ${s.beta}`
          : String.raw`\text{minimised: reconstruction} + w(t)\,${kl},\quad w \to \beta = ${s.beta}`,
      );
    }
    text =
      live?.text ??
      'Negative ELBO equals expected reconstruction loss plus KL divergence to the prior.';
  } else if (formula === 'vector-quantised') {
    lines.push(
      String.raw`\mathcal{L}(x) = \underbrace{-\log p_\theta(x\mid z_q)}_{\text{reconstruction}} + \underbrace{\lVert \operatorname{sg}[z_e] - z_q\rVert^2}_{\text{codebook}} + \beta\,\underbrace{\lVert z_e - \operatorname{sg}[z_q]\rVert^2}_{\text{commitment}},\quad \beta = ${s.commitment}`,
    );
    if (test) {
      lines.push(
        String.raw`\mathcal{L} = ${natsTex(test.recon)}\ (\text{reconstruction, nats}) + ${distanceTex(test.codebook)}\ (\text{codebook}) + ${s.commitment} \times ${distanceTex(test.commitment)}\ (\text{commitment})\ \text{per image (test)}`,
      );
    }
    if (s.ema) {
      lines.push(
        String.raw`\text{EMA codebook: the codes follow moving averages of } z_e\text{; the codebook term is shown, not minimised}`,
      );
    }
    text = test
      ? `Loss = ${nats(test.recon)} (reconstruction, nats) + ${distance(test.codebook)} (codebook) + ${s.commitment} × ${distance(test.commitment)} (commitment) per image on the test digits.`
      : 'Loss = reconstruction + codebook + β × commitment (squared distances between encoder outputs and their codes).';
  } else if (formula === 'reconstruction') {
    lines.push(
      String.raw`\mathcal{L}(x) = -\log p_\theta\big(x \mid \hat z\big),\quad \hat z = f_\phi(x)`,
    );
    if (test)
      lines.push(
        String.raw`\text{reconstruction} = ${natsTex(test.recon)}\ \text{nats per image (test)}`,
      );
    text = test
      ? `Reconstruction = ${nats(test.recon)} nats per image on the test digits.`
      : 'Reconstruction loss of the deterministic code.';
  } else if (formula === 'principal-subspace') {
    lines.push(
      String.raw`\min_{\mu,\ W^\top W = I}\ \frac{1}{N}\sum_n \big\lVert x_n - \mu - W W^\top (x_n - \mu)\big\rVert^2 = \sum_{i > d} \lambda_i(C),\quad d = ${s.latentDim}`,
    );
    if (test?.squaredError !== undefined)
      lines.push(
        String.raw`\text{squared error} = ${test.squaredError.toFixed(2)}\ \text{per image (test, summed over pixels)}`,
      );
    text =
      test?.squaredError !== undefined
        ? `Squared error = ${test.squaredError.toFixed(2)} per test image (summed over pixels); W holds the top ${s.latentDim} eigenvectors of the covariance C.`
        : `PCA: W holds the top ${s.latentDim} eigenvectors of the training covariance C; the error left is the sum of the other eigenvalues.`;
    return {
      tex: String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`,
      text,
    };
  } else if (formula === 'per-image-codes') {
    lines.push(
      String.raw`\min_{\theta,\ \lVert z_i \rVert \le 1}\ \textstyle\sum_i -\log p_\theta(x_i \mid z_i)\ \text{(a code per training image)},\quad z^*(x) = \arg\min_{\lVert z \rVert \le 1} -\log p_\theta(x \mid z)`,
    );
    if (test)
      lines.push(
        String.raw`\text{test: } -\log p_\theta(x \mid z^*) = ${natsTex(test.recon)}\ \text{nats},\quad \textstyle\sum_p (x_p - \hat x_p)^2 = ${distanceTex(test.squaredError)}\ \text{per image}`,
      );
    text = test
      ? `Reconstruction at the inferred codes = ${nats(test.recon)} nats per image on the test digits; squared error ${distance(test.squaredError)}.`
      : 'Reconstruction loss, minimised over the decoder and one code per training image.';
  } else {
    const unknown: never = formula; // a new formula needs its lines here
    throw new Error(`no objective lines for ${String(unknown)}`);
  }
  lines.push(
    // A model that offers one likelihood uses it whatever the setting says.
    String.raw`\text{reconstruction: } ${reconTex(traits.likelihoods.includes(s.likelihood) ? s : { likelihood: traits.likelihoods[0]!, sigma: s.sigma })}`,
  );
  return {
    tex: String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`,
    text,
  };
}

/**
 * The prior over a tokenizer's codes: the chain rule over the 49 positions, the cross-entropy it
 * minimises, and the tokenizer's whole bound with it (a one-hot posterior has zero entropy).
 */
function priorTex(test: TestTerms | null, K: number): { tex: string; text: string } {
  const uniform = 49 * Math.log(K);
  const lines = [
    String.raw`p_\psi(c \mid y) = \prod_{t=1}^{49} p_\psi(c_t \mid c_{<t}, y),\qquad \mathcal{L}(c, y) = -\textstyle\sum_{t=1}^{49} \log p_\psi(c_t \mid c_{<t}, y)\ \text{nats per image}`,
    String.raw`-\log p(x) \le \underbrace{-\log p_\theta(x \mid c)}_{\text{reconstruction (frozen)}} + \underbrace{\left(-\log p_\psi(c)\right)}_{\text{prior}},\quad \text{uniform codes: } 49 \ln ${K} = ${natsTex(uniform)}`,
  ];
  let text = `The prior learns p(c) = Π_t p(c_t | c_<t, y) over the 49 codes; the tokenizer's bound is reconstruction − log p(c), and uniform codes cost 49 ln ${K} = ${nats(uniform)} nats.`;
  if (test?.nll !== undefined && test.recon !== undefined) {
    const perToken = (test.nll / 49).toFixed(3);
    lines.push(
      String.raw`-\mathrm{ELBO} = ${natsTex(test.recon)} + ${natsTex(test.nll)} = ${natsTex(test.recon + test.nll)}\ \text{nats per image (test)};\quad ${perToken}\ \text{nats per token}`,
    );
    text = `−ELBO = ${nats(test.recon)} (reconstruction) + ${nats(test.nll)} (−log p(codes)) = ${nats(test.recon + test.nll)} nats per image on the test digits; ${perToken} nats per token (uniform codes: ${nats(uniform)} per image).`;
  }
  return {
    tex: String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`,
    text,
  };
}

/** K-means' squared error, or the mixture's log-likelihood and bound, with their test values. */
function clusteringTex(
  formula: 'k-means' | 'mixture-em',
  test: TestTerms | null,
): { tex: string; text: string } {
  const lines: string[] = [];
  let text: string;
  if (formula === 'k-means') {
    lines.push(
      String.raw`J = \frac{1}{N}\sum_i \min_k \lVert x_i - c_k \rVert^2,\quad z(x) = \arg\min_k \lVert x - c_k \rVert^2,\ \hat x = c_{z(x)}`,
    );
    if (test)
      lines.push(
        String.raw`J = ${distanceTex(test.squaredError)}\ \text{squared error per image, summed over the pixels (test)}`,
      );
    text = test
      ? `Squared error = ${distance(test.squaredError)} per image on the test digits (summed over the pixels).`
      : 'Squared error per image between each digit and its nearest centroid.';
  } else {
    lines.push(
      String.raw`\log p(x) = \log \textstyle\sum_k \pi_k \prod_p \mu_{kp}^{x_p}(1-\mu_{kp})^{1-x_p} \;\ge\; \mathrm{ELBO}(q) = \sum_k q_k\left[\log \pi_k p(x\mid k) - \log q_k\right]`,
    );
    if (test)
      lines.push(
        String.raw`-\log p(x) = ${natsTex(test.nll)},\quad \mathrm{ELBO}_{\text{after M}} = ${natsTex(test.elbo)},\quad \mathrm{ELBO}_{\text{after E}} = ${natsTex(test.elboE)}\ \text{nats per image (test)}`,
      );
    text = test
      ? `−log p(x) = ${nats(test.nll)} nats per image on the test digits; the bound is ${nats(test.elbo)} after the M-step and ${nats(test.elboE)} after the E-step.`
      : 'Exact log-likelihood of a mixture of Bernoullis and its evidence lower bound.';
  }
  return {
    tex: String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`,
    text,
  };
}
