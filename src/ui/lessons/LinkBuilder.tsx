/**
 * The classroom link builder (as TensorFlow Playground's): pick the lesson, the step, presenter
 * mode and which control groups to hide; the link shows in a read-only field and copies.
 */
import { useId, useState } from 'react';
import { HIDE_GROUPS } from '../../state/settings';
import { classroomLink, HIDE_LABELS } from './classroom-link';
import { COURSE } from './course';

export function LinkBuilder({
  lesson,
  step,
  steps,
}: {
  lesson: string;
  step: number;
  steps: number;
}) {
  const id = useId();
  const [chosen, setChosen] = useState(lesson);
  /** null: follow the step on screen (of the open lesson), until a step is typed. */
  const [picked, setAt] = useState<number | null>(null);
  const at = picked ?? (chosen === lesson ? step : 1);
  const [present, setPresent] = useState(false);
  const [hide, setHide] = useState<string[]>([]);
  const [copied, setCopied] = useState('');
  const max = chosen === lesson ? steps : 99;
  const base = window.location.origin + window.location.pathname + window.location.search;
  const link = classroomLink(base, { lesson: chosen, step: Math.min(at, max), present, hide });
  const copy = () => {
    const done = navigator.clipboard?.writeText(link);
    if (!done) return setCopied('Copying is not allowed here: select the link and copy it.');
    done.then(
      () => setCopied('Link copied.'),
      () => setCopied('Copying is not allowed here: select the link and copy it.'),
    );
  };
  return (
    <details className="link-builder" data-testid="link-builder">
      <summary>Classroom link</summary>
      <div className="link-builder-fields">
        <label htmlFor={`${id}-lesson`}>Lesson</label>
        <select
          id={`${id}-lesson`}
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            setAt(null);
          }}
        >
          {COURSE.map((row) => (
            <option key={row.id} value={row.id}>
              {row.title}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-step`}>Step</label>
        <input
          id={`${id}-step`}
          type="number"
          min={1}
          max={max}
          value={at}
          onChange={(e) => setAt(Math.max(1, Number(e.target.value) || 1))}
        />
        <label className="check">
          <input type="checkbox" checked={present} onChange={(e) => setPresent(e.target.checked)} />{' '}
          Open in presenter mode
        </label>
        <fieldset>
          <legend>Hide these controls</legend>
          {HIDE_GROUPS.map((g) => (
            <label key={g} className="check">
              <input
                type="checkbox"
                checked={hide.includes(g)}
                onChange={(e) =>
                  setHide((h) => (e.target.checked ? [...h, g] : h.filter((x) => x !== g)))
                }
              />{' '}
              {HIDE_LABELS[g]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-link`}>Link</label>
        <input
          id={`${id}-link`}
          data-testid="classroom-link"
          readOnly
          value={link}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" data-testid="copy-link" onClick={copy}>
          Copy link
        </button>
        <span role="status">{copied}</span>
      </div>
    </details>
  );
}
