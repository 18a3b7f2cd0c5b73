// Every live setting of every model that reads it (the settings table × the catalog), applied to
// a running model through Trainer.updateConfig, must change what the model computes as its
// formula says. A live setting with no check below, or whose effect does not show, fails.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS, type ModelKind } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { liveSettingsOf, SETTING_ROWS, type SettingKey } from '../../src/contracts/settings';
import type { LatentModel } from '../../src/models/latent-model';
import { Trainer } from '../../src/train/trainer';
import { dataset, small } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

/** The step the losses are taken at: inside every warm-up and τ schedule, past an exp update. */
const STEP = 2500;
const CTX = { step: STEP, seed: 99 };
const P = 784;
const B = 8;

/** A fixed batch of grey digits-like images (grey, so the Gaussian term is not trivial).  [B, P] */
function fixedBatch(): tf.Tensor2D {
  let s = 7;
  const pixels = Float32Array.from({ length: B * P }, () => {
    s = (s * 16807) % 2147483647;
    return (s % 1000) / 1000;
  });
  return tf.tensor2d(pixels, [B, P]);
}

type Terms = Record<string, number>;

/** Labels 0, 1, 2 … for the fixed batch, for a conditional model (the others get none).   [B] */
function labelsFor(model: LatentModel): tf.Tensor1D | undefined {
  const K = model.labelClasses;
  return K
    ? tf.tensor1d(
        Int32Array.from({ length: B }, (_, i) => i % K),
        'int32',
      )
    : undefined;
}

async function lossTerms(model: LatentModel, x: tf.Tensor2D): Promise<Terms> {
  const labels = labelsFor(model);
  const out = model.loss(x, { ...CTX, labels });
  labels?.dispose();
  const keys = Object.keys(out.terms);
  const values = await Promise.all([out.total.data(), ...keys.map((k) => out.terms[k]!.data())]);
  tf.dispose([out.total, ...Object.values(out.terms)]);
  return Object.fromEntries([
    ['total', values[0]![0]!],
    ...keys.map((k, i) => [k, values[i + 1]![0]!]),
  ]);
}

function expectClose(actual: number, expected: number, what: string, rel = 1e-4): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(1, Math.abs(expected)),
  );
}

/** The loss before and after a live change, and of a model built with the new value. */
interface LossRun {
  before: Terms;
  after: Terms;
  /** A fresh model (same seed, so the same weights) built with the changed config. */
  fresh: Terms;
  /** Per-dimension batch-mean KL of the model, when it has one.   [D] */
  klPerDim: number[] | null;
  /** Schedule values (τ, KL weight) at STEP after the change. */
  schedule: Record<string, number>;
}

async function lossRun(c1: TrainConfig, c2: TrainConfig): Promise<LossRun> {
  const x = fixedBatch();
  const t = new Trainer(dataset(24), c1);
  const before = await lossTerms(t.model, x);
  t.updateConfig(c2);
  const after = await lossTerms(t.model, x);
  const labels = labelsFor(t.model);
  const kl = t.model.klPerDimension?.(x, labels);
  labels?.dispose();
  const klPerDim = kl ? Array.from(await kl.data()) : null;
  kl?.dispose();
  const schedule = t.model.scheduleValues(STEP);
  t.dispose();
  const t2 = new Trainer(dataset(24), c2);
  const fresh = await lossTerms(t2.model, x);
  t2.dispose();
  x.dispose();
  return { before, after, fresh, klPerDim, schedule };
}

/** The live change reached the loss: it moved, and equals what a model built with it computes. */
function expectLossFollows(r: LossRun): void {
  expect(r.after.total, 'the objective did not change').not.toBeCloseTo(r.before.total!, 6);
  for (const k of Object.keys(r.fresh))
    expectClose(r.after[k]!, r.fresh[k]!, `${k} vs a fresh model`);
}

/** All weights of the model as one flat array (a copy). */
async function weights(model: LatentModel): Promise<Float32Array[]> {
  return Promise.all(model.variables.map(async (v) => (await v.data()) as Float32Array));
}

/** τ(t) of the Gumbel-softmax schedules, written out independently of core/schedules. */
function tauAt(c: TrainConfig, t: number): number {
  switch (c.tauSchedule) {
    case 'constant':
      return c.tauEnd;
    case 'exp':
      return Math.max(c.tauEnd, Math.exp(-c.tauRate * 1000 * Math.floor(t / 1000)));
    case 'cosine':
      return (
        c.tauEnd + 0.5 * (1 - c.tauEnd) * (1 + Math.cos(Math.PI * Math.min(1, t / c.tauSteps)))
      );
  }
}

