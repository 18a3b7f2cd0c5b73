/**
 * Colour-blind-safe colours. Digits use Paul Tol's "muted" qualitative scheme (its pale grey
 * swapped for a dark grey so it reads on white); loss terms use Okabe & Ito's palette.
 */
export const DIGIT_COLOURS = [
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
  '#AA4499',
  '#555555',
] as const;

/** Okabe & Ito, in the order terms without a fixed colour take them. */
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#CC79A7', '#F0E442', '#0072B2', '#D55E00'];

const TERM_COLOURS: Record<string, string> = {
  negElbo: '#000000',
  recon: '#0072B2',
  kl: '#D55E00',
};

/** The colour of a loss term: fixed for the common ones, else the i-th Okabe–Ito colour. */
export function termColour(key: string, i: number): string {
  return TERM_COLOURS[key] ?? OKABE_ITO[i % OKABE_ITO.length]!;
}
