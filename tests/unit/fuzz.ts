// A small seeded fuzzer for the parsers of user files: mutations of valid inputs (bit flips,
// interesting bytes and words, truncation, extension, random headers, spliced ranges; for JSON,
// changed, deleted and added fields), and a runner that demands one of two outcomes from every
// input: a result that passes the target's own check, or an Error whose message says what is
// wrong (naming the file where the parser is given a name), never an engine error from deep
// inside (TypeError, RangeError …), a non-Error, an empty message, or a hang.
import { mulberry32, type Rng } from '../../src/core/rng';

export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rng, 256);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x0d, 0x2c, 0x22, 0x2e, 0x30, 0x39];
const INTERESTING_WORDS = [0, 1, 2, 3, 4, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

type ByteMutation = (b: Uint8Array, rng: Rng) => Uint8Array;

/** Named so that a failure can say how its input was made. */
const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  flipBits: (b, rng) => {
    const out = b.slice();
    if (out.length === 0) return out;
    for (let i = 1 + int(rng, 8); i > 0; i--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
    return out;
  },
  interestingByte: (b, rng) => {
    const out = b.slice();
    if (out.length > 0) out[int(rng, out.length)] = pick(rng, INTERESTING_BYTES);
    return out;
  },
  interestingWord: (b, rng) => {
    const out = b.slice();
    if (out.length < 4) return out;
    // Header fields sit near the start: aim there half of the time.
    const at = rng() < 0.5 ? 4 * int(rng, Math.min(8, out.length >> 2)) : int(rng, out.length - 3);
    const words = [...INTERESTING_WORDS, out.length, out.length - 1, out.length + 1];
    new DataView(out.buffer).setUint32(at, pick(rng, words) >>> 0, rng() < 0.5);
    return out;
  },
  truncate: (b, rng) => b.slice(0, int(rng, b.length + 1)),
  extend: (b, rng) =>
    rng() < 0.5 ? concat(b, randomBytes(rng, 1 + int(rng, 256))) : concat(b, b.slice(-64)),
  randomHeader: (b, rng) => {
    const header = randomBytes(rng, 1 + int(rng, 32));
    return concat(header, b.slice(Math.min(header.length, b.length)));
  },
  deleteRange: (b, rng) => {
    const a = int(rng, b.length + 1);
    const e = Math.min(b.length, a + 1 + int(rng, 64));
    return concat(b.slice(0, a), b.slice(e));
  },
  duplicateRange: (b, rng) => {
    const a = int(rng, b.length + 1);
    const e = Math.min(b.length, a + 1 + int(rng, 64));
    return concat(b.slice(0, e), b.slice(a, e), b.slice(e));
  },
  replaceAll: (_b, rng) => randomBytes(rng, int(rng, 96)),
};
const BYTE_MUTATION_NAMES = Object.keys(BYTE_MUTATIONS);

/** One to three byte mutations of `seed`; the result is at most `maxLength` bytes. */
export function mutateBytes(
  seed: Uint8Array,
  rng: Rng,
  maxLength = 1 << 16,
): { bytes: Uint8Array; how: string } {
  // A plain copy: a Node Buffer's slice() is a view, and the seed must stay as it was.
  let bytes: Uint8Array = new Uint8Array(seed);
  const how: string[] = [];
  for (let i = 1 + int(rng, 3); i > 0; i--) {
    const name = pick(rng, BYTE_MUTATION_NAMES);
    bytes = BYTE_MUTATIONS[name]!(bytes, rng);
    how.push(name);
  }
  return { bytes: bytes.slice(0, maxLength), how: how.join('+') };
}

const RANDOM_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31,
  2 ** 53,
  1e308,
  -1e308,
  1e-300,
  '',
  'x',
  'w0',
  'float32',
  'int32',
  'vae',
  '1',
  [],
  [0],
  [-1],
  [1, 2],
  [1e9, 1e9],
  {},
  { name: 'w0', shape: [1], dtype: 'float32' },
];
/** Keys that collide with Object.prototype, or mean something to TF.js weight specs. */
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'quantization',
  'group',
  'dtype',
  'shape',
  'name',
  'model',
  'latentDim',
];

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      slots(v, out);
    }
  }
  return out;
}

