import { describe, expect, it } from 'vitest';
import { gumbelTable, type GumbelAnswer } from '../../src/ui/gumbel-rows';

/** A worker-like answer computed here from first principles (softmax over all K codes). */
function answer(logits: number[], g: number[], tau: number, top: number): GumbelAnswer {
  const max = Math.max(...logits);
  const z = logits.reduce((s, l) => s + Math.exp(l - max), 0);
  const logPi = logits.map((l) => l - max - Math.log(z));
  const scores = logPi.map((lp, k) => (lp + g[k]!) / tau);
  const smax = Math.max(...scores);
  const sz = scores.reduce((s, v) => s + Math.exp(v - smax), 0);
  const soft = scores.map((v) => Math.exp(v - smax) / sz);
  const order = logits.map((_, k) => k).sort((a, b) => logPi[b]! - logPi[a]!);
  const hard = scores.indexOf(smax);
  return {
    kind: 'gumbel',
    tau,
    rows: order.slice(0, top).map((k) => ({
      code: k,
      prob: Math.exp(logPi[k]!),
      logit: logits[k]!,
      gumbel: g[k]!,
      soft: soft[k]!,
    })),
    hard,
    codebookSize: logits.length,
    positions: 49,
  };
}

describe('gumbelTable', () => {
  it('adds log π + g, whose argmax among the rows is the hard sample', () => {
    const a = answer([2, 1, 0.5, -1, -3], [0.1, 1.5, -0.2, 0.3, 0.0], 0.5, 3);
    const t = gumbelTable(a);
    expect(t.rows.map((r) => r.code)).toEqual([0, 1, 2]);
    expect(a.hard).toBe(1);
    expect(t.hardShown).toBe(true);
    expect(t.rows.map((r) => r.hard)).toEqual([0, 1, 0]);
    const best = t.rows.reduce((x, y) => (y.perturbed > x.perturbed ? y : x));
    expect(best.code).toBe(a.hard);
    // The soft sample at τ is softmax of (log π + g)/τ: ratios follow from the perturbed scores.
    const [r0, r1] = t.rows;
    expect(Math.log(r1!.soft / r0!.soft)).toBeCloseTo((r1!.perturbed - r0!.perturbed) / 0.5, 9);
  });

  it('sums π and y over the rows shown and flags a hard sample outside them', () => {
    const a = answer([3, 2, 1, 0], [0, 0, 0, 5], 1, 2);
    const t = gumbelTable(a);
    expect(a.hard).toBe(3);
    expect(t.hardShown).toBe(false);
    expect(t.rows.every((r) => r.hard === 0)).toBe(true);
    expect(t.probShown).toBeCloseTo(a.rows[0]!.prob + a.rows[1]!.prob, 12);
    expect(t.softShown).toBeLessThan(1);
  });
});
