// Lesson progress in the browser's storage: what it keeps, and that bad stored data reads as no
// progress instead of crashing the page.
import { describe, expect, it } from 'vitest';
import {
  loadProgress,
  markDone,
  markSeen,
  parseProgress,
  PROGRESS_KEY,
  saveProgress,
} from '../../src/state/lesson-progress';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

describe('lesson progress', () => {
  it('marks steps done (sorted, once) and the last step seen', () => {
    let p = markDone({}, 'vae-elbo', 2);
    p = markDone(p, 'vae-elbo', 0);
    expect(markDone(p, 'vae-elbo', 2)).toBe(p); // already done: the same object
    p = markSeen(p, 'vae-elbo', 3);
    expect(markSeen(p, 'vae-elbo', 3)).toBe(p);
    p = markSeen(p, 'vq-vae', 1);
    expect(p).toEqual({ 'vae-elbo': { done: [0, 2], last: 3 }, 'vq-vae': { done: [], last: 1 } });
  });

  it('round-trips through storage', () => {
    const storage = memoryStorage();
    const p = markSeen(markDone({}, 'interpolation', 1), 'interpolation', 4);
    saveProgress(p, storage);
    expect(storage.data.has(PROGRESS_KEY)).toBe(true);
    expect(loadProgress(storage)).toEqual(p);
  });

  it('ignores bad stored data', () => {
    for (const raw of [
      'not json',
      '[]',
      'null',
      '42',
      '"x"',
      '{"a":1}',
      '{"a":{"done":"x","last":0}}',
    ])
      expect(parseProgress(raw), raw).toEqual({});
    expect(parseProgress(null)).toEqual({});
    // A good lesson beside a bad one keeps the good one; bad indices are dropped.
    expect(
      parseProgress(
        JSON.stringify({
          good: { done: [3, 1, 1, -1, 2.5, 'x'], last: 2 },
          bad: { done: [], last: -4 },
        }),
      ),
    ).toEqual({ good: { done: [1, 3], last: 2 } });
  });

  it('survives a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadProgress(throwing)).toEqual({});
    expect(() => saveProgress({ a: { done: [0], last: 0 } }, throwing)).not.toThrow();
    expect(loadProgress(null)).toEqual({});
  });
});
