// The one-file run container: byte-exact round trip, and one specific message per damaged file.
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import {
  decodeRunFile,
  emptyHistory,
  encodeRunFile,
  historyUpTo,
  parseRunHistory,
  RUN_FORMAT,
  RUN_VERSION,
  type RunHistory,
  type RunSnapshot,
} from '../../src/contracts/run-file';

const snapshot: RunSnapshot = {
  meta: {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    config: TRAIN_DEFAULTS,
    dataset: 'mnist',
    step: 3,
    epoch: 0,
    cursor: 24,
    rngState: 123456789,
    weightSpecs: [{ name: 'w0', shape: [3], dtype: 'float32' }],
    stateSpecs: [{ name: 'iter', shape: [], dtype: 'int32' }],
  },
  weights: new Float32Array([1.5, -2, 3.25]).buffer,
  state: new Int32Array([3]).buffer,
  order: new Int32Array([4, 0, 2, 1, 3]),
};

const history: RunHistory = {
  train: { steps: [1, 2, 3, 4], terms: { negElbo: [540, NaN, 300, 290] } },
  test: { steps: [0, 3], terms: { negElbo: [545, 310] } },
  diagnosticsHistory: { steps: [0, 3], terms: { activeUnits: [2, 2] } },
  scheduleHistory: { steps: [2, 4], terms: { beta: [1, 1] } },
  events: [
    { step: 2, text: 'restarted codes 1, 2' },
    { step: 4, text: 'later' },
  ],
};

const encoded = () => encodeRunFile(snapshot, history, 'my run', 1_700_000_000_000);
const buffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('run files', () => {
  it('round-trip: the same bytes, meta and name; history cut at the snapshot step; NaN kept', () => {
    const back = decodeRunFile(buffer(encoded()));
    expect(back.name).toBe('my run');
    expect(back.savedAt).toBe(1_700_000_000_000);
    expect(back.meta).toEqual(snapshot.meta);
    expect(new Float32Array(back.weights)).toEqual(new Float32Array(snapshot.weights));
    expect(new Int32Array(back.state)).toEqual(new Int32Array([3]));
    expect(back.order).toEqual(snapshot.order);
    expect(back.history).toEqual(historyUpTo(history, 3));
    expect(back.history.train.steps).toEqual([1, 2, 3]);
    expect(back.history.train.terms.negElbo).toEqual([540, NaN, 300]);
    expect(back.history.events).toEqual([{ step: 2, text: 'restarted codes 1, 2' }]);
  });

  it('historyUpTo keeps everything at or before the step and leaves the input alone', () => {
    expect(historyUpTo(history, 10)).toEqual(history);
    const cut = historyUpTo(history, 0);
    expect(cut.train.steps).toEqual([]);
    expect(cut.test).toEqual({ steps: [0], terms: { negElbo: [545] } });
    expect(history.train.steps).toHaveLength(4);
    expect(historyUpTo(emptyHistory(), 5)).toEqual(emptyHistory());
  });

  it('names the problem of each kind of damaged file', () => {
    const good = encoded();
    const withVersion = (v: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(12, v, true);
      return b;
    };
    const withHeader = (header: string) => {
      const h = new TextEncoder().encode(header);
      const b = new Uint8Array(20 + h.length);
      b.set(good.subarray(0, 12));
      new DataView(b.buffer).setUint32(12, 1, true);
      new DataView(b.buffer).setUint32(16, h.length, true);
      b.set(h, 20);
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('{"format":"latent-lab-checkpoint"}'), /this is JSON/],
      [new Uint8Array([1, 2, 3, 4]), /not a Latent Lab run file/],
      [good.subarray(0, 14), /truncated \(14 bytes\)/],
      [withVersion(2), /run file version 2 is not supported/],
      [good.subarray(0, 40), /truncated: 40 bytes, its header alone needs/],
      [good.subarray(0, good.length - 3), /truncated: \d+ bytes, its header describes \d+/],
      [new Uint8Array([...good, 0, 0]), /2 unexpected bytes/],
      [withHeader('{"sections": '), /header is damaged/],
      [withHeader('{}'), /no "sections"/],
      [
        withHeader('{"sections":{"weights":0,"state":0,"order":3},"history":{}}'),
        /not a whole number of int32s/,
      ],
      [
        withHeader('{"sections":{"weights":-1,"state":0,"order":0}}'),
        /sections.weights should be a byte count/,
      ],
    ];
    for (const [bytes, message] of cases)
      expect(() => decodeRunFile(buffer(bytes))).toThrow(message);
  });

  it('checks the history: series shape, values and events', () => {
    const ok = JSON.parse(JSON.stringify(history));
    expect(parseRunHistory(ok).train.terms.negElbo![1]).toBeNaN();
    const bad: [unknown, RegExp][] = [
      [null, /no "history" object/],
      [{ ...ok, train: [] }, /history.train is not a series/],
      [{ ...ok, test: { steps: [1.5], terms: {} } }, /history.test.steps/],
      [{ ...ok, train: { steps: [1], terms: { negElbo: [1, 2] } } }, /history.train.terms.negElbo/],
      [{ ...ok, train: { steps: [1], terms: { negElbo: ['x'] } } }, /history.train.terms.negElbo/],
      [{ ...ok, events: [{ step: 1 }] }, /history.events/],
    ];
    for (const [raw, message] of bad) expect(() => parseRunHistory(raw)).toThrow(message);
  });
});
