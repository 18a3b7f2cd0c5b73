/**
 * TeX of the three tricks that let gradients through a sampling or quantising step, each with
 * the running model's live numbers and units, plus the same in words (the text alternative):
 * the reparameterisation trick (VAE), the straight-through estimator (VQ-VAE) and the
 * Gumbel-softmax relaxation (dVAE, categorical VAE).
 */
import { scheduleValue } from '../diagnostic-format';

export interface Tex {
  tex: string;
  text: string;
}

const gathered = (lines: string[]) =>
  String.raw`\begin{gathered}${lines.join(String.raw`\\[4pt]`)}\end{gathered}`;

const num = (s: string) => (s === '–' ? String.raw`\text{--}` : s);

/** z = μ + σ ⊙ ε (Kingma & Welling 2014, §2.4), with the latent size and the live KL. */
export function reparameterisationTex(o: {
  latentDim: number;
  /** Test KL, nats per image (summed over dimensions). */
  kl: number | undefined;
  activeUnits: number | undefined;
}): Tex {
  const D = o.latentDim;
  const kl = o.kl === undefined || !Number.isFinite(o.kl) ? '–' : o.kl.toFixed(1);
  const active = o.activeUnits === undefined ? '–' : String(o.activeUnits);
  return {
    tex: gathered([
      String.raw`z = \mu_\phi(x) + \sigma_\phi(x) \odot \varepsilon,\quad \varepsilon \sim \mathcal{N}(0, I_{${D}})`,
      String.raw`\frac{\partial z}{\partial \mu} = 1,\quad \frac{\partial z}{\partial \sigma} = \varepsilon\quad \text{(the noise is an input, so gradients reach } \phi\text{)}`,
      String.raw`\mathrm{KL} = \textstyle\sum_{d=1}^{${D}} \tfrac12\left(\mu_d^2 + \sigma_d^2 - 1 - \log \sigma_d^2\right) = ${num(kl)}\ \text{nats per image (test)},\quad ${num(active)} \text{ of } ${D} \text{ units active}`,
    ]),
    text:
      `Reparameterisation trick: z = μ + σ ⊙ ε with ε drawn from N(0, I) in ${D} dimensions; ` +
      `the noise is an input, so gradients reach μ and σ. KL = ${kl} nats per image summed over ` +
      `the ${D} dimensions (test digits); ${active} of ${D} units active.`,
  };
}

/**
 * z_e + sg[z_q − z_e] (van den Oord et al. 2017, §3.2), with the code grid's capacity in bits
 * and the codebook's live perplexity.
 */
export function straightThroughTex(o: {
  gridHeight: number;
  gridWidth: number;
  codebookSize: number;
  codeDim: number;
  perplexity: number | undefined;
}): Tex {
  const positions = o.gridHeight * o.gridWidth;
  const K = o.codebookSize;
  const bits = positions * Math.log2(K);
  const used = o.perplexity !== undefined && o.perplexity > 0 ? Math.log2(o.perplexity) : undefined;
  const usedText = used === undefined ? '–' : used.toFixed(2);
  const perplexity = o.perplexity === undefined ? '–' : o.perplexity.toFixed(1);
  return {
    tex: gathered([
      String.raw`\tilde z = z_e + \operatorname{sg}\!\left[z_q - z_e\right]\quad \text{forward: } \tilde z = z_q,\quad \text{backward: } \frac{\partial L}{\partial z_e} = \frac{\partial L}{\partial z_q}`,
      String.raw`z_q(i) = e_{k^*(i)},\quad k^*(i) = \arg\min_{k < ${K}} \lVert z_e(i) - e_k \rVert^2,\quad e_k \in \mathbb{R}^{${o.codeDim}}`,
      String.raw`${o.gridHeight} \times ${o.gridWidth} = ${positions} \text{ codes} \times \log_2 ${K} = ${bits.toFixed(0)} \text{ bits per image at most; now } \log_2 ${num(perplexity)} = ${num(usedText)} \text{ bits per position}`,
    ]),
    text:
      `Straight-through estimator: the decoder gets z_e + sg[z_q − z_e], which equals the code ` +
      `z_q going forward, while the gradient skips the quantiser and reaches z_e unchanged. ` +
      `${positions} positions of ${K} codes hold at most ${bits.toFixed(0)} bits per image; ` +
      `the codebook's perplexity ${perplexity} means ${usedText} bits per position are in use.`,
  };
}

/** y = softmax((log π + g)/τ) (Jang et al. 2017; Maddison et al. 2017) with the live τ. */
export function gumbelSoftmaxTex(o: {
  tau: number | undefined;
  categories: number;
  positions: number;
  hard: boolean;
}): Tex {
  const tau = scheduleValue(o.tau);
  const K = o.categories;
  return {
    tex: gathered([
      String.raw`y_k = \frac{\exp\!\big((\log \pi_k + g_k)/\tau\big)}{\sum_{j=1}^{${K}} \exp\!\big((\log \pi_j + g_j)/\tau\big)},\quad g_k = -\log(-\log u_k),\ u_k \sim \mathcal{U}(0, 1)`,
      String.raw`\tau = ${num(tau)}\ \text{(training, now)};\quad \tau \to 0:\ y \to \operatorname{one\_hot}\big(\arg\max_k (\log \pi_k + g_k)\big),\quad \tau \to \infty:\ y \to \tfrac{1}{${K}}`,
      o.hard
        ? String.raw`\text{hard (straight-through): one-hot forward, the soft } y\text{'s gradient backward};\ ${o.positions} \text{ variables of } ${K} \text{ categories}`
        : String.raw`\text{soft: the decoder sees } y \text{ itself};\ ${o.positions} \text{ variables of } ${K} \text{ categories}`,
    ]),
    text:
      `Gumbel-softmax: y = softmax((log π + g)/τ) with Gumbel noise g = −log(−log u); training ` +
      `τ is ${tau} now. As τ falls to 0, y approaches the one-hot of argmax(log π + g), a true ` +
      `sample of π; as τ grows, y approaches uniform. ${o.positions} variables of ${K} categories` +
      `${o.hard ? '; hard mode: one-hot forward, relaxed gradient backward.' : '.'}`,
  };
}