interface Effect {
  /** Settings under which the effect shows (besides the row's own conditions). */
  from?: Partial<TrainConfig>;
  /** The live change. */
  to: Partial<TrainConfig>;
  /** Asserts the change's consequence on `model` of the zoo. */
  check: (model: ModelKind, c1: TrainConfig, c2: TrainConfig) => Promise<void>;
}

/** A Gumbel-softmax schedule setting: the loss follows and τ(STEP) is the new schedule's. */
const tauEffect = (from: Partial<TrainConfig>, to: Partial<TrainConfig>): Effect => ({
  from,
  to,
  check: async (_m, c1, c2) => {
    const r = await lossRun(c1, c2);
    expectLossFollows(r);
    expect(tauAt(c2, STEP)).not.toBeCloseTo(tauAt(c1, STEP), 6);
    expectClose(r.schedule.tau!, tauAt(c2, STEP), 'τ');
  },
});

/** A KL-weight setting: the objective is recon + w·KL with w the new weight at STEP. */
const klWeightEffect = (
  from: Partial<TrainConfig>,
  to: Partial<TrainConfig>,
  w: number,
): Effect => ({
  from,
  to,
  check: async (_m, c1, c2) => {
    const r = await lossRun(c1, c2);
    expectLossFollows(r);
    expectClose(r.after.total!, r.after.recon! + w * r.after.kl!, 'recon + w·KL');
  },
});

