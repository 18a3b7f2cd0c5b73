/**
 * The open lesson beside the live panels: its title, the trained-model offer, the steps (each a
 * button, ticked when done), the current step's text, live formula and task, and prev / next.
 */
import type { ReactNode } from 'react';
import type { LessonProgress } from '../../state/lesson-progress';
import { TexBlock } from '../tex/TexBlock';
import type { Lesson, LessonContext } from './lesson';
import { LessonText } from './LessonText';
import { liveTex } from './ticks';

export function LessonPanel({
  lesson,
  index,
  ctx,
  progress,
  onGo,
  onClose,
  onPretrained,
  onScratch,
  children,
}: {
  lesson: Lesson;
  index: number;
  ctx: LessonContext | null;
  progress: LessonProgress | undefined;
  onGo: (index: number) => void;
  onClose: () => void;
  onPretrained: (id: string) => void;
  onScratch: () => void;
  /** Extra tools under the step (the classroom link builder). */
  children?: ReactNode;
}) {
  const step = lesson.steps[index];
  const isDone = (i: number) => progress?.done.includes(i) ?? false;
  const live = step && ctx ? liveTex(step, ctx) : null;
  const last = lesson.steps.length - 1;
  return (
    <section className="lesson" aria-labelledby="lesson-h" data-testid="lesson">
      <div className="lesson-head">
        <h2 id="lesson-h">{lesson.title}</h2>
        <button type="button" className="lesson-close" onClick={onClose}>
          Close lesson
        </button>
      </div>
      {lesson.pretrained ? (
        <p className="lesson-start">
          <button
            type="button"
            data-testid="start-pretrained"
            onClick={() => onPretrained(lesson.pretrained ?? '')}
          >
            Start from a trained model
          </button>{' '}
          <button type="button" data-testid="train-scratch" onClick={onScratch}>
            Train from scratch
          </button>
        </p>
      ) : null}
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={i}>
            <button
              type="button"
              aria-current={i === index ? 'step' : undefined}
              onClick={() => onGo(i)}
            >
              <span className="lesson-tick" aria-hidden="true">
                {isDone(i) ? '✓' : i + 1}
              </span>{' '}
              {s.title}
              {isDone(i) ? <span className="visually-hidden"> (done)</span> : null}
            </button>
          </li>
        ))}
      </ol>
      {step ? (
        <div
          className="lesson-step"
          data-testid="lesson-step"
          data-step={index}
          data-done={String(isDone(index))}
        >
          <h3>
            Step {index + 1} of {lesson.steps.length}: {step.title}
          </h3>
          <LessonText text={step.text} />
          {live ? <TexBlock tex={live} text={live} testId="lesson-live" /> : null}
          {step.task ? (
            <p className="lesson-task" data-testid="lesson-task">
              <span className="lesson-task-mark" aria-hidden="true">
                {isDone(index) ? '✓' : '○'}
              </span>{' '}
              {step.task}
              <span className="visually-hidden">{isDone(index) ? ' (done)' : ' (to do)'}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="lesson-nav">
        <button
          type="button"
          data-testid="lesson-prev"
          disabled={index <= 0}
          onClick={() => onGo(index - 1)}
        >
          ← Previous
        </button>{' '}
        <button
          type="button"
          data-testid="lesson-next"
          disabled={index >= last}
          onClick={() => onGo(index + 1)}
        >
          Next →
        </button>
      </p>
      {children}
    </section>
  );
}
