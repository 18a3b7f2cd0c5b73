/**
 * What the lessons' step conditions and live formulas share: "trained n more steps", "a new run
 * trained n steps", signal counts, and the running model's numbers as TeX (null while unknown).
 * Plain functions of the LessonContext (src/ui/lessons/lesson.ts); no React.
 */
import type { LessonContext, LessonSignal } from '../lesson';

/** The run has advanced at least `n` steps since the learner arrived at this step. */
export function trainedSince(ctx: LessonContext, n: number): boolean {
  return ctx.run.step >= ctx.atStart.step + n;
}

/**
 * The run on screen was started from scratch (its first evaluation is at step 0; a new or reset
 * run evaluates step 0 first) and has trained at least `n` steps: what a setting that starts a
 * new run (k-means init, EMA, the model) needs before its effect shows.
 */
export function freshRunPast(ctx: LessonContext, n: number): boolean {
  return ctx.run.test.steps[0] === 0 && ctx.run.step >= n;
}

/** The page sent `signal` at least `n` times since the learner arrived at this step. */
export function signalled(ctx: LessonContext, signal: LessonSignal, n = 1): boolean {
  return (ctx.signals[signal] ?? 0) >= n;
}

/** A latest test term (nats per image, or squared distance for the VQ terms), if known. */
export function testTerm(ctx: LessonContext, key: string): number | undefined {
  const v = ctx.run.latestEval?.test[key];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** A number for TeX with `digits` decimals. */
export function fixed(v: number, digits = 1): string {
  return v.toFixed(digits);
}

/** A schedule value in force (β, KL weight, τ), if the run reports it. */
export function scheduled(ctx: LessonContext, key: string): number | undefined {
  const v = ctx.run.schedule[key];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** "−ELBO = 103.2 = 78.1 + 25.1 nats per image", or null before the first evaluation. */
export function elboLine(ctx: LessonContext): string | null {
  const negElbo = testTerm(ctx, 'negElbo');
  const recon = testTerm(ctx, 'recon');
  const kl = testTerm(ctx, 'kl');
  if (negElbo === undefined || recon === undefined || kl === undefined) return null;
  return String.raw`-\mathrm{ELBO} = ${fixed(negElbo)} = \underbrace{${fixed(recon)}}_{\text{reconstruction}} + \underbrace{${fixed(kl)}}_{\text{KL}}\ \text{nats per image (test)}`;
}
