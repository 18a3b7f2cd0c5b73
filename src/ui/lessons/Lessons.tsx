/**
 * The lessons on the page: the course list, or the open lesson with its classroom link builder;
 * the highlight, presenter mode, hidden control groups and the keyboard shortcuts.
 */
import { useState } from 'react';
import { PANEL_IDS } from '../../contracts/panels';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import { useShortcuts, type Shortcut } from '../keyboard';
import type { TrainingActions } from '../use-training-session';
import { CourseList } from './CourseList';
import { LessonPanel } from './LessonPanel';
import { LinkBuilder } from './LinkBuilder';
import { usePageMode, useHighlight } from './page-marks';
import { ShortcutsDialog } from './ShortcutsDialog';
import { sendSignal } from './signals';
import { useLesson } from './use-lesson';
import './lessons.css';

export function Lessons({
  settings,
  state,
  actions,
  apply,
  loadPretrained,
}: {
  settings: Settings;
  state: TrainingState;
  actions: TrainingActions;
  /** Applies several settings at once (the run follows: reset, live change or nothing). */
  apply: (next: Settings) => void;
  /** Opens a shipped trained model, its settings in the controls (App's loader). */
  loadPretrained: (id: string) => void;
}) {
  const [help, setHelp] = useState(false);
  const api = useLesson(settings, state, apply, (text) => actions.addNotice('warning', text));
  const { lesson, index } = api;
  const step = lesson?.steps[index];
  useHighlight(step?.highlight);
  usePageMode(
    settings.present,
    lesson ? (step?.panels ?? lesson.panels) : PANEL_IDS,
    settings.hide,
  );

  const ready = state.phase === 'ready';
  useShortcuts((shortcut: Shortcut) => {
    if (help) return false; // the dialog has the keyboard (Escape closes it)
    switch (shortcut) {
      case 'toggle':
        if (!ready) return false;
        if (state.playing) actions.pause();
        else actions.play();
        return true;
      case 'step':
        if (!ready || state.running) return false;
        sendSignal('step-pressed');
        actions.step(1);
        return true;
      case 'reset':
        if (!ready) return false;
        actions.reset(settings);
        return true;
      case 'present':
        apply({ ...settings, present: !settings.present });
        return true;
      case 'escape':
        if (!settings.present) return false;
        apply({ ...settings, present: false });
        return true;
      case 'prev':
      case 'next':
        if (!lesson) return false;
        api.go(index + (shortcut === 'next' ? 1 : -1));
        return true;
      case 'help':
        setHelp(true);
        return true;
    }
  });

  return (
    <div className="lessons">
      {lesson ? (
        <LessonPanel
          lesson={lesson}
          index={index}
          ctx={api.ctx}
          progress={api.progress[lesson.id]}
          onGo={api.go}
          onClose={api.close}
          onPretrained={loadPretrained}
          onScratch={() => actions.reset(settings)}
        >
          <LinkBuilder
            key={lesson.id}
            lesson={lesson.id}
            step={index + 1}
            steps={lesson.steps.length}
          />
        </LessonPanel>
      ) : (
        <CourseList progress={api.progress} openId={settings.lesson} onOpen={api.open} />
      )}
      <p className="shortcuts-hint">
        <button type="button" className="link-like" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </p>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
