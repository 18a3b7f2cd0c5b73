/**
 * Plain-number training schedules, each a pure function of the global training step t
 * (an integer ≥ 0; negative steps are treated as 0). Pure: no imports.
 *
 * Two families:
 *   - KL weight (β warm-up): the weight w(t) on the KL term of the ELBO, ramped from 0 to β so
 *     the encoder learns to use the latents before the prior pulls them in (Bowman et al. 2016,
 *     "Generating Sentences from a Continuous Space", §3.1; Sønderby et al. 2016, "Ladder
 *     Variational Autoencoders", §2.3; β > 1 as in Higgins et al. 2017, "β-VAE").
 *   - Gumbel-softmax temperature τ(t) for the dVAE relaxation, annealed from soft to nearly
 *     one-hot samples.
 */

// ---------------------------------------------------------------------------------------------
// KL weight (β warm-up)
// ---------------------------------------------------------------------------------------------

/** w(t) = β for every t. */
export interface ConstantKlWeight {
  kind: 'constant';
  beta: number;
}

/**
 * Linear warm-up over N steps (Sønderby et al. 2016):
 *   w(t) = β · min(1, t / N)            (N ≤ 0: w = β from the start)
 */
export interface LinearKlWarmup {
  kind: 'linear';
  /** N: steps until the full weight β is reached. */
  steps: number;
  beta: number;
}

/**
 * Sigmoid (logistic) warm-up over N steps, in the spirit of Bowman et al.'s KL annealing:
 *   s(x) = σ(k · (x − ½)),  x = min(1, t / N),  σ(a) = 1 / (1 + e^{−a})
 *   w(t) = β · (s(x) − s(0)) / (s(1) − s(0))
 * i.e. the logistic curve σ(k·(t − N/2)/N) rescaled so that w(0) = 0 and w(N) = β exactly, with
 * w(N/2) = β/2 by symmetry and w = β for t ≥ N. k (sharpness) sets how abrupt the ramp is:
 * k → 0 tends to the linear ramp, large k to a step at N/2.
 */
export interface SigmoidKlWarmup {
  kind: 'sigmoid';
  /** N: steps until the full weight β is reached. */
  steps: number;
  beta: number;
  /** k > 0: slope of the logistic curve in units of 1/N. */
  sharpness: number;
}

export type KlWeightSchedule = ConstantKlWeight | LinearKlWarmup | SigmoidKlWarmup;

/** Defaults for each kind of KL weight schedule. */
export const KL_WEIGHT_DEFAULTS: {
  constant: ConstantKlWeight;
  linear: LinearKlWarmup;
  sigmoid: SigmoidKlWarmup;
} = {
  constant: { kind: 'constant', beta: 1 },
  linear: { kind: 'linear', steps: 10_000, beta: 1 },
  sigmoid: { kind: 'sigmoid', steps: 10_000, beta: 1, sharpness: 10 },
};

function logistic(a: number): number {
  return 1 / (1 + Math.exp(-a));
}

/** Fraction of a ramp of `steps` steps completed at `step`: clamp(t / N, 0, 1). */
function rampFraction(step: number, steps: number): number {
  if (!(steps > 0)) return 1;
  return Math.min(1, Math.max(0, step) / steps);
}

/** The KL weight w(t) at training step t (formulas on each schedule type). */
export function klWeightAt(schedule: KlWeightSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.beta;
    case 'linear':
      return schedule.beta * rampFraction(step, schedule.steps);
    case 'sigmoid': {
      const x = rampFraction(step, schedule.steps);
      const k = schedule.sharpness;
      if (!(k > 0)) return schedule.beta * x; // the k → 0 limit
      const s0 = logistic(-k / 2);
      const s1 = logistic(k / 2);
      return (schedule.beta * (logistic(k * (x - 0.5)) - s0)) / (s1 - s0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Gumbel-softmax temperature τ
// ---------------------------------------------------------------------------------------------

/** τ(t) = τ for every t. */
export interface ConstantGumbelTemperature {
  kind: 'constant';
  tau: number;
}

/**
 * Exponential decay with a floor, updated only every N steps — Jang, Gu & Poole 2016,
 * "Categorical Reparameterization with Gumbel-Softmax", §4: "τ = max(0.5, exp(−rt))
 * of the global training step t, where τ is updated every N steps", N ∈ {500, 1000},
 * r ∈ {1e−5, 1e−4}, starting from τ = 1:
 *   t_N = N · ⌊t / N⌋
 *   τ(t) = max(τ_min, τ₀ · exp(−r · t_N))
 * so τ is constant on each block [kN, (k+1)N).
 */
export interface ExpGumbelTemperature {
  kind: 'exp';
  /** τ₀: temperature at t = 0 (Jang et al.: 1). */
  tauStart: number;
  /** τ_min: floor (Jang et al.: 0.5). */
  tauMin: number;
  /** r: decay rate per step (Jang et al.: 1e−5 or 1e−4). */
  rate: number;
  /** N: τ is recomputed only every N steps (Jang et al.: 500 or 1000). */
  updateEvery: number;
}

/**
 * Cosine annealing over T steps, then constant — Ramesh et al. 2021, "Zero-Shot Text-to-Image
 * Generation" (DALL·E), Appendix A.2: the dVAE relaxation temperature is annealed from 1 to 1/16
 * over the first 150,000 updates with a cosine schedule:
 *   τ(t) = τ_end + ½ (τ_start − τ_end) (1 + cos(π · min(t, T) / T))      (T ≤ 0: τ = τ_end)
 */
export interface CosineGumbelTemperature {
  kind: 'cosine';
  /** τ_start: temperature at t = 0 (DALL·E: 1). */
  tauStart: number;
  /** τ_end: temperature from t = T on (DALL·E: 1/16). */
  tauEnd: number;
  /** T: length of the anneal in steps (DALL·E: 150,000). */
  steps: number;
}

export type GumbelTemperatureSchedule =
  ConstantGumbelTemperature | ExpGumbelTemperature | CosineGumbelTemperature;

/** Defaults for each kind of temperature schedule (the papers' values). */
export const GUMBEL_TEMPERATURE_DEFAULTS: {
  constant: ConstantGumbelTemperature;
  exp: ExpGumbelTemperature;
  cosine: CosineGumbelTemperature;
} = {
  constant: { kind: 'constant', tau: 1 },
  // Jang, Gu & Poole 2016.
  exp: { kind: 'exp', tauStart: 1, tauMin: 0.5, rate: 1e-5, updateEvery: 1000 },
  // Ramesh et al. 2021 (DALL·E).
  cosine: { kind: 'cosine', tauStart: 1, tauEnd: 1 / 16, steps: 150_000 },
};

/** The Gumbel-softmax temperature τ(t) at training step t (formulas on each schedule type). */
export function gumbelTemperatureAt(schedule: GumbelTemperatureSchedule, step: number): number {
  const t = Math.max(0, step);
  switch (schedule.kind) {
    case 'constant':
      return schedule.tau;
    case 'exp': {
      const every = schedule.updateEvery > 0 ? schedule.updateEvery : 1;
      const lastUpdate = every * Math.floor(t / every);
      return Math.max(schedule.tauMin, schedule.tauStart * Math.exp(-schedule.rate * lastUpdate));
    }
    case 'cosine': {
      const progress = rampFraction(t, schedule.steps);
      return (
        schedule.tauEnd +
        0.5 * (schedule.tauStart - schedule.tauEnd) * (1 + Math.cos(Math.PI * progress))
      );
    }
  }
}
