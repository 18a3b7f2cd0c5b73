/** The course: every lesson in order with its promise and a tick per step done. */
import type { CourseProgress } from '../../state/lesson-progress';
import { COURSE } from './course';

export function CourseList({
  progress,
  openId,
  onOpen,
}: {
  progress: CourseProgress;
  openId: string;
  onOpen: (id: string) => void;
}) {
  return (
    <nav className="course" aria-labelledby="course-h">
      <h2 id="course-h">Course</h2>
      <ol className="lesson-list" data-testid="lesson-list">
        {COURSE.map((row) => {
          const done = progress[row.id]?.done.length ?? 0;
          return (
            <li key={row.id}>
              <button
                type="button"
                className="lesson-entry"
                data-testid={`lesson-${row.id}`}
                aria-current={row.id === openId ? 'true' : undefined}
                onClick={() => onOpen(row.id)}
              >
                <span className="lesson-title">{row.title}</span>
                <span className="lesson-promise">{row.promise}</span>
                {done > 0 ? (
                  <span className="lesson-ticks">
                    <span aria-hidden="true">✓</span> {done} {done === 1 ? 'step' : 'steps'} done
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