/** A JSON value changed in one to three places: a field replaced, deleted, added or grown. */
export function mutateJson(seed: unknown, rng: Rng): { value: unknown; how: string } {
  const root = { v: JSON.parse(JSON.stringify(seed)) as unknown };
  const how: string[] = [];
  for (let i = 1 + int(rng, 3); i > 0; i--) {
    const all = slots(root);
    const { parent, key } = pick(rng, all);
    const current = (parent as Record<string | number, unknown>)[key];
    const r = rng();
    if (r < 0.45) {
      (parent as Record<string | number, unknown>)[key] = structuredClone(pick(rng, RANDOM_VALUES));
      how.push(`set ${String(key)}`);
    } else if (r < 0.6 && !Array.isArray(parent) && parent !== root) {
      delete (parent as Record<string, unknown>)[key as string];
      how.push(`delete ${String(key)}`);
    } else if (r < 0.75 && current !== null && typeof current === 'object') {
      if (Array.isArray(current)) {
        current.push(
          structuredClone(current.length ? pick(rng, current) : pick(rng, RANDOM_VALUES)),
        );
      } else {
        // As JSON.parse makes it: an own property, even for "__proto__".
        Object.defineProperty(current, pick(rng, ODD_KEYS), {
          value: structuredClone(pick(rng, RANDOM_VALUES)),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      how.push(`grow ${String(key)}`);
    } else if (typeof current === 'number') {
      const v = pick(rng, [current + 1, current - 1, -current, current * 1e6, current / 3, 0]);
      (parent as Record<string | number, unknown>)[key] = v;
      how.push(`nudge ${String(key)}`);
    } else {
      (parent as Record<string | number, unknown>)[key] = JSON.parse(
        JSON.stringify(pick(rng, all).parent),
      );
      how.push(`swap ${String(key)}`);
    }
  }
  // Through JSON text and back: exactly what a file could hold.
  return { value: JSON.parse(JSON.stringify(root.v)), how: how.join(', ') };
}

/** Error classes the engine throws on its own; a parser throwing these must name the file. */
const ENGINE_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
/** Engine wording that must not reach a user bare (it may appear in parentheses after ours). */
const ENGINE_WORDING =
  /^(Cannot read propert|Cannot set propert|.* is not a function|.* is not iterable|Invalid (typed )?array length|Offset is outside|Start offset|Maximum call stack|Array buffer allocation failed|Unexpected (token|end)|.* is not defined)/;

/** Why `err` is not a helpful refusal, or null when it is. */
export function unhelpful(err: unknown, names: string | null): string | null {
  if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
  const message = typeof err.message === 'string' ? err.message.trim() : '';
  if (message.length < 8) return `${err.name} with an empty or terse message "${message}"`;
  if (names !== null && !message.includes(names))
    return `${err.name} does not name ${names}: ${message}`;
  if (names === null && ENGINE_ERRORS.some((c) => err.constructor === c))
    return `${err.name} from deep inside: ${message}`;
  if (ENGINE_WORDING.test(message.replace(names ? `${names}: ` : '', '')))
    return `engine wording: ${message}`;
  return null;
}

export interface FuzzTarget<I> {
  name: string;
  /** Valid inputs the mutations start from. */
  seeds: readonly I[];
  mutate: (seed: I, rng: Rng) => { input: I; how: string };
  /** Parses one input: returns a result, or throws an Error that says what is wrong. */
  parse: (input: I) => unknown;
  /** What every refusal must mention (the file name the parser is given), if anything. */
  names: string | null;
  /** Invariants of an accepted input's result: a problem, or null. */
  check?: (result: unknown, input: I) => string | null;
  /** Invariants after every input, accepted or refused (e.g. no tensor left behind). */
  after?: () => string | null;
}

export interface FuzzReport {
  accepted: number;
  refused: number;
  /** How many inputs broke the contract; the first ten are described in `failures`. */
  failed: number;
  failures: string[];
  slowestMs: number;
  /** The distinct refusal messages, first words only: what the parser says, for the log. */
  messages: Set<string>;
}

/** Longest one parse may take; the inputs are at most 64 KB, so more is a hang, not slowness. */
export const PARSE_LIMIT_MS = 2000;

function timeout(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`no answer within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
class HangError extends Error {}

/**
 * Runs `iterations` mutated inputs through the target (RNG seeded by `seed`, so a failure
 * reproduces). Async parsers are raced against PARSE_LIMIT_MS; a synchronous one cannot be
 * interrupted, so its time is measured and the test's own timeout bounds a true endless loop.
 */
export async function fuzz<I>(target: FuzzTarget<I>, iterations: number, seed: number) {
  const rng = mulberry32(seed);
  const report: FuzzReport = {
    accepted: 0,
    refused: 0,
    failed: 0,
    failures: [],
    slowestMs: 0,
    messages: new Set(),
  };
  for (let i = 0; i < iterations; i++) {
    const s = int(rng, target.seeds.length);
    const { input, how } = target.mutate(target.seeds[s]!, rng);
    const where = `${target.name} #${i} (seed input ${s}, ${how})`;
    const started = performance.now();
    let problem: string | null = null;
    try {
      const out = target.parse(input);
      let result = out;
      if (out instanceof Promise) {
        const limit = timeout(PARSE_LIMIT_MS);
        try {
          result = await Promise.race([out, limit.promise]);
        } finally {
          limit.cancel();
        }
      }
      report.accepted++;
      problem = target.check?.(result, input) ?? null;
    } catch (err) {
      report.refused++;
      problem = err instanceof HangError ? `hang: ${err.message}` : unhelpful(err, target.names);
      if (!problem) report.messages.add((err as Error).message.split(/[\d(]/)[0]!.slice(0, 60));
    }
    problem ??= target.after?.() ?? null;
    const ms = performance.now() - started;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (!problem && ms > PARSE_LIMIT_MS) problem = `took ${ms.toFixed(0)} ms`;
    if (problem && ++report.failed <= 10) report.failures.push(`${where}: ${problem}`);
  }
  return report;
}
