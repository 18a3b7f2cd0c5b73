/**
 * How a step ticks off by itself: the learner's visit to a step records the settings and the
 * run's step on arrival (`atStart`) and counts the signals sent since; a step's condition is
 * read from that and the settings and run now. Pure functions; the page calls them on every
 * change of the settings or the run (use-lesson.ts). A reading step (no condition) is done once
 * seen, and a done step stays done (the progress keeps it).
 */
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import type { Lesson, LessonContext, LessonSignal, LessonStep } from './lesson';

export interface StepVisit {
  lessonId: string;
  index: number;
  atStart: LessonContext['atStart'];
  signals: LessonContext['signals'];
}

/** The learner arrives at step `index` of lesson `lessonId`. */
export function arrive(
  lessonId: string,
  index: number,
  settings: Settings,
  run: Pick<TrainingState, 'step'>,
): StepVisit {
  return { lessonId, index, atStart: { settings, step: run.step }, signals: {} };
}

/** The visit after one more `signal`. */
export function countSignal(visit: StepVisit, signal: LessonSignal): StepVisit {
  return { ...visit, signals: { ...visit.signals, [signal]: (visit.signals[signal] ?? 0) + 1 } };
}

/**
 * What the step's condition reads. A run that started over since arrival (its step is below the
 * step on arrival) counts from its own start.
 */
export function contextOf(visit: StepVisit, settings: Settings, run: TrainingState): LessonContext {
  const step = run.step < visit.atStart.step ? 0 : visit.atStart.step;
  return { settings, run, atStart: { ...visit.atStart, step }, signals: visit.signals };
}

/** Whether `step` holds now: a reading step always; a condition that throws does not. */
export function stepHolds(step: LessonStep, ctx: LessonContext): boolean {
  if (!step.done) return true;
  try {
    return step.done(ctx);
  } catch {
    return false;
  }
}

/** The live formula of `step`, or null (none, none yet, or it threw). */
export function liveTex(step: LessonStep, ctx: LessonContext): string | null {
  try {
    return step.live?.(ctx) ?? null;
  } catch {
    return null;
  }
}

/** The step index a 1-based link step names, kept inside the lesson. */
export function stepIndexOf(lesson: Pick<Lesson, 'steps'>, linkStep: number): number {
  const last = Math.max(0, lesson.steps.length - 1);
  return Math.min(last, Math.max(0, Math.round(linkStep) - 1));
}
