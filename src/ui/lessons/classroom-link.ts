/** The link a lecturer hands out: a lesson at a step, presenter mode or not, some controls hidden. */
import { defaultSettings, HIDE_GROUPS, settingsToHash } from '../../state/settings';

export interface ClassroomChoice {
  lesson: string;
  /** 1-based, as in the link. */
  step: number;
  present: boolean;
  hide: readonly string[];
}

/** What each control group a link may hide is called on the page. */
export const HIDE_LABELS: Record<(typeof HIDE_GROUPS)[number], string> = {
  options: 'Model options',
  dataset: 'Dataset',
  files: 'Run files (import / export)',
  runs: 'Saved runs',
  benchmark: 'Device benchmark',
};

/**
 * `base` (the page's address without its hash) with the choice as its hash. Only the lesson's
 * settings go in: the lesson's preset sets the model up, and the backend is each device's own.
 */
export function classroomLink(base: string, choice: ClassroomChoice): string {
  const settings = {
    ...defaultSettings(),
    lesson: choice.lesson,
    lessonStep: Math.max(1, Math.round(choice.step)),
    present: choice.present,
    hide: HIDE_GROUPS.filter((g) => choice.hide.includes(g)).join(','),
  };
  return base + settingsToHash(settings);
}
