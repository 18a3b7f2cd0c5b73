/**
 * The values a setting takes (a row's `domain` in contracts/settings.ts): how they read from
 * text, and how they are described in messages and in the CLI's --help.
 */

/** The values a setting takes, and how the page offers them. */
export type Domain =
  /** A number in [min, max]; the page offers `choices` in a select, else a number box. */
  | {
      kind: 'integer' | 'real';
      min: number;
      max: number;
      /** Step of the page's number box. */
      step?: number;
      /** Values the page's select offers (a link may name any value in range). */
      choices?: readonly number[];
    }
  /** One of a few names; `text` is what the page's select shows for each. */
  | { kind: 'option'; options: readonly string[]; text?: (v: string) => string }
  /** On or off: a checkbox. */
  | { kind: 'flag' };

/** A value's range or options in words, e.g. "a whole number from 2 to 64". */
export function domainText(d: Domain): string {
  switch (d.kind) {
    case 'integer':
      return `a whole number from ${d.min} to ${d.max}`;
    case 'real':
      return `a number from ${d.min} to ${d.max}`;
    case 'option':
      return `one of ${d.options.join(', ')}`;
    case 'flag':
      return 'true or false';
  }
}

/** Reads a value of `d` from text (URL, CLI), or says what a valid value looks like. */
export function parseDomainValue(
  d: Domain,
  raw: string,
): { value: number | string | boolean } | { error: string } {
  const error = { error: `expected ${domainText(d)}` };
  switch (d.kind) {
    case 'integer':
    case 'real': {
      const v = Number(raw);
      const ok =
        raw.trim() !== '' &&
        Number.isFinite(v) &&
        v >= d.min &&
        v <= d.max &&
        (d.kind === 'real' || Number.isInteger(v));
      return ok ? { value: v } : error;
    }
    case 'option':
      return d.options.includes(raw) ? { value: raw } : error;
    case 'flag':
      if (raw === 'true' || raw === '1' || raw === 'on') return { value: true };
      if (raw === 'false' || raw === '0' || raw === 'off') return { value: false };
      return error;
  }
}

type NumberExtras = { step?: number; choices?: number[] };

/** Shorthands for the settings table's domains (contracts/settings.ts and settings-models.ts). */
export const int = (min: number, max: number, more: NumberExtras = {}) =>
  ({ kind: 'integer', min, max, ...more }) as const;
export const real = (min: number, max: number, more: NumberExtras = {}) =>
  ({ kind: 'real', min, max, ...more }) as const;
export const option = (options: readonly string[]) => ({ kind: 'option', options }) as const;
export const FLAG = { kind: 'flag' } as const;
