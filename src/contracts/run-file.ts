/**
 * A whole run as plain data, and as one file. No TF.js here: the page reads and writes these
 * files, the worker (src/train/run-state.ts) turns snapshots into tensors and back.
 *
 * A run = weights (TF.js weight format, exactly as a CLI checkpoint stores them) + the state
 * that lets training continue exactly (Adam's moments and iteration count, the model's own
 * statistics, the step, the shuffle order and RNG) + the page's history (curves, events).
 *
 * File layout (`*.latentlab`, little-endian):
 *   bytes 0–11   "LATENTLABRUN"
 *   bytes 12–15  container version (uint32)
 *   bytes 16–19  header length H (uint32)
 *   H bytes      header, UTF-8 JSON: { name, savedAt, meta, history, sections }
 *   then the sections in this order: weights, state, order (their byte lengths in `sections`)
 */
import type { TrainConfig } from './config';

export const RUN_FORMAT = 'latent-lab-run';
/** Version of the run state (RunMeta). */
export const RUN_VERSION = 1;
/** Version of the file container. */
export const RUN_FILE_VERSION = 1;
export const RUN_FILE_EXTENSION = '.latentlab';
const MAGIC = 'LATENTLABRUN';
const PREAMBLE = MAGIC.length + 8;

/** One tensor in a TF.js weight buffer (tf.io.WeightsManifestEntry, as plain data). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** The JSON half of a run snapshot; the worker validates it (run-state.ts parseRunMeta). */
export interface RunMeta {
  format: typeof RUN_FORMAT;
  version: number;
  config: TrainConfig;
  dataset: string;
  step: number;
  epoch: number;
  /** Index into `order` of the next batch. */
  cursor: number;
  /** State of the shuffling RNG (mulberry32). */
  rngState: number;
  /** The model's weights, w0 … in `savedVariables` order, as in a CLI checkpoint. */
  weightSpecs: WeightSpec[];
  /** Adam ("iter", m0 …, v0 …) and the model's non-trained state (s0 …). */
  stateSpecs: WeightSpec[];
}

/** Everything the worker needs to continue a run exactly; transferable to and from it. */
export interface RunSnapshot {
  meta: RunMeta;
  weights: ArrayBuffer;
  state: ArrayBuffer;
  /** This epoch's shuffled order of the training images.   [N] int32 */
  order: Int32Array;
}

/** Values over steps, by name (the page's curves). */
export interface MetricSeries {
  steps: number[];
  terms: Record<string, number[]>;
}

/** What the page has drawn so far; saved with the run so a resumed run shows the same curves. */
export interface RunHistory {
  train: MetricSeries;
  test: MetricSeries;
  diagnosticsHistory: MetricSeries;
  scheduleHistory: MetricSeries;
  events: { step: number; text: string }[];
}

export function emptyHistory(): RunHistory {
  const empty = (): MetricSeries => ({ steps: [], terms: {} });
  return {
    train: empty(),
    test: empty(),
    diagnosticsHistory: empty(),
    scheduleHistory: empty(),
    events: [],
  };
}

function seriesUpTo(s: MetricSeries, step: number): MetricSeries {
  let n = s.steps.length;
  while (n > 0 && s.steps[n - 1]! > step) n--;
  if (n === s.steps.length) return s;
  const terms: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(s.terms)) terms[k] = v.slice(0, n);
  return { steps: s.steps.slice(0, n), terms };
}

/** The history as it was at `step` (entries after it dropped), e.g. to match a snapshot. */
export function historyUpTo(h: RunHistory, step: number): RunHistory {
  return {
    train: seriesUpTo(h.train, step),
    test: seriesUpTo(h.test, step),
    diagnosticsHistory: seriesUpTo(h.diagnosticsHistory, step),
    scheduleHistory: seriesUpTo(h.scheduleHistory, step),
    events: h.events.filter((e) => e.step <= step),
  };
}

/** Bytes a snapshot takes (weights, optimizer state and shuffle order). */
export function snapshotBytes(s: RunSnapshot): number {
  return s.weights.byteLength + s.state.byteLength + s.order.byteLength;
}

/** Approximate bytes of a history (8 per value, plus the events' text). */
export function historyBytes(h: RunHistory): number {
  let n = 0;
  for (const s of [h.train, h.test, h.diagnosticsHistory, h.scheduleHistory]) {
    n += s.steps.length;
    for (const v of Object.values(s.terms)) n += v.length;
  }
  return 8 * n + h.events.reduce((a, e) => a + e.text.length + 16, 0);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A curve value: JSON writes NaN and ±∞ (a diverged run) as null; they come back as NaN. */
const isValue = (v: unknown) => v === null || typeof v === 'number';

function parseSeries(raw: unknown, name: string): MetricSeries {
  if (!isObject(raw) || !Array.isArray(raw.steps) || !isObject(raw.terms))
    throw new Error(`history.${name} is not a series of steps and terms`);
  const steps = raw.steps;
  if (!steps.every((s) => Number.isInteger(s)))
    throw new Error(`history.${name}.steps should be whole numbers`);
  const terms: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(raw.terms)) {
    if (!Array.isArray(v) || v.length > steps.length || !v.every(isValue))
      throw new Error(`history.${name}.terms.${k} should be at most one number per step`);
    terms[k] = v.map((x) => (x === null ? NaN : (x as number)));
  }
  return { steps: steps as number[], terms };
}

