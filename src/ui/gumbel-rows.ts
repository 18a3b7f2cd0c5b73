/**
 * Rows of the Gumbel-softmax table, from the worker's answer: for the most probable codes c of
 * q(c | x) at one position, π_c, its logit, one Gumbel draw g_c, the perturbed score log π_c + g_c
 * whose argmax over all K codes is the hard sample, and the relaxed sample
 * y_c = softmax((log π + g)/τ)_c.
 */
import type { InspectAnswer } from '../contracts/inspect';

export type GumbelAnswer = Extract<InspectAnswer, { kind: 'gumbel' }>;

export interface GumbelRow {
  code: number;
  prob: number;
  logit: number;
  gumbel: number;
  /** log π_c + g_c. */
  perturbed: number;
  soft: number;
  /** 1 for the hard (Gumbel-max) sample, else 0. */
  hard: 0 | 1;
}

export interface GumbelTable {
  rows: GumbelRow[];
  /** The hard sample, and whether it is one of the rows shown. */
  hard: number;
  hardShown: boolean;
  /** Σ π and Σ y over the rows shown (the rest belongs to the other K − rows codes). */
  probShown: number;
  softShown: number;
}

export function gumbelTable(a: GumbelAnswer): GumbelTable {
  const rows = a.rows.map((r) => ({
    code: r.code,
    prob: r.prob,
    logit: r.logit,
    gumbel: r.gumbel,
    perturbed: Math.log(r.prob) + r.gumbel,
    soft: r.soft,
    hard: r.code === a.hard ? (1 as const) : (0 as const),
  }));
  return {
    rows,
    hard: a.hard,
    hardShown: rows.some((r) => r.hard === 1),
    probShown: rows.reduce((s, r) => s + r.prob, 0),
    softShown: rows.reduce((s, r) => s + r.soft, 0),
  };
}
