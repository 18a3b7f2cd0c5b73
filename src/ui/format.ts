/** Number formatting for the status line and captions. */

export function nats(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1);
}

/** As nats(), with a typographic minus (screen readers say "minus"); a rounded −0.0 is 0.0. */
export function signedNats(v: number | undefined): string {
  const s = nats(v);
  return s === '-0.0' ? '0.0' : s.replace('-', '−');
}

export function count(v: number): string {
  return Math.round(v).toLocaleString('en');
}