/** Checks the history half of a run file, with one message per problem. */
export function parseRunHistory(raw: unknown): RunHistory {
  if (!isObject(raw)) throw new Error('the file has no "history" object');
  const events = raw.events ?? [];
  if (
    !Array.isArray(events) ||
    !events.every((e) => isObject(e) && Number.isInteger(e.step) && typeof e.text === 'string')
  )
    throw new Error('history.events should be a list of { step, text }');
  return {
    train: parseSeries(raw.train, 'train'),
    test: parseSeries(raw.test, 'test'),
    diagnosticsHistory: parseSeries(raw.diagnosticsHistory, 'diagnosticsHistory'),
    scheduleHistory: parseSeries(raw.scheduleHistory, 'scheduleHistory'),
    events: events as { step: number; text: string }[],
  };
}

export interface RunFileContents {
  name: string;
  /** When the run was saved (ms since 1970). */
  savedAt: number;
  /** Unchecked: the worker validates it against the zoo before anything changes. */
  meta: unknown;
  history: RunHistory;
  weights: ArrayBuffer;
  state: ArrayBuffer;
  order: Int32Array;
}

/** One file with the snapshot and the history (history entries after the snapshot dropped). */
export function encodeRunFile(
  snapshot: RunSnapshot,
  history: RunHistory,
  name: string,
  savedAt: number,
): Uint8Array<ArrayBuffer> {
  const sections = {
    weights: snapshot.weights.byteLength,
    state: snapshot.state.byteLength,
    order: snapshot.order.byteLength,
  };
  const header = new TextEncoder().encode(
    JSON.stringify({
      name,
      savedAt,
      meta: snapshot.meta,
      history: historyUpTo(history, snapshot.meta.step),
      sections,
    }),
  );
  const out = new Uint8Array(PREAMBLE + header.length + snapshotBytes(snapshot));
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(MAGIC.length, RUN_FILE_VERSION, true);
  view.setUint32(MAGIC.length + 4, header.length, true);
  let at = PREAMBLE;
  out.set(header, at);
  at += header.length;
  for (const bytes of [
    new Uint8Array(snapshot.weights),
    new Uint8Array(snapshot.state),
    new Uint8Array(snapshot.order.buffer, snapshot.order.byteOffset, snapshot.order.byteLength),
  ]) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * Reads a run file: the container and the history are checked here, with one message per
 * problem (not a run file, unsupported version, truncated, damaged header); the weights are
 * checked by the worker against the model they claim to be.
 */
export function decodeRunFile(buffer: ArrayBuffer): RunFileContents {
  const bytes = new Uint8Array(buffer);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) {
    if (bytes[0] === 0x7b /* "{" */)
      throw new Error(
        'this is JSON, not a Latent Lab run file (a CLI checkpoint is checkpoint.json and weights.bin, chosen together)',
      );
    throw new Error('not a Latent Lab run file (it does not start with "LATENTLABRUN")');
  }
  if (bytes.length < PREAMBLE) throw new Error(`the file is truncated (${bytes.length} bytes)`);
  const view = new DataView(buffer);
  const version = view.getUint32(MAGIC.length, true);
  if (version !== RUN_FILE_VERSION)
    throw new Error(
      `run file version ${version} is not supported (this app reads version ${RUN_FILE_VERSION})`,
    );
  const headerLength = view.getUint32(MAGIC.length + 4, true);
  if (PREAMBLE + headerLength > bytes.length)
    throw new Error(
      `the file is truncated: ${bytes.length} bytes, its header alone needs ${PREAMBLE + headerLength}`,
    );
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(PREAMBLE, PREAMBLE + headerLength),
      ),
    );
  } catch (err) {
    throw new Error(`the file's header is damaged (${(err as Error).message})`);
  }
  if (!isObject(header) || !isObject(header.sections))
    throw new Error('the file\'s header has no "sections"');
  const lengths = (['weights', 'state', 'order'] as const).map((k) => {
    const n = (header.sections as Record<string, unknown>)[k];
    if (!Number.isInteger(n) || (n as number) < 0)
      throw new Error(
        `the header's sections.${k} should be a byte count, got ${JSON.stringify(n)}`,
      );
    return n as number;
  });
  const [weightsLength, stateLength, orderLength] = lengths as [number, number, number];
  if (orderLength % 4 !== 0)
    throw new Error(`the shuffle order is ${orderLength} bytes, not a whole number of int32s`);
  const expected = PREAMBLE + headerLength + weightsLength + stateLength + orderLength;
  if (bytes.length < expected)
    throw new Error(
      `the file is truncated: ${bytes.length} bytes, its header describes ${expected}`,
    );
  if (bytes.length > expected)
    throw new Error(`the file has ${bytes.length - expected} unexpected bytes after its data`);
  let at = PREAMBLE + headerLength;
  const take = (n: number) => buffer.slice(at, (at += n));
  const weights = take(weightsLength);
  const state = take(stateLength);
  const order = new Int32Array(take(orderLength));
  return {
    name: typeof header.name === 'string' ? header.name : 'run',
    savedAt: typeof header.savedAt === 'number' ? header.savedAt : 0,
    meta: header.meta,
    history: parseRunHistory(header.history),
    weights,
    state,
    order,
  };
}
