/**
 * What a lesson is: a preset that sets the lab up, and numbered steps that say what to look at
 * (the element to highlight) and, for most, what to do — a step whose `done` holds ticks off by
 * itself, from the settings, the run's numbers or the signals the page sends (`LessonSignal`).
 * Plain data and pure functions: a lesson file imports nothing from React, and its text loads
 * lazily (src/ui/lessons/course.ts).
 *
 * Adding a lesson: its file in src/ui/lessons/content/ exporting a `Lesson`, and one line in
 * COURSE (src/ui/lessons/course.ts).
 */
import type { PanelId } from '../../contracts/panels';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';

/**
 * Things a learner does that settings and the run's numbers do not show, sent by the page's
 * controls and panels (src/ui/lessons/signals.ts). Add one here and send it where it happens.
 */
export const LESSON_SIGNALS = [
  'step-pressed', // the Step button (or the S key)
  'drew-digit', // a stroke finished on the drawing pad
  'latent-clicked', // a point of the latent scatter clicked to decode it
  'interp-endpoints-changed', // the interpolation's A or B changed
  'traversal-dim-changed', // the traversal's dimension or start digit changed
  'tau-slider-moved', // the Gumbel panel's τ slider moved
  'manifold-grid-changed', // the manifold's grid size or plane changed
  'samples-refreshed', // "New samples" pressed
  'em-digit-picked', // the EM panel's digit changed
  'inference-run', // inference by optimisation started with nothing erased
  'restoration-run', // inference started on a digit with pixels erased
  'edit-groups-changed', // the editing panel's groups changed
  'edit-slider-moved', // the editing panel's t slider moved
  'class-chosen', // the conditional panel's class to sample changed
  'style-digit-chosen', // the conditional panel's "same style" digit changed
  'prior-stage', // "Train a prior on these codes" pressed (the tokens panel)
  'prior-class-chosen', // the generate panel's digit changed
  'prior-generated', // the generate panel's Generate pressed
  'prior-attention-moved', // the attention view's row or column changed
] as const;
export type LessonSignal = (typeof LESSON_SIGNALS)[number];

/** What a step's condition and its live formula may read. */
export interface LessonContext {
  /** The settings now. */
  settings: Settings;
  /** The run on screen now (step, latest evaluation, curves, events, capabilities …). */
  run: TrainingState;
  /** As they were when the learner arrived at this step (e.g. "raise β above where it was"). */
  atStart: { settings: Settings; step: number };
  /** How many times each signal was sent since the learner arrived at this step. */
  signals: Partial<Record<LessonSignal, number>>;
}

export interface LessonStep {
  /** A few words, shown as the step's heading. */
  title: string;
  /**
   * The step's text, in our own words: paragraphs separated by blank lines; `$…$` is inline TeX
   * and `$$…$$` a displayed formula (KaTeX). Keep it short: two or three sentences.
   */
  text: string;
  /** A formula with the running model's numbers in it (KaTeX), or null while there are none. */
  live?: (ctx: LessonContext) => string | null;
  /**
   * What to look at: a panel id (its section is highlighted) or a `data-testid` in the page
   * (e.g. 'train-toggle', 'model-select'); the page scrolls to it and outlines it.
   */
  highlight?: PanelId | string;
  /** The panels this step needs (presenter mode shows only these). Default: the lesson's. */
  panels?: PanelId[];
  /** Ticks the step off by itself when it holds (no "done" button). Absent: a reading step. */
  done?: (ctx: LessonContext) => boolean;
  /** What the learner should do, one imperative line ("Raise β to 4"); shown with the tick. */
  task?: string;
}

export interface Lesson {
  /** The link's name: #lesson=<id>&step=<n>. Lowercase words with hyphens. */
  id: string;
  title: string;
  /** One line that says what the learner will understand ("Why a VAE's latent space has no holes"). */
  promise: string;
  /** Settings the lesson starts from (the rest keep their defaults). */
  preset: Partial<Settings>;
  /** The panels open during the lesson, in the order they matter. */
  panels: PanelId[];
  /** The shipped trained model it can start from (an id in public/pretrained/manifest.json). */
  pretrained?: string;
  steps: LessonStep[];
}
