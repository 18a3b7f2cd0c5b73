import { describe, expect, it } from 'vitest';
import { openingDigits } from '../../src/ui/panels/opening-digits';

const labelsOf = (ls: Uint8Array, idx: readonly number[]) => idx.map((i) => ls[i]);

describe('openingDigits', () => {
  it('opens the path on a 1 and a 7 and the grid on four different digits', () => {
    const labels = Uint8Array.from([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5]);
    const { path, corners } = openingDigits(labels, labels.length);
    expect(labelsOf(labels, path)).toEqual([1, 7]);
    expect(path).toEqual([2, 0]);
    expect(new Set(labelsOf(labels, corners)).size).toBe(4);
  });

  it('falls back to other distinct digits when the preferred ones are missing', () => {
    const labels = Uint8Array.from([3, 3, 5, 5, 6, 2]);
    const { path, corners } = openingDigits(labels, labels.length);
    const [a, b] = labelsOf(labels, path);
    expect(a).not.toBe(b);
    expect(new Set(labelsOf(labels, corners)).size).toBe(4);
  });

  it('uses only the probes the page has', () => {
    const labels = Uint8Array.from([4, 4, 9, 1, 7]);
    const { path } = openingDigits(labels, 3);
    expect(path.every((i) => i < 3)).toBe(true);
    expect(labels[path[0]]).not.toBe(labels[path[1]]);
  });

  it('picks distinct probes when there are no labels, and index 0 when there are no probes', () => {
    expect(new Set(openingDigits(null, 8).corners).size).toBe(4);
    expect(openingDigits(null, 0)).toEqual({ path: [0, 0], corners: [0, 0, 0, 0] });
  });
});