const EFFECTS: { [K in SettingKey]?: Effect } = {
  // σ: the Gaussian term is C·S + (P/2)·log(2πσ²) with C = 1/(2σ²) and S = ‖x − x̂‖² unchanged.
  sigma: {
    from: { sigma: 0.1 },
    to: { sigma: 0.3 },
    check: async (_m, c1, c2) => {
      const r = await lossRun(c1, c2);
      expectLossFollows(r);
      const constant = (s: number) => 0.5 * P * Math.log(2 * Math.PI * s * s);
      const S = 2 * c1.sigma ** 2 * (r.before.recon! - constant(c1.sigma));
      expectClose(r.after.recon!, S / (2 * c2.sigma ** 2) + constant(c2.sigma), 'recon');
    },
  },
  // β: the objective moves by Δβ·KL (no warm-up, no free bits).
  beta: {
    from: { beta: 1 },
    to: { beta: 3 },
    check: async (_m, c1, c2) => {
      const r = await lossRun(c1, c2);
      expectLossFollows(r);
      expectClose(r.after.total! - r.before.total!, (c2.beta - c1.beta) * r.before.kl!, 'Δ total');
    },
  },
  // Linear warm-up over 5000 steps: w(2500) = β/2.
  warmup: klWeightEffect({ warmup: 'none', warmupSteps: 5000 }, { warmup: 'linear' }, 0.5),
  warmupSteps: klWeightEffect(
    { warmup: 'linear', warmupSteps: 5000 },
    { warmupSteps: 10_000 },
    0.25,
  ),
  // Free bits: the objective is recon + Σ_d max(λ, KL_d).
  freeBits: {
    from: { freeBits: 0 },
    to: { freeBits: 0.5 },
    check: async (_m, c1, c2) => {
      const r = await lossRun(c1, c2);
      expectLossFollows(r);
      const floored = r.klPerDim!.reduce((a, k) => a + Math.max(c2.freeBits, k), 0);
      expectClose(r.after.total!, r.after.recon! + floored, 'recon + Σ max(λ, KL_d)');
    },
  },
  // Commitment β: the objective moves by Δβ·commitment.
  commitment: {
    from: { commitment: 0.25 },
    to: { commitment: 1 },
    check: async (_m, c1, c2) => {
      const r = await lossRun(c1, c2);
      expectLossFollows(r);
      const delta = (c2.commitment - c1.commitment) * r.before.commitment!;
      expectClose(r.after.total! - r.before.total!, delta, 'Δ total');
    },
  },
  tauSchedule: tauEffect({ tauSchedule: 'cosine' }, { tauSchedule: 'exp', tauRate: 1e-3 }),
  tauEnd: tauEffect({ tauSchedule: 'constant', tauEnd: 1 / 16 }, { tauEnd: 0.5 }),
  tauSteps: tauEffect({ tauSteps: 10_000 }, { tauSteps: 5000 }),
  tauRate: tauEffect({ tauRate: 1e-4 }, { tauRate: 1e-3 }),
  // Hard samples: the forward pass uses one-hot codes, as a model built hard computes.
  hard: {
    from: { hard: false },
    to: { hard: true },
    check: async (_m, c1, c2) => expectLossFollows(await lossRun(c1, c2)),
  },
  // Learning rate: Adam's next step is lr × (its moments' ratio), so ×10 lr = ×10 the step.
  learningRate: {
    from: { learningRate: 1e-3 },
    to: { learningRate: 1e-2 },
    check: async (_m, c1, c2) => {
      const secondStep = async (live: boolean) => {
        const t = new Trainer(dataset(24), c1);
        t.trainStep();
        const w1 = await weights(t.model);
        if (live) t.updateConfig(c2);
        t.trainStep();
        await t.flush();
        const w2 = await weights(t.model);
        t.dispose();
        return w2.map((w, i) => w.map((v, j) => v - w1[i]![j]!));
      };
      const plain = (await secondStep(false)).flatMap((d) => Array.from(d));
      const fast = (await secondStep(true)).flatMap((d) => Array.from(d));
      const ratio = c2.learningRate / c1.learningRate;
      const largest = plain.reduce((a, d) => Math.max(a, Math.abs(d)), 0);
      expect(largest).toBeGreaterThan(0);
      plain.forEach((d, i) =>
        expect(Math.abs(fast[i]! - ratio * d)).toBeLessThanOrEqual(1e-3 * ratio * largest),
      );
    },
  },
  // GLO's inference steps: the loss of images without codes is at codes found by more steps.
  inferSteps: {
    from: { inferSteps: 5 },
    to: { inferSteps: 20 },
    check: async (_m, c1, c2) => expectLossFollows(await lossRun(c1, c2)),
  },
  // GLO's code step size: the next step's rows (first visits: Adam's first step, η·g/|g|) move
  // ×10 as far when η is ×10 (rows the ball projection clipped aside).
  codeLearningRate: {
    from: { codeLearningRate: 1e-3 },
    to: { codeLearningRate: 1e-2 },
    check: async (_m, c1, c2) => {
      const moves = async (live: boolean) => {
        const t = new Trainer(dataset(24), c1);
        const table = t.model.savedVariables!.at(-1)!;
        t.trainStep();
        const z1 = (await table.array()) as number[][];
        if (live) t.updateConfig(c2);
        t.trainStep();
        await t.flush();
        const z2 = (await table.array()) as number[][];
        t.dispose();
        return { z2, delta: z2.map((r, i) => r.map((v, j) => v - z1[i]![j]!)) };
      };
      const plain = await moves(false);
      const fast = await moves(true);
      const ratio = c2.codeLearningRate / c1.codeLearningRate;
      const inside = (r: number[]) => Math.hypot(...r) < 0.999;
      let checked = 0;
      plain.delta.forEach((row, i) => {
        if (!inside(plain.z2[i]!) || !inside(fast.z2[i]!) || row.every((d) => d === 0)) return;
        checked++;
        row.forEach((d, j) =>
          expect(Math.abs(fast.delta[i]![j]! - ratio * d), `Δz_${i}`).toBeLessThanOrEqual(
            1e-3 * Math.abs(ratio * d) + 1e-6,
          ),
        );
      });
      expect(checked).toBeGreaterThan(0);
    },
  },
  // The prior's dropout: a training-mode loss (dropout on) moves, and equals a fresh model's.
  priorDropout: {
    from: { priorDropout: 0 },
    to: { priorDropout: 0.3 },
    check: async (_m, c1, c2) => {
      const x = fixedBatch();
      const training = async (t: Trainer) => {
        const labels = labelsFor(t.model);
        const out = t.model.loss(x, { ...CTX, training: true, labels });
        const total = (await out.total.data())[0]!;
        tf.dispose([labels, out.total, ...Object.values(out.terms)].filter((v) => v !== undefined));
        return total;
      };
      const t = new Trainer(dataset(24), c1);
      const before = await training(t);
      t.updateConfig(c2);
      const after = await training(t);
      t.dispose();
      const t2 = new Trainer(dataset(24), c2);
      const fresh = await training(t2);
      t2.dispose();
      x.dispose();
      expect(after, 'dropout did not reach the loss').not.toBeCloseTo(before, 6);
      expectClose(after, fresh, 'the training loss vs a fresh model');
    },
  },
  // Batch size: the next step takes that many rows of the shuffled order.
  batchSize: {
    from: { batchSize: 8 },
    to: { batchSize: 4 },
    check: async (_m, c1, c2) => {
      const t = new Trainer(dataset(24), c1);
      t.trainStep();
      const cursor = t.position().cursor;
      t.updateConfig(c2);
      t.trainStep();
      await t.flush();
      expect(t.position().cursor - cursor).toBe(c2.batchSize);
      t.dispose();
    },
  },
  // EMA decay γ: after the next step, N ← γ·N + (1 − γ)·(this batch's code counts).
  emaDecay: {
    from: { ema: true, emaDecay: 0.99 },
    to: { emaDecay: 0.5 },
    check: async (_m, c1, c2) => {
      const t = new Trainer(dataset(24), c1);
      const model = t.model;
      const x = fixedBatch();
      model.initialize?.(x);
      t.updateConfig(c2);
      const [clusterSize] = model.stateVariables!;
      const old = Array.from(await clusterSize!.data());
      const { indices, size } = model.codes!(x);
      const counts = new Array<number>(size).fill(0);
      for (const k of await indices.data()) counts[k]!++;
      indices.dispose();
      tf.tidy(() => {
        model.loss(x, { ...CTX, training: true });
      });
      model.afterStep!();
      const now = Array.from(await clusterSize!.data());
      const g = c2.emaDecay;
      now.forEach((n, k) => expectClose(n, g * old[k]! + (1 - g) * counts[k]!, `N_${k}`));
      expect(now.some((n, k) => Math.abs(n - (0.99 * old[k]! + 0.01 * counts[k]!)) > 1e-3)).toBe(
        true,
      );
      x.dispose();
      t.dispose();
    },
  },
  // Dead-code threshold T: the next check restarts exactly the codes used fewer than T times.
  deadCodeThreshold: {
    from: { deadCodeThreshold: 1 },
    to: {},
    check: async (_m, c1) => {
      const t = new Trainer(dataset(24), c1);
      const model = t.model;
      const x = fixedBatch();
      const { indices, size } = model.codes!(x);
      const counts = new Array<number>(size).fill(0);
      for (const k of await indices.data()) counts[k]!++;
      indices.dispose();
      tf.tidy(() => {
        model.loss(x, { ...CTX, training: true });
      });
      model.afterStep!(); // usage since the last check = this batch's counts
      // A threshold above the most used code's count: every code is restarted (T = 1: only unused).
      const T = counts.reduce((a, c) => Math.max(a, c), 0) + 1;
      expect(counts.filter((c) => c < T).length).not.toBe(counts.filter((c) => c < 1).length);
      t.updateConfig({ ...c1, deadCodeThreshold: T });
      const read = async () => {
        const e = model.codebookVectors!();
        const data = await e.data();
        e.dispose();
        return data;
      };
      const before = await read();
      await model.maintain!(x, 200);
      const after = await read();
      const D = before.length / size;
      const moved = counts.map((_, k) =>
        Array.from({ length: D }, (_, d) => before[k * D + d] !== after[k * D + d]).some(Boolean),
      );
      expect(moved).toEqual(counts.map((c) => c < T));
      x.dispose();
      t.dispose();
    },
  },
};

