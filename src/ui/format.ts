/** Number formatting for the status line and captions. */

export function nats(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1);
}

export function count(v: number): string {
  return Math.round(v).toLocaleString('en');
}
