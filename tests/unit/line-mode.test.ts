import { expect, it } from 'vitest';
import { lineMode, MAX_MARKED_POINTS } from '../../src/ui/plots/line-mode';

it('marks the points of short curves only', () => {
  expect(lineMode(0)).toBe('lines+markers');
  expect(lineMode(MAX_MARKED_POINTS)).toBe('lines+markers');
  expect(lineMode(MAX_MARKED_POINTS + 1)).toBe('lines');
  expect(lineMode(1000)).toBe('lines');
});
