/**
 * The open lesson on the page: loads its text when the `lesson` setting names one (from the
 * course list or a link), applies its preset and panels once loaded, follows the learner from
 * step to step (the visit: settings and run step on arrival, signals counted since) and ticks
 * steps off as their conditions come to hold, keeping the progress in the browser.
 */
import { useEffect, useRef, useState } from 'react';
import {
  loadProgress,
  markDone,
  markSeen,
  saveProgress,
  type CourseProgress,
} from '../../state/lesson-progress';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import { lessonSettings } from './apply';
import { courseRow } from './course';
import type { Lesson, LessonContext } from './lesson';
import { onSignal } from './signals';
import { arrive, contextOf, countSignal, stepHolds, stepIndexOf, type StepVisit } from './ticks';

export interface LessonApi {
  /** The open lesson once its text has loaded, else null. */
  lesson: Lesson | null;
  /** The step on screen, 0-based. */
  index: number;
  /** What the step's condition and live formula read now (null with no lesson). */
  ctx: LessonContext | null;
  progress: CourseProgress;
  /** Opens a lesson from the course list, where the learner left it. */
  open: (id: string) => void;
  close: () => void;
  /** Goes to step `index` (0-based), kept inside the lesson. */
  go: (index: number) => void;
}

export function useLesson(
  settings: Settings,
  run: TrainingState,
  apply: (next: Settings) => void,
  notify: (text: string) => void,
): LessonApi {
  const [loaded, setLoaded] = useState<Lesson | null>(null);
  const [progress, setProgress] = useState<CourseProgress>(() => loadProgress());
  const [visit, setVisit] = useState<StepVisit | null>(null);
  const latest = useRef({ settings, apply, notify });
  useEffect(() => {
    latest.current = { settings, apply, notify };
  });
  /** Set when the learner picks a lesson from the list (its preset then starts from defaults). */
  const pickedFromList = useRef<string | null>(null);

  const wanted = settings.lesson;
  useEffect(() => {
    if (!wanted) return;
    const row = courseRow(wanted);
    if (!row) {
      const { settings: s, notify: say, apply: set } = latest.current;
      say(`There is no lesson "${wanted}"; the course lists the lessons there are.`);
      set({ ...s, lesson: '', lessonStep: 1 });
      return;
    }
    let alive = true;
    row.load().then(
      ({ default: lesson }) => {
        if (!alive) return;
        const fromList = pickedFromList.current === wanted;
        pickedFromList.current = null;
        const { settings: s, apply: set } = latest.current;
        set(lessonSettings(s, lesson, !fromList));
        setLoaded(lesson);
      },
      (err: unknown) => {
        if (alive) latest.current.notify(`The lesson could not load: ${(err as Error).message}`);
      },
    );
    return () => {
      alive = false;
    };
  }, [wanted]);

  const lesson = loaded && loaded.id === wanted ? loaded : null;
  const index = lesson ? stepIndexOf(lesson, settings.lessonStep) : 0;

  // Arriving at a step (a new lesson or another step) starts a new visit.
  if (lesson && (visit === null || visit.lessonId !== lesson.id || visit.index !== index))
    setVisit(arrive(lesson.id, index, settings, run));

  useEffect(() => onSignal((signal) => setVisit((v) => v && countSignal(v, signal))), []);

  const current = visit && lesson && visit.lessonId === lesson.id && visit.index === index;
  const ctx = current ? contextOf(visit, settings, run) : null;
  const step = lesson?.steps[index];
  if (lesson && ctx && step) {
    let next = markSeen(progress, lesson.id, index);
    if (stepHolds(step, ctx)) next = markDone(next, lesson.id, index);
    if (next !== progress) setProgress(next);
  }
  useEffect(() => saveProgress(progress), [progress]);

  return {
    lesson,
    index,
    ctx,
    progress,
    open: (id) => {
      pickedFromList.current = id;
      const last = progress[id]?.last ?? 0;
      apply({ ...settings, lesson: id, lessonStep: last + 1 });
    },
    close: () => apply({ ...settings, lesson: '', lessonStep: 1, present: false }),
    go: (i) => {
      if (!lesson) return;
      const to = Math.min(lesson.steps.length - 1, Math.max(0, i));
      if (to !== index) apply({ ...settings, lessonStep: to + 1 });
    },
  };
}
