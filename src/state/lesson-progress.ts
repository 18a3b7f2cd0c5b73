/**
 * The learner's progress through the course, kept in the browser (localStorage): for each lesson
 * the steps done (0-based indices) and the last step seen. Stored data that is not what this
 * module wrote (another version, a hand edit, a full or blocked storage) reads as no progress.
 */

export interface LessonProgress {
  /** Steps done, 0-based, ascending. */
  done: number[];
  /** The last step seen, 0-based. */
  last: number;
}

export type CourseProgress = Record<string, LessonProgress>;

export const PROGRESS_KEY = 'latent-lab.lesson-progress.v1';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

const isStep = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1000;

/** Reads stored progress; anything malformed is dropped (per lesson, or all of it). */
export function parseProgress(raw: string | null): CourseProgress {
  if (!raw) return {};
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  const out: CourseProgress = {};
  for (const [id, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const { done, last } = value as { done?: unknown; last?: unknown };
    if (!Array.isArray(done) || !isStep(last)) continue;
    out[id] = { done: [...new Set(done.filter(isStep))].sort((a, b) => a - b), last };
  }
  return out;
}

function pageStorage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked (e.g. a sandboxed frame)
  }
}

export function loadProgress(storage: Store | null = pageStorage()): CourseProgress {
  try {
    return parseProgress(storage?.getItem(PROGRESS_KEY) ?? null);
  } catch {
    return {};
  }
}

/** Stores `progress`; a full or blocked storage is ignored (progress is a convenience). */
export function saveProgress(
  progress: CourseProgress,
  storage: Store | null = pageStorage(),
): void {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // ignored: see above
  }
}

const EMPTY: LessonProgress = { done: [], last: 0 };

/** `progress` with step `index` of lesson `id` done (the same object when it already was). */
export function markDone(progress: CourseProgress, id: string, index: number): CourseProgress {
  const now = progress[id] ?? EMPTY;
  if (now.done.includes(index)) return progress;
  return {
    ...progress,
    [id]: { ...now, done: [...now.done, index].sort((a, b) => a - b) },
  };
}

/** `progress` with step `index` the last seen of lesson `id` (the same object when it was). */
export function markSeen(progress: CourseProgress, id: string, index: number): CourseProgress {
  const now = progress[id];
  if (now?.last === index) return progress;
  return { ...progress, [id]: { ...(now ?? EMPTY), last: index } };
}
