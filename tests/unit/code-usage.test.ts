import { describe, expect, it } from 'vitest';
import { codeRowsText, restartMarks, usageByCount, usageSummary } from '../../src/ui/code-usage';

describe('usageByCount', () => {
  it('sorts codes by count, most used first, ties by index', () => {
    expect(usageByCount([3, 0, 7, 3, 1])).toEqual([
      { code: 2, count: 7 },
      { code: 0, count: 3 },
      { code: 3, count: 3 },
      { code: 4, count: 1 },
      { code: 1, count: 0 },
    ]);
  });

  it('keeps every code and does not change the input', () => {
    const counts = Int32Array.from([0, 5, 0, 5]);
    const sorted = usageByCount(counts);
    expect(sorted.map((c) => c.code)).toEqual([1, 3, 0, 2]);
    expect(Array.from(counts)).toEqual([0, 5, 0, 5]);
  });
});

describe('usageSummary', () => {
  it('names the used codes, the most used ones with shares, and the unused count', () => {
    expect(usageSummary([0, 30, 10, 60], 2)).toBe(
      '3 of 4 codes used by 100 positions of the test digits; most used: code 3 (60, 60.0 %), ' +
        'code 1 (30, 30.0 %); 1 never chosen.',
    );
  });

  it('says when nothing has been assigned', () => {
    expect(usageSummary([0, 0, 0])).toBe('No code assignments yet (3 codes).');
  });
});

describe('restartMarks', () => {
  it('keeps only dead-code restarts, with their steps', () => {
    const marks = restartMarks([
      {
        step: 200,
        text: 'step 200: restarted 3 dead codes (1, 4, 9) from current encoder outputs',
      },
      { step: 300, text: 'something else' },
      { step: 400, text: 'step 400: restarted 1 dead code (4) from current encoder outputs' },
    ]);
    expect(marks.steps).toEqual([200, 400]);
    expect(marks.texts[1]).toMatch(/restarted 1 dead code/);
  });
});

describe('codeRowsText', () => {
  it('lists a row-major grid row by row', () => {
    expect(codeRowsText([1, 2, 3, 4, 5, 6], 2, 3)).toBe('row 1: 1, 2, 3; row 2: 4, 5, 6');
  });
});
