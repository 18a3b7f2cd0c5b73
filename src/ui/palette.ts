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

export const TERM_COLOURS = {
  recon: '#0072B2',
  kl: '#D55E00',
  negElbo: '#000000',
} as const;