/** Every (model, live setting it reads) pair, from the catalog and the settings table. */
const PAIRS = MODEL_KINDS.flatMap((model) =>
  liveSettingsOf(model).map((key) => [model, key] as const),
);

describe('live settings', () => {
  let before = 0;
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  });

  it('covers the settings the issue named', () => {
    const named = PAIRS.map(([m, k]) => `${m}.${k}`);
    for (const p of ['vae.sigma', 'ae.sigma', 'vqvae.sigma', 'vqvae.commitment', 'vqvae.emaDecay'])
      expect(named).toContain(p);
    expect(named).toContain('vqvae.deadCodeThreshold');
    before = tf.memory().numTensors;
  });

  it.each(PAIRS)('%s: %s applies to the running model', async (model, key) => {
    before = tf.memory().numTensors;
    const effect = EFFECTS[key];
    if (!effect) throw new Error(`no check of the live setting ${key}: add one to EFFECTS`);
    // The row's own conditions (σ needs the Gaussian likelihood …) hold in both configs.
    const when = Object.fromEntries(
      Object.entries(SETTING_ROWS[key].when ?? {}).map(([k, v]) => [k, v[0]]),
    );
    const c1: TrainConfig = { ...TRAIN_DEFAULTS, ...small, model, ...when, ...effect.from };
    const c2: TrainConfig = { ...c1, ...effect.to };
    await effect.check(model, c1, c2);
  });
});
