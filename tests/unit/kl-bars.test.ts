import { describe, expect, it } from 'vitest';
import { klBars, klSummary, nearZeroKl } from '../../src/ui/kl-bars';

const KL = [0.5, 0.001, 2.25, 0.5, 0];

describe('klBars', () => {
  it('keeps dimension order by index, labelled z1 … zD', () => {
    expect(klBars(KL, 'index')).toEqual({
      dims: [0, 1, 2, 3, 4],
      labels: ['z1', 'z2', 'z3', 'z4', 'z5'],
      values: KL,
    });
  });

  it('sorts largest KL first, ties by index', () => {
    const bars = klBars(KL, 'sorted');
    expect(bars.dims).toEqual([2, 0, 3, 1, 4]);
    expect(bars.labels).toEqual(['z3', 'z1', 'z4', 'z2', 'z5']);
    expect(bars.values).toEqual([2.25, 0.5, 0.5, 0.001, 0]);
  });
});

describe('klSummary', () => {
  it('gives the total, the largest dimensions and how many are about zero', () => {
    expect(nearZeroKl(KL)).toBe(2);
    expect(klSummary(KL, 2)).toBe(
      'KL per dimension, nats per image: total 3.3 over 5 dimensions; largest z3 2.25, z1 0.50; ' +
        '2 of 5 below 0.01 nats.',
    );
  });
});
