/**
 * The learner and the run for tests/unit/lessons-content.test.ts: runs built with the real run
 * reducer (src/state/training-store.ts) from worker messages, and the learner's actions (train,
 * change a setting as the page does, reset, load a checkpoint, send a signal) as functions of the
 * lesson context (src/ui/lessons/lesson.ts).
 */
import { MODEL_CATALOG, type ModelKind } from '../../src/contracts/catalog';
import type { EvalResult } from '../../src/contracts/metrics';
import { startsNewRun } from '../../src/contracts/settings';
import { klWeightFor } from '../../src/models/kl-weight';
import { defaultSettings, type Settings } from '../../src/state/settings';
import {
  applyResponse,
  initialState,
  resetRun,
  type TrainingState,
} from '../../src/state/training-store';
import type { Lesson, LessonContext, LessonSignal } from '../../src/ui/lessons/lesson';

const EVERY = 50;

function evalResult(model: ModelKind, settings: Settings, step: number): EvalResult {
  const { traits } = MODEL_CATALOG[model];
  const decay = 1 + step / 1000;
  const recon = 60 + 80 / decay;
  const kl = 25 - 5 / decay;
  const test: Record<string, number> =
    model === 'pca'
      ? { squaredError: 20 + 20 / decay }
      : model === 'kmeans'
        ? { squaredError: 30 + 20 / decay }
        : model === 'mixture'
          ? { nll: 140 + 30 / decay, elbo: -(141 + 30 / decay), elboE: -(140 + 30 / decay) }
          : model === 'ae'
            ? { recon }
            : model === 'glo'
              ? { recon, squaredError: recon / 4 }
              : model === 'vqvae'
                ? { recon, codebook: 0.8 / decay, commitment: 0.8 / decay }
                : model === 'prior'
                  ? {
                      nll: 40 + 60 / decay,
                      recon: 90,
                      bound: 130 + 60 / decay,
                      unigram: 105,
                      uniform: 49 * Math.log(settings.codebookSize),
                    }
                  : { negElbo: recon + kl, recon, kl };
  const D = settings.latentDim;
  const K =
    model === 'catvae'
      ? settings.classes
      : model === 'kmeans' || model === 'mixture'
        ? settings.clusters
        : settings.codebookSize;
  const diagnostics: EvalResult['diagnostics'] =
    traits.latent === 'continuous'
      ? traits.kl
        ? {
            klPerDimension: Array.from({ length: D }, (_, d) => (d % 3 === 0 ? 0.01 : kl / D)),
            activeUnits: D - Math.ceil(D / 3),
          }
        : {}
      : {
          codeUsage: Array.from({ length: K }, (_, k) => (k % 4 === 0 ? 0 : 10)),
          perplexity: 0.7 * K,
          codesUsed: K - Math.ceil(K / 4),
          deadCodes: Math.ceil(K / 4),
        };
  return {
    step,
    epoch: Math.floor(step / 469),
    test,
    latent: new Float32Array(4000),
    latentKind: D === 2 ? 'latent' : 'pca',
    reconstructions: new Float32Array(16 * 784),
    diagnostics,
  };
}

function schedule(model: ModelKind, settings: Settings, step: number): Record<string, number> {
  const { traits } = MODEL_CATALOG[model];
  const out: Record<string, number> = {};
  if (traits.kl) out.beta = settings.beta;
  if (traits.kl && model !== 'catvae') out.klWeight = klWeightFor(settings, step);
  if (traits.gumbel) out.tau = Math.max(settings.tauEnd, Math.exp(-1e-4 * step));
  return out;
}

/** `n` more steps: a read-back every EVERY steps and an evaluation at the end. */
function trainRun(s: TrainingState, settings: Settings, n: number): TrainingState {
  const model = s.model;
  let run = s;
  const end = s.step + n;
  for (let step = Math.min(end, s.step + EVERY); ; step = Math.min(end, step + EVERY)) {
    run = applyResponse(run, {
      type: 'metrics',
      runId: run.runId,
      metrics: { steps: [step], terms: { recon: [100] } },
      step,
      epoch: Math.floor(step / 469),
      imagesPerSecond: 1000,
      schedule: schedule(model, settings, step),
      memory: { numTensors: 10, numBytes: 1000 },
    });
    if (step >= end) break;
  }
  return applyResponse(run, {
    type: 'eval',
    runId: run.runId,
    result: evalResult(model, settings, end),
  });
}

/** A new model on screen, evaluated at `step` (0 for a fresh one, more for a checkpoint). */
function newRun(s: TrainingState, settings: Settings, step = 0): TrainingState {
  const run = resetRun(s, s.runId + 1, settings.model);
  const at = step === 0 ? run : trainRun(run, settings, step);
  return step === 0
    ? applyResponse(at, {
        type: 'eval',
        runId: at.runId,
        result: evalResult(settings.model, settings, 0),
      })
    : at;
}

// The learner's actions.

export type Act = (ctx: LessonContext) => LessonContext;

export const train =
  (n: number): Act =>
  (ctx) => ({ ...ctx, run: trainRun(ctx.run, ctx.settings, n) });

/** Changes settings as the page does: a setting that is not live starts a new run. */
export const set =
  (patch: Partial<Settings>): Act =>
  (ctx) => {
    const settings = { ...ctx.settings, ...patch };
    const fresh = Object.keys(patch).some(
      (k) => startsNewRun(k) && patch[k as keyof Settings] !== ctx.settings[k as keyof Settings],
    );
    return { ...ctx, settings, run: fresh ? newRun(ctx.run, settings) : ctx.run };
  };

export const reset: Act = (ctx) => ({ ...ctx, run: newRun(ctx.run, ctx.settings) });

export const loadPretrained: Act = (ctx) => ({
  ...ctx,
  run: newRun(ctx.run, ctx.settings, 30_000),
});

export const signal =
  (name: LessonSignal, n = 1): Act =>
  (ctx) => ({ ...ctx, signals: { ...ctx.signals, [name]: (ctx.signals[name] ?? 0) + n } });

export const all =
  (...acts: Act[]): Act =>
  (ctx) =>
    acts.reduce((c, a) => a(c), ctx);

/** The learner arrives at a step: nothing signalled yet, the state now is the state at start. */
export function arrive(ctx: LessonContext): LessonContext {
  return { ...ctx, atStart: { settings: ctx.settings, step: ctx.run.step }, signals: {} };
}

/**
 * The context as the lesson host builds it (src/ui/lessons/ticks.ts): a run that started over
 * since arrival (its step below the step on arrival) counts from its own start.
 */
export function hostView(ctx: LessonContext): LessonContext {
  return ctx.run.step < ctx.atStart.step ? { ...ctx, atStart: { ...ctx.atStart, step: 0 } } : ctx;
}

export function presetSettings(lesson: Lesson): Settings {
  return { ...defaultSettings(), ...lesson.preset };
}

/** The lab as a lesson opens it: its preset, a fresh model evaluated at step 0. */
export function opening(lesson: Lesson): LessonContext {
  const settings = presetSettings(lesson);
  const run = newRun(resetRun(initialState(), 1, settings.model), settings);
  return arrive({ settings, run, atStart: { settings, step: 0 }, signals: {} });
}
